"""The 通报 renderers: HTML escaping and structure, Word layout per GB/T 9704-2012."""

from __future__ import annotations

import base64
import copy
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import html as lxml_html

from reports.render import ReportError, cn_date, cn_number, http_href, render_docx, render_html

XSS = "<script>alert(1)</script>"
ATTR = '"onmouseover=alert(2) x="'
JS_URL = "javascript:alert(3)"

BASIS_LINK = [{"document": "国办秘函〔2019〕19号", "clause": "单项否决", "text": "首页栏目链接不可用"}]
BASIS_COL = [{"document": "政府信息公开条例", "clause": "第二十条", "text": "主动公开"}]


def _finding(check: str, code: str, type_title: str, site: str, url: str | None, reason: str, *,
             severity: str = "medium", units: tuple[str, ...] = (), state: str = "new", title: str = "",
             evidence: str = "", basis: list[dict[str, str]] = BASIS_LINK, **extra: Any) -> dict[str, Any]:
    f = {"check": check, "code": code, "url": url, "title": title, "reason": reason, "severity": severity,
         "pages": ["http://www.example.gov.cn/zwgk/index.html"], "units": list(units),
         "basis": copy.deepcopy(basis), "remedy": "请及时修复或删除错误链接。", "state": state,
         "first_seen": "2026-11-01", "site": site, "type_title": type_title, "evidence": evidence}
    f.update(extra)
    return f


def sample_report(*, previous: bool = True) -> dict[str, Any]:
    """A report model with two sites, three problem types, units, tracking and hostile strings."""
    findings = [
        _finding("broken_link", "GA101", "错链断链", "示范县人民政府", "http://www.example.gov.cn/a.pdf",
                 "附件链接返回404", title="2025年预算公开", evidence="HTTP 404", severity="low",
                 units=("县财政局",), status=404),
        _finding("broken_link", "GA101", "错链断链", "示范县人民政府", JS_URL, "链接无法访问 " + XSS,
                 title=ATTR, evidence=XSS, units=("县财政局",), state="open"),
        _finding("broken_link", "GA101", "错链断链", "示范县教育局", "https://jy.example.gov.cn/x?a=1&b=2",
                 "链接超时", title="招生简章", evidence="timeout", units=("县教育局",)),
        _finding("broken_link", "GA101", "错链断链", "示范县教育局", "http://jy.example.gov.cn/y",
                 "链接返回500", title="学区划分", evidence="HTTP 500", severity="low"),
        _finding("empty_column", "GA201", "空白栏目", "示范县人民政府", "http://www.example.gov.cn/zwgk/czyjs/",
                 "栏目无任何信息", title="财政预决算", evidence="列表为空", severity="high",
                 units=("县财政局",), basis=BASIS_COL),
        _finding("stale_column", "GA202", "栏目更新不及时", "示范县教育局", "http://jy.example.gov.cn/tzgg/",
                 "栏目超过6个月未更新\x0b", title="通知公告", evidence="最新信息 2026-03-01",
                 units=("县教育局",), basis=BASIS_COL, days=265),
    ]
    by_type: dict[str, dict[str, Any]] = {}
    by_unit: dict[str, dict[str, Any]] = {}
    for i, f in enumerate(findings):
        g = by_type.setdefault(f["check"], {"check": f["check"], "code": f["code"], "title": f["type_title"],
                                            "count": 0, "findings": []})
        g["count"] += 1
        g["findings"].append(i)
        for u in f["units"]:
            gu = by_unit.setdefault(u, {"unit": u, "count": 0, "findings": [], "clauses": ["第31条"]})
            gu["count"] += 1
            gu["findings"].append(i)
    fixed = _finding("broken_link", "GA101", "错链断链", "示范县人民政府", "http://www.example.gov.cn/old.html",
                     "链接返回404", title="旧通知已修复", state="fixed")
    tracking = ({"previous_run": {"id": 1, "date": "2026-11-01"}, "new": 5, "open": 1, "fixed": 1,
                 "fixed_findings": [fixed]} if previous else
                {"previous_run": None, "new": 6, "open": 0, "fixed": 0, "fixed_findings": []})
    return {
        "title": "关于示范县政府网站政府信息公开专栏检查情况的通报",
        "issuer": "示范县人民政府办公室（政务公开办）",
        "doc_number": "",
        "date": "2026-11-22",
        "as_of": "2026-11-22",
        "recipients": "各乡镇人民政府，县政府各部门：",
        "intro": "根据《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）要求，对全县政府网站进行了检查。",
        "sites": [
            {"name": "示范县人民政府", "url": "http://www.example.gov.cn/", "unit": "县政府办",
             "verdict": "不合格", "verdict_reasons": ["存在空白栏目 " + XSS], "score": 72.5, "findings": 3,
             "by_check": {"broken_link": 2, "empty_column": 1},
             "stats": {"pages": 120, "urls_checked": 300, "seconds": 12.3, "interrupted": False}},
            {"name": "示范县教育局", "url": "https://jy.example.gov.cn/", "unit": "县教育局", "verdict": "合格",
             "verdict_reasons": [], "score": 91.0, "findings": 3,
             "by_check": {"broken_link": 2, "stale_column": 1},
             "stats": {"pages": 40, "urls_checked": 80, "seconds": 3.1, "interrupted": True}},
        ],
        "findings": findings,
        "by_type": list(by_type.values()),
        "by_unit": sorted(by_unit.values(), key=lambda g: -g["count"]),
        "tracking": tracking,
        "manual_items": [{"clause": "12", "text": "按时公开重大建设项目批准和实施信息", "units": ["县发改局"]}],
        "requirements": ["请各单位于2026年12月6日前完成整改，并将整改情况报县政务公开办。"],
        "attachments_title": "问题清单",
        "check_errors": [{"check": "late_interpretation", "error": "解读页面无法解析"}],
    }


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def test_helpers() -> None:
    assert cn_date("2026-01-05") == "2026年1月5日"
    assert [cn_number(n) for n in (1, 4, 10, 11, 20, 23)] == ["一", "四", "十", "十一", "二十", "二十三"]
    assert http_href("https://a.gov.cn/x?a=1") == "https://a.gov.cn/x?a=1"
    for bad in (JS_URL, " JavaScript:alert(1)", "data:text/html,x", "/relative", "http://", "http://a b", None):
        assert http_href(bad) is None, bad


