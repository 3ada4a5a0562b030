"""Render the 通报 from a report model (a plain, JSON-serialisable dict).

Public API::

    render_html(report, path, *, template_dir=None) -> Path
    render_docx(report, path, *, template_dir=None) -> Path

``template_dir`` points at a folder holding the user's own copies of the
files under ``reports/templates/`` (``report.html.j2``, ``docx_wording.yaml``)
and/or a ``reference.docx`` with the Word styles (start from
``reports.docx_report.write_reference_docx(path)``); any file missing there
falls back to the packaged one.

This module also holds the helpers both renderers share (dates, numerals,
link safety, template lookup).

Example::

    >>> cn_date("2026-11-22")
    '2026年11月22日'
    >>> cn_number(4)
    '四'
    >>> http_href("javascript:alert(1)") is None
    True
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from govaudit.errors import UserError

TEMPLATES = Path(__file__).with_name("templates")

#: Order findings by severity in every listing.
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SEVERITY_LABEL = {"high": "严重", "medium": "一般", "low": "轻微"}
STATUS_LABEL = {"new": "新发现", "open": "未整改", "fixed": "已整改"}

#: The by-unit group the report model gives findings without a responsible unit.
UNASSIGNED_UNIT = "未指定责任单位"

_CN_DIGITS = "零一二三四五六七八九"


class ReportError(UserError):
    """The report model or a template cannot be rendered."""


def cn_date(value: str | _dt.date | None) -> str:
    """``2026-11-22`` -> ``2026年11月22日`` (GB/T 9704: Arabic numerals, no leading zeros).

    Text that is not an ISO date is returned unchanged; ``None`` gives ``""``.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, _dt.date):
        d = value
    else:
        try:
            d = _dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    return f"{d.year}年{d.month}月{d.day}日"


def cn_number(n: int) -> str:
    """Chinese numeral for section numbers 1..99 (``一``, ``十``, ``十一``, ``二十三``)."""
    if not 0 < n < 100:
        raise ReportError(f"section number out of range: {n}")
    tens, ones = divmod(n, 10)
    out = ""
    if tens:
        out = ("" if tens == 1 else _CN_DIGITS[tens]) + "十"
    if ones:
        out += _CN_DIGITS[ones]
    return out


def http_href(url: Any) -> str | None:
    """``url`` when it is an absolute http(s) URL safe to link, else ``None``."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(c) < 0x20 or c in " \x7f" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def sorted_finding_indices(findings: list[dict[str, Any]]) -> list[int]:
    """Indices of ``findings`` ordered by severity (high first), then type, site, URL."""
    def key(i: int) -> tuple:
        f = findings[i]
        return (SEVERITY_ORDER.get(str(f.get("severity")), 3), str(f.get("code") or ""),
                str(f.get("site") or ""), str(f.get("url") or ""))
    return sorted(range(len(findings)), key=key)


def finding_status(f: dict[str, Any]) -> str:
    """new | open | fixed: the finding's 整改 tracking state.

    ``state`` holds it (``status`` of a broken link is its HTTP status); a
    ``status`` of new/open/fixed from older findings.json files is accepted.

    >>> finding_status({"state": "open", "status": 404}), finding_status({"status": "fixed"})
    ('open', 'fixed')
    """
    for key in ("state", "status"):
        if f.get(key) in STATUS_LABEL:
            return str(f[key])
    return "new"


def basis_text(basis: Any, *, with_text: bool = False) -> str:
    """One line citing a finding's 依据: ``国办秘函〔2019〕19号 单项否决；…``."""
    parts = []
    for b in basis or []:
        if not isinstance(b, dict):
            continue
        s = " ".join(x for x in (str(b.get("document") or ""), str(b.get("clause") or "")) if x)
        if with_text and b.get("text"):
            s += f"：{b['text']}"
        if s:
            parts.append(s)
    return "；".join(parts)


_DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,8}〔\d{4}〕\d+号")


def short_basis(basis: Any, *, limit: int = 3) -> str:
    """A compact citation for table cells: ``分工方案第1条；国办秘函〔2019〕19号``.

    >>> short_basis([{"document": "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》", "clause": "单项否决"},
    ...              {"document": "示范县2026年政务公开工作要点分工方案", "clause": "1"}])
    '国办秘函〔2019〕19号 单项否决；示范县2026年政务公开工作要点分工方案 第1条'
    """
    parts: list[str] = []
    for b in basis or []:
        if not isinstance(b, dict):
            continue
        doc = str(b.get("document") or "")
        m = _DOC_NUMBER.search(doc)
        name = m.group(0) if m else doc
        clause = clause_label(b.get("clause")) if b.get("clause") else ""
        clause = clause.split("（")[0].split("·")[0]
        s = f"{name} {clause}".strip()
        if s and s not in parts:
            parts.append(s)
    return "；".join(parts[:limit])


