"""findings.json and findings.csv: the machine-readable outputs.

The findings.json contract (later versions extend it, never break it)::

    {"site": <start URL>, "as_of": "YYYY-MM-DD", "run_id": 3,
     "stats": {"pages": n, "urls_checked": n, "bytes_received": n, "seconds": s, ...},
     "findings": [{"check": "broken_link", "url": ..., "pages": [...], "status": ...,
                   "reason": ..., "severity": ..., "basis": [{"document", "clause", "text"}], ...}]}
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from govaudit.models import Finding

CSV_COLUMNS = ["site", "check", "code", "severity", "state", "first_seen", "url", "title", "reason", "units",
               "pages", "basis", "remedy"]


def findings_document(*, site: str, as_of: str, run_id: int, stats: dict[str, Any], findings: list[Finding],
                      extra: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {"site": site, "as_of": as_of, "run_id": run_id, "stats": stats,
                           "findings": [f.to_json() for f in findings]}
    if extra:
        for k, v in extra.items():
            doc.setdefault(k, v)
    return doc


def write_json(doc: dict[str, Any], path: str | Path) -> Path:
    path = Path(path)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def _basis_text(basis: list[dict[str, str]]) -> str:
    out = []
    for b in basis:
        s = b.get("document", "")
        if b.get("clause"):
            s += f" {b['clause']}" if not str(b["clause"]).isdigit() else f" 第{b['clause']}条"
        out.append(s.strip())
    return "；".join(out)


def write_csv(rows: list[dict[str, Any]], path: str | Path) -> Path:
    """One row per finding; UTF-8 with BOM so that Excel opens Chinese text correctly."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        w.writeheader()
        for f in rows:
            w.writerow({
                **{k: f.get(k, "") for k in CSV_COLUMNS},
                "units": "、".join(f.get("units") or []),
                "pages": " ".join(f.get("pages") or []),
                "basis": _basis_text(f.get("basis") or []),
            })
    return path