def test_bad_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="title"):
        render_html({"sites": []}, tmp_path / "x.html")
    bad = sample_report()
    bad["by_type"][0]["findings"].append(99)
    with pytest.raises(ReportError, match="99"):
        render_docx(bad, tmp_path / "x.docx")
    with pytest.raises(ReportError, match="template directory"):
        render_html(sample_report(), tmp_path / "x.html", template_dir=tmp_path / "missing")


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = render_html(sample_report(), tmp_path_factory.mktemp("html") / "sub" / "通报.html")
    assert out.name == "通报.html"
    return out.read_text(encoding="utf-8")


def test_html_escapes_crawled_strings(html_text: str) -> None:
    assert XSS not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert html_text.count("<script") == 1  # only the sort script
    assert '"onmouseover' not in html_text
    assert "&#34;onmouseover=alert(2) x=&#34;" in html_text
    doc = lxml_html.fromstring(html_text)
    hrefs = doc.xpath("//a/@href")
    assert hrefs and all(h.startswith(("http://", "https://", "#")) for h in hrefs), hrefs
    assert not [e for e in doc.iter() if any(k.lower().startswith("on") for k in e.attrib)]
    # the javascript: URL is shown as text, not linked
    assert JS_URL in doc.text_content()
    assert "https://jy.example.gov.cn/x?a=1&b=2" in hrefs


def test_html_is_self_contained(html_text: str) -> None:
    doc = lxml_html.fromstring(html_text)
    assert not doc.xpath("//link | //img | //iframe | //*[@src]")
    assert "@import" not in html_text and "url(" not in html_text
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp
    script = doc.xpath("//script")[0].text
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in csp  # the CSP lets exactly our script run
    assert "@media print" in html_text