def check_report(report: Any) -> dict[str, Any]:
    """Validate the few keys every 通报 needs; raise :class:`ReportError` naming the problem."""
    if not isinstance(report, dict):
        raise ReportError(f"report model must be a dict, got {type(report).__name__}")
    for key in ("title",):
        if not str(report.get(key) or "").strip():
            raise ReportError(f"report model has no {key!r}")
    for key in ("sites", "findings", "by_type", "by_unit", "manual_items", "requirements", "check_errors"):
        if report.get(key) is not None and not isinstance(report[key], list):
            raise ReportError(f"report model key {key!r} must be a list, got {type(report[key]).__name__}")
    n = len(report.get("findings") or [])
    for group in ("by_type", "by_unit"):
        for g in report.get(group) or []:
            for i in g.get("findings") or []:
                if not isinstance(i, int) or not 0 <= i < n:
                    raise ReportError(f"report model {group} entry {g.get('title') or g.get('unit')!r} "
                                      f"refers to finding {i!r}, but there are {n} findings")
    return report


def clause_label(value: Any) -> str:
    """``12`` -> ``第12条``; text already naming a clause is kept.

    >>> clause_label("12"), clause_label("第31条"), clause_label("单项否决")
    ('第12条', '第31条', '单项否决')
    """
    s = str(value or "").strip()
    return f"第{s}条" if s.isdigit() else s


def template_file(name: str, template_dir: str | Path | None) -> Path:
    """The user's copy of template ``name`` in ``template_dir`` when present, else the packaged one."""
    if template_dir is not None:
        d = Path(template_dir)
        if not d.is_dir():
            raise ReportError(f"template directory not found: {d}")
        if (d / name).is_file():
            return d / name
    return TEMPLATES / name


_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: Any) -> str:
    """``value`` as text without the control characters XML (and Word) cannot hold."""
    if value is None:
        return ""
    return _BAD_XML.sub("", str(value))


def groups_by_type(report: dict[str, Any]) -> list[dict[str, Any]]:
    """``report["by_type"]``, or the same grouping derived from the findings when it is absent."""
    if report.get("by_type"):
        return list(report["by_type"])
    findings = report.get("findings") or []
    out: dict[str, dict[str, Any]] = {}
    for i in sorted_finding_indices(findings):
        f = findings[i]
        g = out.setdefault(str(f.get("check") or ""), {
            "check": f.get("check"), "code": f.get("code"),
            "title": f.get("type_title") or f.get("check") or "", "count": 0, "findings": []})
        g["count"] += 1
        g["findings"].append(i)
    return list(out.values())


def groups_by_unit(report: dict[str, Any]) -> list[dict[str, Any]]:
    """``report["by_unit"]``, or the same grouping derived from the findings' units when absent."""
    if report.get("by_unit"):
        return list(report["by_unit"])
    findings = report.get("findings") or []
    out: dict[str, dict[str, Any]] = {}
    for i in sorted_finding_indices(findings):
        for unit in findings[i].get("units") or []:
            g = out.setdefault(str(unit), {"unit": str(unit), "count": 0, "findings": [], "clauses": []})
            g["count"] += 1
            g["findings"].append(i)
    return sorted(out.values(), key=lambda g: -g["count"])


def _real_units(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The by-unit groups, or none when no finding has a named responsible unit."""
    groups = [g for g in groups if isinstance(g, dict) and g.get("unit")]
    return groups if any(g["unit"] != UNASSIGNED_UNIT for g in groups) else []


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """Counts both renderers print in 总体情况.

    >>> s = summary({"title": "t", "sites": [{"name": "A", "verdict": "合格"},
    ...                                      {"name": "B", "verdict": "不合格"}], "findings": []})
    >>> s["n_pass"], s["n_fail"], s["pass_rate"], s["failed_sites"]
    (1, 1, '50.0%', ['B'])
    """
    sites = [s for s in report.get("sites") or [] if isinstance(s, dict)]
    failed = [str(s.get("name") or s.get("url") or "") for s in sites if s.get("verdict") == "不合格"]
    n_pass = sum(1 for s in sites if s.get("verdict") == "合格")
    by_type = groups_by_type(report)
    return {
        "sites": sites,
        "n_sites": len(sites),
        "n_pass": n_pass,
        "n_fail": len(failed),
        "pass_rate": f"{100.0 * n_pass / len(sites):.1f}%" if sites else "",
        "failed_sites": failed,
        "n_findings": len(report.get("findings") or []),
        "n_types": len(by_type),
        "by_type": by_type,
        "by_unit": _real_units(groups_by_unit(report)),
        "tracking": report.get("tracking") or {},
        "previous_run": (report.get("tracking") or {}).get("previous_run"),
    }


def render_html(report: dict[str, Any], path: str | Path, *, template_dir: str | Path | None = None) -> Path:
    """Write the self-contained HTML 通报 to ``path`` and return it."""
    from reports.html_report import render_html as _render
    return _render(report, path, template_dir=template_dir)


def render_docx(report: dict[str, Any], path: str | Path, *, template_dir: str | Path | None = None) -> Path:
    """Write the Word 通报 (GB/T 9704-2012 layout) to ``path`` and return it."""
    from reports.docx_report import render_docx as _render
    return _render(report, path, template_dir=template_dir)


__all__ = ["render_html", "render_docx", "ReportError", "cn_date", "cn_number", "http_href"]
