"""govaudit annual-report FILE_OR_URL: what govaudit reads in one 政府信息公开工作年度报告."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from ..annual import T2_ROWS, T3_LABELS, AnnualReport, check_arithmetic, parse_html, parse_text, pdf_facts, report_from_facts
from ..errors import UserError
from .page import fetch_url

KINDS = (".html", ".htm", ".shtml", ".txt", ".md", ".pdf")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "annual-report",
        help="show what govaudit reads in one 政府信息公开工作年度报告 (HTML, text or PDF)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Prints the owner, year and published date of one annual report, the six sections found,\n"
            "the numbers of tables 二/三/四 and the sums that do not add up (国办公开办函〔2021〕30号).\n\n"
            "examples:\n"
            "  govaudit annual-report report.html --json\n"
            "  govaudit annual-report report.pdf\n"
            "  govaudit annual-report http://www.example.gov.cn/xxgk/gknb/202603/t20260310_1.html --json"
        ),
    )
    p.add_argument("target", metavar="FILE_OR_URL", help="a .html/.htm/.txt/.pdf file or an http(s) URL")
    p.add_argument("--url", default=None, help="for a file: the URL it was saved from")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a URL (default 20)")
    p.set_defaults(func=run)


def _decode(body: bytes, charset: str | None = None) -> str:
    try:
        from ..extract.encoding import decode_body

        return decode_body(body, charset)[0]
    except ImportError:  # pragma: no cover - extractor not in this build
        return body.decode(charset or "utf-8", errors="replace")


def read_report(target: str, *, url: str | None = None, timeout: float = 20.0) -> AnnualReport:
    """Read one report from a file or an http(s) URL; UserError on bad input."""
    if re.match(r"^https?://", target, re.I):
        body, final, ctype = fetch_url(target, timeout=timeout)
        kind = "pdf" if ("pdf" in ctype.lower() or body[:5] == b"%PDF-") else "html"
        src_url = url or final
        charset_m = re.search(r"charset=([\w-]+)", ctype)
        charset = charset_m.group(1) if charset_m else None
    else:
        if "://" in target:
            raise UserError(f"not an http(s) URL or a file: {target!r}")
        path = Path(target)
        if not path.is_file():
            raise UserError(f"no such file: {target}")
        suffix = path.suffix.lower()
        if suffix not in KINDS:
            raise UserError(f"cannot read {target}: expected a {'/'.join(KINDS)} file")
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise UserError(f"cannot read {target}: {exc.strerror}") from None
        kind = {".pdf": "pdf", ".txt": "text", ".md": "text"}.get(suffix, "html")
        src_url = url or path.resolve().as_uri()
        charset = None
    if kind == "pdf":
        try:
            return report_from_facts(pdf_facts(body, src_url))
        except ValueError as exc:
            raise UserError(str(exc)) from None
    text = _decode(body, charset)
    if kind == "text":
        return parse_text(text, url=src_url)
    return parse_html(text, url=src_url)


def report_json(rep: AnnualReport) -> dict[str, Any]:
    """The report as printed by ``--json``: facts, numbers and the arithmetic results."""
    out = rep.to_dict()
    issues = check_arithmetic(rep)
    out["arithmetic"] = {"ok": not issues, "issues": [i.to_dict() for i in issues]}
    out["text_chars"] = len(rep.text)
    return out


def _print_text(rep: AnnualReport, issues: list[Any]) -> None:
    print(f"标题: {rep.title or '（未识别）'}")
    print(f"单位: {rep.owner or '（未识别）'}    年度: {rep.year or '（未识别）'}    发布日期: {rep.published or '（未知）'}")
    print(f"格式: {rep.doc_format}{'' if rep.readable else '（无法机读）'}")
    print("章节: " + ("、".join(s.split("、")[0] for s in rep.sections) or "无"))
    if rep.missing_sections:
        print("缺少章节: " + "；".join(rep.missing_sections))
    print("表格: " + ("、".join(rep.tables_found) or "无"))
    t2_labels = {k: label for k, label, _n, _c in T2_ROWS}
    for key, vals in rep.table2.items():
        print(f"  表二 {t2_labels.get(key, key)}: {vals}")
    for key, vals in rep.table3.items():
        print(f"  表三 {T3_LABELS.get(key, key)}: {vals}")
    if rep.table4:
        print(f"  表四: {rep.table4}")
    for n in rep.notes:
        print(f"说明: {n}")
    if issues:
        for i in issues:
            print(f"不一致: {i.message}")
    else:
        print("勾稽关系: 相符")


def run(args: argparse.Namespace) -> int:
    rep = read_report(args.target, url=args.url, timeout=args.timeout)
    if args.json:
        print(json.dumps(report_json(rep), ensure_ascii=False, indent=2))
    else:
        _print_text(rep, check_arithmetic(rep))
    return 0