def test_html_summary_and_charts(html_text: str) -> None:
    doc = lxml_html.fromstring(html_text)
    badges = {r.xpath("string(td[1]/strong)"): r.xpath("string(.//span[contains(@class,'badge')])")
              for r in doc.xpath("//table[@id='sites']/tbody/tr")}
    assert badges == {"示范县人民政府": "不合格", "示范县教育局": "合格"}
    svgs = doc.xpath("//svg")
    assert len(svgs) == 2  # by type, by unit
    bars = {g.xpath("string(title)"): float(g.xpath("rect/@width")[0]) for g in svgs[0].xpath("g")}
    assert set(bars) == {"错链断链：4", "空白栏目：1", "栏目更新不及时：1"}
    assert bars["错链断链：4"] == pytest.approx(4 * bars["空白栏目：1"], abs=1)
    units = [g.xpath("string(title)") for g in svgs[1].xpath("g")]
    assert units == ["县财政局：3", "县教育局：2"]


def test_html_findings_table_ordered_by_severity(html_text: str) -> None:
    doc = lxml_html.fromstring(html_text)
    rows = doc.xpath("//table[@id='findings']/tbody/tr")
    assert len(rows) == len(sample_report()["findings"])
    severities = [r.xpath("string(td[2])").strip() for r in rows]
    assert severities == ["严重", "一般", "一般", "一般", "轻微", "轻微"]
    headers = [th.text_content().strip() for th in doc.xpath("//table[@id='findings']/thead/tr/th")]
    for h in ("序号", "责任单位", "网站", "问题类型", "问题网址", "问题描述/证据", "依据", "整改要求"):
        assert h in headers
    assert "国办秘函〔2019〕19号 单项否决" in doc.xpath("string(//table[@id='findings'])")


def test_html_sections(html_text: str, tmp_path: Path) -> None:
    doc = lxml_html.fromstring(html_text)
    h2 = [h.text_content() for h in doc.xpath("//h2")]
    assert h2 == ["一、总体情况", "二、存在问题", "三、整改情况", "四、整改要求", "五、需人工核实的事项"]
    assert "旧通知已修复" in doc.xpath("string(//table[@id='fixed'])")
    manual = doc.xpath("//table[@id='manual-items']/tbody/tr/td/text()")
    assert manual == ["1", "第12条", "按时公开重大建设项目批准和实施信息", "县发改局"]
    assert "late_interpretation" in html_text
    no_prev = render_html(sample_report(previous=False), tmp_path / "p.html").read_text(encoding="utf-8")
    doc2 = lxml_html.fromstring(no_prev)
    assert [h.text_content() for h in doc2.xpath("//h2")] == [
        "一、总体情况", "二、存在问题", "三、整改要求", "四、需人工核实的事项"]
    assert not doc2.xpath("//*[@id='tracking']")


def test_html_hostile_url_stays_inside_href(tmp_path: Path) -> None:
    report = sample_report()
    evil = 'http://x.gov.cn/a"><svg/onload=alert(4)>'
    report["findings"][0]["url"] = evil
    report["sites"][0]["url"] = "JAVASCRIPT:alert(5)"
    text = render_html(report, tmp_path / "u.html").read_text(encoding="utf-8")
    assert '"><svg' not in text
    doc = lxml_html.fromstring(text)
    assert evil in doc.xpath("//a/@href")  # a real http URL stays a link, its quote escaped
    assert len(doc.xpath("//svg")) == 2 and not doc.xpath("//@onload")
    assert not [h for h in doc.xpath("//a/@href") if h.lower().startswith("javascript")]


def test_html_without_findings(tmp_path: Path) -> None:
    report = sample_report(previous=False)
    report["findings"] = report["by_type"] = report["by_unit"] = report["manual_items"] = []
    report["sites"][0]["verdict"] = "合格"
    doc = lxml_html.fromstring(render_html(report, tmp_path / "e.html").read_text(encoding="utf-8"))
    assert not doc.xpath("//*[@id='findings'] | //*[@id='attachment']")
    assert "本次检查未发现问题。" in doc.text_content()
    assert "附件：" not in doc.text_content()


