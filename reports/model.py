"""The report model: everything a 通报 shows, as plain data.

Built from findings and run summaries (never from pages); rendered by
reports.render (HTML, Word) and reports.findings_io (JSON, CSV).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any

from govaudit.models import Finding

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SEVERITY_WEIGHT = {"high": 2.0, "medium": 1.0, "low": 0.2}


@dataclass
class SiteResult:
    """One audited site, as the orchestrator hands it to the report."""

    name: str
    url: str
    run_id: int
    stats: dict[str, Any]
    findings: list[Finding]
    unit: str = ""
    fixed: list[Finding] = field(default_factory=list)
    previous_run: dict[str, Any] | None = None
    verdict: dict[str, Any] | None = None  # {"verdict": 合格|不合格, "reasons": [...]}
    check_errors: list[dict[str, Any]] = field(default_factory=list)
    interrupted: bool = False


def score(findings: list[Finding]) -> float:
    """govaudit's own 0–100 index (not the official 19号 score): 100 minus a
    weight per open finding (high 2, medium 1, low 0.2)."""
    lost = sum(SEVERITY_WEIGHT.get(f.severity, 1.0) for f in findings)
    return round(max(0.0, 100.0 - lost), 1)


def _evidence(f: Finding) -> str:
    ev = f.data.get("evidence")
    if ev:
        return str(ev)
    return f.reason


def _cn_date(iso: str) -> str:
    d = _dt.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def build_report(
    sites: list[SiteResult],
    *,
    as_of: str,
    check_titles: dict[str, str],
    title: str | None = None,
    issuer: str = "",
    recipients: str = "",
    doc_number: str = "",
    plan: Any = None,
    rectify_days: int = 15,
    date: str | None = None,
) -> dict[str, Any]:
    date = date or as_of
    findings: list[dict[str, Any]] = []
    site_rows = []
    for s in sites:
        by_check = Counter(f.check for f in s.findings)
        verdict = s.verdict or {"verdict": "合格" if not s.findings else "合格", "reasons": []}
        site_rows.append({
            "name": s.name,
            "url": s.url,
            "unit": s.unit,
            "run_id": s.run_id,
            "verdict": verdict.get("verdict", "合格"),
            "verdict_reasons": list(verdict.get("reasons", [])),
            "score": score(s.findings),
            "findings": len(s.findings),
            "by_check": dict(by_check),
            "stats": {**s.stats, "interrupted": s.interrupted},
        })
        for f in s.findings:
            d = f.to_json()
            d["site"] = s.name
            d["site_url"] = s.url
            d["type_title"] = check_titles.get(f.check, f.check)
            d["evidence"] = _evidence(f)
            findings.append(d)
    findings.sort(key=lambda d: (SEVERITY_ORDER.get(d["severity"], 9), d["code"], d["site"], d.get("url") or ""))
    site_rows.sort(key=lambda r: (r["verdict"] != "合格", -r["score"], r["name"]))

    by_type: OrderedDict[str, dict[str, Any]] = OrderedDict()
    by_unit: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for i, d in enumerate(findings):
        t = by_type.setdefault(d["check"], {"check": d["check"], "code": d["code"], "title": d["type_title"],
                                            "count": 0, "findings": []})
        t["count"] += 1
        t["findings"].append(i)
        units = d.get("units") or ["未指定责任单位"]
        for u in units:
            g = by_unit.setdefault(u, {"unit": u, "count": 0, "findings": [], "clauses": []})
            g["count"] += 1
            g["findings"].append(i)
            for b in d.get("basis") or []:
                if plan is not None and b.get("document") == getattr(plan, "title", None) and b.get("clause"):
                    c = f"第{b['clause']}条" if str(b["clause"]).isdigit() else str(b["clause"])
                    if c not in g["clauses"]:
                        g["clauses"].append(c)
    types = sorted(by_type.values(), key=lambda t: (-t["count"], t["code"]))

    fixed = []
    prev = None
    for s in sites:
        for f in s.fixed:
            d = f.to_json()
            d["site"] = s.name
            d["type_title"] = check_titles.get(f.check, f.check)
            d["state"] = "fixed"
            fixed.append(d)
        if s.previous_run and prev is None:
            prev = {"id": s.previous_run["id"], "date": s.previous_run.get("as_of")}
    tracking = {
        "previous_run": prev,
        "new": sum(1 for d in findings if d["state"] == "new"),
        "open": sum(1 for d in findings if d["state"] == "open"),
        "fixed": len(fixed),
        "fixed_findings": fixed,
    }

    manual = []
    if plan is not None:
        for it in plan.manual_items():
            manual.append({"clause": str(it.clause), "text": it.text, "units": list(it.units)})

    names = "、".join(s.name for s in sites[:3]) + ("等" if len(sites) > 3 else "")
    title = title or f"关于{names}政府信息公开专栏检查情况的通报"
    deadline = _dt.date.fromisoformat(date) + _dt.timedelta(days=rectify_days)
    bad = [r for r in site_rows if r["verdict"] != "合格"]
    intro = (
        f"根据《中华人民共和国政府信息公开条例》和《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
        f"{'及《' + plan.title.strip('《》') + '》' if plan is not None and getattr(plan, 'title', '') else ''}要求，"
        f"截至{_cn_date(as_of)}，对{len(sites)}个网站的政府信息公开专栏开展了专项检查。现将检查情况通报如下。"
    )
    requirements = [
        f"请各责任单位对照附件问题清单逐项整改，于{_cn_date(deadline.isoformat())}前完成整改，并将整改情况报送。",
        "整改完成后应逐条复核，举一反三，全面排查本单位网站同类问题，建立常态化巡查机制，杜绝错链断链、栏目长期不更新等问题反复出现。",
    ]
    if bad:
        requirements.insert(0, f"检查结果为不合格的{len(bad)}个网站，主管单位须立即组织整改，并书面说明原因。")
    errors = [e for s in sites for e in s.check_errors]
    return {
        "title": title,
        "issuer": issuer,
        "doc_number": doc_number,
        "date": date,
        "as_of": as_of,
        "recipients": recipients,
        "intro": intro,
        "sites": site_rows,
        "findings": findings,
        "by_type": types,
        "by_unit": list(by_unit.values()),
        "tracking": tracking,
        "manual_items": manual,
        "requirements": requirements,
        "attachments_title": "问题清单",
        "check_errors": [{"check": e["check"], "error": e["error"]} for e in errors],
        "plan": {"title": plan.title} if plan is not None else None,
    }
