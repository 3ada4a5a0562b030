"""The HTML 通报: one self-contained file (inline CSS, inline SVG charts, a small
inline sort script; no external assets), printable.

Every string of the report model is escaped by Jinja autoescape; only absolute
http(s) URLs become links.  A Content-Security-Policy allows no network access
and only the template's own script (by its SHA-256 hash), so markup that
slipped into crawled text could not run even if it were not escaped.

Example::

    from reports.html_report import render_html
    render_html({"title": "关于…的通报", "sites": [], "findings": []}, "通报.html")
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import jinja2

from reports.render import (
    SEVERITY_LABEL,
    SEVERITY_ORDER,
    STATUS_LABEL,
    ReportError,
    basis_text,
    check_report,
    clause_label,
    clean_text,
    cn_date,
    cn_number,
    finding_status,
    http_href,
    sorted_finding_indices,
    summary,
    template_file,
)

TEMPLATE = "report.html.j2"

#: Bar chart geometry (px).
BAR_LABEL_W, BAR_MAX_W, BAR_H, BAR_GAP = 190, 300, 22, 8


def _csp_hash(script: Any) -> str:
    """``sha256-…`` source expression for an inline script's exact text."""
    digest = hashlib.sha256(str(script).encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _short(text: Any, n: int = 14) -> str:
    s = str(text or "")
    return s if len(s) <= n else s[: n - 1] + "…"


def bars(items: list[tuple[str, int]]) -> dict[str, Any]:
    """Geometry of a horizontal bar chart for ``(label, count)`` pairs.

    >>> g = bars([("错链断链", 4), ("空白栏目", 2)])
    >>> [b["w"] for b in g["bars"]], g["height"]
    ([300, 150], 52)
    """
    top = max([c for _, c in items] or [0])
    out = []
    for i, (label, count) in enumerate(items):
        w = round(BAR_MAX_W * count / top) if top else 0
        out.append({"label": str(label), "short": _short(label), "count": count,
                    "y": i * (BAR_H + BAR_GAP), "w": max(w, 1 if count else 0)})
    height = len(items) * (BAR_H + BAR_GAP) - BAR_GAP if items else 0
    return {"bars": out, "height": height, "label_w": BAR_LABEL_W, "bar_h": BAR_H,
            "width": BAR_LABEL_W + BAR_MAX_W + 60}


def _env(template_dir: str | Path | None) -> jinja2.Environment:
    path = template_file(TEMPLATE, template_dir)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(path.parent)), autoescape=True,
                             undefined=jinja2.ChainableUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(cn_date=cn_date, cn_number=cn_number, href=http_href, csp_hash=_csp_hash,
                       basis=basis_text, clean=clean_text, clause=clause_label,
                       severity=lambda s: SEVERITY_LABEL.get(str(s), str(s or "")),
                       status=lambda s: STATUS_LABEL.get(str(s), str(s or "")))
    return env


def _row(f: dict[str, Any], n: int) -> dict[str, Any]:
    sev = str(f.get("severity") or "")
    return {"n": n, "f": f, "href": http_href(f.get("url")), "severity": sev, "status": finding_status(f),
            "severity_rank": SEVERITY_ORDER.get(sev, 3), "units": "、".join(map(str, f.get("units") or [])),
            "pages": [{"url": p, "href": http_href(p)} for p in (f.get("pages") or [])[:3]],
            "more_pages": max(0, len(f.get("pages") or []) - 3), "basis": basis_text(f.get("basis"))}


def view_model(report: dict[str, Any]) -> dict[str, Any]:
    """Everything the template shows, computed from the report model."""
    check_report(report)
    s = summary(report)
    findings = report.get("findings") or []
    order = sorted_finding_indices(findings)
    rows = [_row(findings[i], n) for n, i in enumerate(order, 1)]
    row_of = {i: rows[n] for n, i in enumerate(order)}
    types = []
    for g in s["by_type"]:
        members = sorted((row_of[i] for i in g.get("findings") or [] if i in row_of), key=lambda r: r["n"])
        sites = dict.fromkeys(str(r["f"]["site"]) for r in members if r["f"].get("site"))
        types.append({"g": g, "rows": members, "sites": list(sites),
                      "basis": "；".join(dict.fromkeys(
                          part for r in members for part in (r["basis"] or "").split("；") if part))})
    tracking = s["tracking"]
    prev = s["previous_run"] if isinstance(s["previous_run"], dict) else None
    fixed_findings = [f for f in tracking.get("fixed_findings") or [] if isinstance(f, dict)]
    fixed = [_row(f, n) for n, f in enumerate(fixed_findings, 1)]
    sites = [{"s": x, "href": http_href(x.get("url")), "stats": x.get("stats") or {}} for x in s["sites"]]
    type_counts = [(g.get("title") or g.get("check") or "", int(g.get("count") or 0)) for g in s["by_type"]]
    unit_counts = [(u.get("unit") or "", int(u.get("count") or 0)) for u in s["by_unit"]]
    return {
        "r": report, "s": s, "sites": sites, "rows": rows, "types": types, "units": s["by_unit"],
        "chart_types": bars(type_counts), "chart_units": bars(unit_counts),
        "prev": prev, "tracking": tracking, "fixed": fixed,
        "date_cn": cn_date(report.get("date")), "as_of_cn": cn_date(report.get("as_of") or report.get("date")),
        "attachments_title": report.get("attachments_title") or "问题清单",
    }


def render_html(report: dict[str, Any], path: str | Path, *, template_dir: str | Path | None = None) -> Path:
    """Write the HTML 通报 to ``path`` (parent folders created) and return the path."""
    vm = view_model(report)
    try:
        html = _env(template_dir).get_template(TEMPLATE).render(vm)
    except jinja2.TemplateError as e:
        raise ReportError(f"HTML template {template_file(TEMPLATE, template_dir)} fails: {e}") from e
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        out.write_text(html, encoding="utf-8")
    except OSError as e:
        raise ReportError(f"cannot write {out}: {e}") from e
    return out