def test_tracking_state_shown(tmp_path: Path, html_text: str) -> None:
    """``state`` is the 整改 state; a broken link's ``status`` (HTTP 404) is not."""
    doc = lxml_html.fromstring(html_text)
    states = {r.xpath("string(td[8]/b)"): r.xpath("string(td[3])").strip()
              for r in doc.xpath("//table[@id='findings']/tbody/tr")}
    assert states[ATTR].startswith("未整改") and states["2025年预算公开"] == "新发现"
    report = sample_report()
    for f in report["findings"]:  # findings.json written before 'state' existed
        f["status"] = f.pop("state")
    table = Document(str(render_docx(report, tmp_path / "s.docx"))).tables[0]
    assert sum("仍未整改" in r.cells[5].text for r in table.rows[1:]) == 1


def test_html_user_template_dir(tmp_path: Path) -> None:
    (tmp_path / "report.html.j2").write_text("<p>{{ r.title }}|{{ rows|length }}|{{ r.sites[0].verdict_reasons[0] }}</p>",
                                            encoding="utf-8")
    text = render_html(sample_report(), tmp_path / "o.html", template_dir=tmp_path).read_text(encoding="utf-8")
    assert text == "<p>关于示范县政府网站政府信息公开专栏检查情况的通报|6|存在空白栏目 &lt;script&gt;alert(1)&lt;/script&gt;</p>"


# ---------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------


def _style_chain(style: Any) -> list[Any]:
    out = []
    while style is not None:
        out.append(style)
        style = style.base_style
    return out


def east_asia_font(paragraph: Any, run: Any = None) -> str | None:
    """The East Asian font a run (or the paragraph's style) resolves to."""
    elements = ([run._r] if run is not None else []) + [s.element for s in _style_chain(paragraph.style)]
    for el in elements:
        rpr = el.find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
    return None


def size_pt(paragraph: Any) -> float | None:
    for s in _style_chain(paragraph.style):
        if s.font.size is not None:
            return s.font.size.pt
    return None


def bold(paragraph: Any, run: Any) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    return any(s.font.bold for s in _style_chain(paragraph.style))


@pytest.fixture(scope="module")
def docx_doc(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = render_docx(sample_report(), tmp_path_factory.mktemp("docx") / "通报.docx")
    return Document(str(out))


def _para(doc: Any, start: str) -> Any:
    found = [p for p in doc.paragraphs if p.text.startswith(start)]
    assert found, f"no paragraph starts with {start!r}"
    return found[0]


def test_docx_page_setup(docx_doc: Any) -> None:
    sec = docx_doc.sections[0]
    assert sec.orientation == WD_ORIENT.PORTRAIT
    assert sec.page_width.mm == pytest.approx(210, abs=0.5)
    assert sec.page_height.mm == pytest.approx(297, abs=0.5)
    for got, want in ((sec.top_margin, 37), (sec.bottom_margin, 35), (sec.left_margin, 28), (sec.right_margin, 26)):
        assert got.mm == pytest.approx(want, abs=0.5)


def test_docx_title_and_body_fonts(docx_doc: Any) -> None:
    title = docx_doc.paragraphs[0]
    assert title.text == "关于示范县政府网站政府信息公开专栏检查情况的通报"
    assert east_asia_font(title) == "方正小标宋简体"
    assert size_pt(title) == 22
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = _para(docx_doc, "本次共检查网站2个")
    assert east_asia_font(body) == "仿宋_GB2312"
    assert size_pt(body) == 16
    pf = body.style.paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= pf.line_spacing.pt <= 29
    assert pf.first_line_indent == Pt(32)  # two characters of 三号
    assert "合格率50.0%" in body.text and "不合格网站为：示范县人民政府" in body.text
    assert _para(docx_doc, "各乡镇人民政府").paragraph_format.first_line_indent == Pt(0)  # 主送 顶格


def test_docx_heading_levels(docx_doc: Any) -> None:
    heads = [p.text for p in docx_doc.paragraphs if re.match("^[一二三四五六七八九十]+、", p.text)]
    assert heads == ["一、总体情况", "二、存在问题", "三、整改情况", "四、整改要求", "五、需人工核实的事项"]
    assert east_asia_font(_para(docx_doc, "一、总体情况")) == "黑体"
    h2 = _para(docx_doc, "（一）")
    assert h2.text == "（一）错链断链（4个）"
    assert east_asia_font(h2) == "楷体_GB2312"
    h3 = _para(docx_doc, "1.示范县人民政府")
    assert east_asia_font(h3) == "仿宋_GB2312"
    assert bold(h3, h3.runs[0]) and not bold(h3, h3.runs[1])
    for p in (h2, h3):
        assert 28 <= p.style.paragraph_format.line_spacing.pt <= 29


def test_docx_problems_by_type_and_unit(docx_doc: Any) -> None:
    text = "\n".join(p.text for p in docx_doc.paragraphs)
    assert "共4个，涉及示范县人民政府、示范县教育局；责任单位：县财政局（2个）、县教育局（1个）" in text
    assert "依据：国办秘函〔2019〕19号 单项否决" in text
    assert "其余1个问题详见附件" in text  # 4 broken links, 3 examples, the most severe
    assert f"1.示范县人民政府“{ATTR}”：链接无法访问" in text and "学区划分" not in text
    assert "（四）按责任单位统计" in text and "1.县财政局：问题3个，涉及第31条。" in text
    assert "链接无法访问 " + XSS in text  # Word holds the crawled text as text
    assert "栏目超过6个月未更新" in text and "\x0b" not in text


def test_docx_footer_page_number(docx_doc: Any) -> None:
    assert docx_doc.settings.odd_and_even_pages_header_footer
    sec = docx_doc.sections[0]
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", xml)
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p.alignment == align
        run = p.runs[0]
        assert east_asia_font(p, run) == "宋体" and run.font.size == Pt(14)


def test_docx_signature_and_attachment_note(docx_doc: Any) -> None:
    texts = [p.text for p in docx_doc.paragraphs]
    i_note = texts.index("附件：问题清单")
    i_issuer = texts.index("示范县人民政府办公室（政务公开办）")
    assert i_note < i_issuer and texts[i_issuer + 1] == "2026年11月22日"
    for p in docx_doc.paragraphs[i_issuer:i_issuer + 2]:
        assert p.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert p.paragraph_format.right_indent.pt >= 32  # at least 右空二字


def test_docx_attachment_table(docx_doc: Any) -> None:
    assert len(docx_doc.tables) == 1
    table = docx_doc.tables[0]
    headers = [c.text for c in table.rows[0].cells]
    assert headers == ["序号", "责任单位", "网站", "问题类型", "问题网址", "问题描述/证据", "依据", "整改要求"]
    findings = sample_report()["findings"]
    assert len(table.rows) == 1 + len(findings)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header repeated on each page
    urls = [r.cells[4].text for r in table.rows[1:]]
    assert sorted(urls) == sorted(f["url"] for f in findings)
    assert table.rows[1].cells[4].text == "http://www.example.gov.cn/zwgk/czyjs/"  # high severity first
    assert [r.cells[0].text for r in table.rows[1:]] == [str(n) for n in range(1, 7)]
    row = next(r for r in table.rows[1:] if r.cells[4].text == JS_URL)
    assert "证据：" + XSS in row.cells[5].text and "仍未整改" in row.cells[5].text
    widths = [c.width.mm for c in table.rows[1].cells]
    assert widths[4] > 2 * widths[0] and sum(widths) <= 297 - 37 - 35 + 0.5  # fits the landscape 版心
    land = docx_doc.sections[-1]
    assert len(docx_doc.sections) == 2 and land.orientation == WD_ORIENT.LANDSCAPE
    assert land.page_width.mm == pytest.approx(297, abs=0.5)
    label = [p for p in docx_doc.paragraphs if p.text == "附件"]
    assert len(label) == 1 and east_asia_font(label[0]) == "黑体"  # 附件 3号黑体 顶格
    assert label[0].paragraph_format.first_line_indent == Pt(0)


def test_docx_doc_number_above_title(tmp_path: Path) -> None:
    report = sample_report()
    report["doc_number"] = "示政办函〔2026〕7号"
    doc = Document(str(render_docx(report, tmp_path / "n.docx")))
    first, second = doc.paragraphs[0], doc.paragraphs[1]
    assert first.text == "示政办函〔2026〕7号" and first.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert second.text == report["title"]


def test_unit_grouping_only_with_named_units(tmp_path: Path) -> None:
    report = sample_report()
    for f in report["findings"]:
        f["units"] = []
    report["by_unit"] = [{"unit": "未指定责任单位", "count": 6, "findings": list(range(6)), "clauses": []}]
    doc = Document(str(render_docx(report, tmp_path / "u.docx")))
    assert not any("按责任单位" in p.text for p in doc.paragraphs)
    html = lxml_html.fromstring(render_html(report, tmp_path / "u.html").read_text(encoding="utf-8"))
    assert not html.xpath("//table[@id='units']") and len(html.xpath("//svg")) == 1
    report["findings"][0]["units"] = ["县财政局"]
    report["by_unit"].insert(0, {"unit": "县财政局", "count": 1, "findings": [0], "clauses": []})
    doc = Document(str(render_docx(report, tmp_path / "v.docx")))
    assert any(p.text.startswith("2.未指定责任单位：问题6个") for p in doc.paragraphs)


def test_docx_tracking_only_with_previous_run(tmp_path: Path) -> None:
    doc = Document(str(render_docx(sample_report(previous=False), tmp_path / "a.docx")))
    text = [p.text for p in doc.paragraphs]
    assert "三、整改要求" in text and not any(t.endswith("、整改情况") for t in text)
    assert not any(t.startswith("与上次检查") for t in text)
    report = sample_report(previous=False)
    report["findings"] = report["by_type"] = report["by_unit"] = report["manual_items"] = []
    doc = Document(str(render_docx(report, tmp_path / "b.docx")))
    assert not doc.tables and len(doc.sections) == 1
    assert "本次检查未发现问题。" in [p.text for p in doc.paragraphs]


def test_docx_user_wording_and_reference_styles(tmp_path: Path) -> None:
    (tmp_path / "docx_wording.yaml").write_text(
        "headings:\n  requirements: 工作要求\nlayout:\n  line_spacing_pt: 28\n", encoding="utf-8")
    ref = Document()
    style = ref.styles.add_style("通报正文", 1)
    style.font.size = Pt(15)
    ref.save(str(tmp_path / "reference.docx"))
    doc = Document(str(render_docx(sample_report(), tmp_path / "c.docx", template_dir=tmp_path)))
    assert "四、工作要求" in [p.text for p in doc.paragraphs]
    assert size_pt(_para(doc, "本次共检查网站")) == 15  # the reference document's style wins
    assert _para(doc, "一、总体情况").style.paragraph_format.line_spacing.pt == 28


# WordprocessingML child order (ECMA-376 Part 1, CT_PPr / CT_RPr / CT_TblPr): Word calls a
# document corrupt when children come out of this order.
_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
           "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
           "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
           "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
           "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
             "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
}


def test_docx_elements_in_schema_order(docx_doc: Any) -> None:
    parts = [docx_doc.element, docx_doc.styles.element]
    for sec in docx_doc.sections:
        parts += [sec.footer._element, sec.even_page_footer._element]
    checked = 0
    for part in parts:
        for name, seq in _ORDER.items():
            rank = {qn(f"w:{t}"): i for i, t in enumerate(seq.split())}
            for el in part.iter(qn(f"w:{name}")):
                ranks = [rank.get(c.tag, -1) for c in el]
                assert -1 not in ranks, (name, [c.tag for c in el])
                assert ranks == sorted(ranks), (name, [c.tag.split("}")[1] for c in el])
                checked += 1
    assert checked > 50


def test_docx_edited_reference_document(tmp_path: Path) -> None:
    """A reference.docx made by write_reference_docx and edited by a user styles the 通报."""
    from reports.docx_report import write_reference_docx

    ref = Document(str(write_reference_docx(tmp_path / "reference.docx")))
    ref.styles["通报一级标题"].font.size = Pt(18)
    ref.save(str(tmp_path / "reference.docx"))
    doc = Document(str(render_docx(sample_report(), tmp_path / "r.docx", template_dir=tmp_path)))
    assert size_pt(_para(doc, "一、总体情况")) == 18
    assert doc.paragraphs[0].text == sample_report()["title"]  # the samples are gone
    footer = doc.sections[0].footer.paragraphs
    assert len(footer) == 1 and footer[0]._p.xml.count("PAGE") == 1
