"""The Word 通报 in official-document format (GB/T 9704-2012), built with python-docx.

Layout and wording come from ``templates/docx_wording.yaml`` (a user's copy in
``template_dir`` overrides it key by key); a ``reference.docx`` there may define
the paragraph styles (通报标题, 通报正文, 通报一级标题 ...) and is then used as
the base document.

Structure: 发文字号 (when given), title, 主送机关, opening paragraph, 一、总体情况,
二、存在问题 (by type with examples; by unit), 三、整改情况 (only with a previous
run), 整改要求, 需人工核实的事项 (when any), 附件说明, 署名 and 成文日期, then a
landscape section with 附件 问题清单 (table header repeated on every page).
Page numbers ``— 1 —`` in the footer, odd pages right, even pages left.

Example::

    from reports.docx_report import render_docx
    render_docx({"title": "关于…的通报", "sites": [], "findings": []}, "通报.docx")
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2
import yaml
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from reports.render import (
    SEVERITY_ORDER,
    ReportError,
    basis_text,
    short_basis,
    check_report,
    clause_label,
    clean_text,
    cn_date,
    cn_number,
    finding_status,
    sorted_finding_indices,
    summary,
    template_file,
)

WORDING_FILE = "docx_wording.yaml"
REFERENCE_FILE = "reference.docx"


# ---------------------------------------------------------------------------
# Wording (YAML of Jinja templates)
# ---------------------------------------------------------------------------


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_wording(template_dir: str | Path | None = None) -> dict[str, Any]:
    """The packaged wording, overridden key by key by ``template_dir/docx_wording.yaml``."""
    packaged = Path(__file__).with_name("templates") / WORDING_FILE
    wording = _read_yaml(packaged)
    user = template_file(WORDING_FILE, template_dir)
    if user != packaged:
        wording = _merge(wording, _read_yaml(user))
    return wording


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ReportError(f"cannot read wording template {path}: {e}") from e
    if not isinstance(data, dict):
        raise ReportError(f"wording template {path} is not a YAML mapping")
    return data


def _end(text: Any) -> str:
    """Close a sentence with 。 unless it already ends with punctuation."""
    s = str(text or "").rstrip()
    return s if not s or s[-1] in "。！？；.!?;）)" else s + "。"


@functools.lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    # Plain text into Word: python-docx escapes XML, so no HTML autoescape here.
    env = jinja2.Environment(autoescape=False, undefined=jinja2.ChainableUndefined)
    env.filters.update(end=_end, clause=clause_label, cn_date=cn_date, cn_number=cn_number)
    return env


@functools.lru_cache(maxsize=512)
def _compiled(source: str) -> jinja2.Template:
    return _env().from_string(source)


def _set_style(paragraph: Paragraph, style: Any) -> None:
    """Apply a paragraph style by id (python-docx's by-object lookup scans every style each time)."""
    paragraph._p.style = style.style_id


class _Text:
    """Renders the wording templates with a base context."""

    def __init__(self, wording: dict[str, Any], base: dict[str, Any]) -> None:
        self.wording = wording
        self.base = base

    def __call__(self, key: str | list[Any], **ctx: Any) -> str:
        source: Any = self.wording
        if isinstance(key, str):
            for part in key.split("."):
                source = source.get(part) if isinstance(source, dict) else None
        else:
            source = key[0]
        if source is None:
            raise ReportError(f"wording template has no entry {key!r}")
        try:
            return clean_text(_compiled(str(source)).render({**self.base, **ctx})).strip()
        except jinja2.TemplateError as e:
            raise ReportError(f"wording template entry {key!r} fails: {e}") from e


# ---------------------------------------------------------------------------
# Styles and page setup
# ---------------------------------------------------------------------------


def _set_fonts(rpr_owner: Any, east_asia: str, latin: str | None = None) -> None:
    """Name fonts for East Asian and Latin text on a style/run (w:rFonts)."""
    fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    latin = latin or east_asia
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _first_line_chars(pf_owner: Any, size_pt: float, chars: int = 2) -> None:
    """First-line indent of ``chars`` characters (w:firstLineChars, with twips fallback)."""
    ind = pf_owner.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLine"), str(int(size_pt * chars * 20)))
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _add_style(doc: DocxDocument, name: str, *, font: str, latin: str, size: float, bold: bool = False,
               align: Any = None, spacing: float | None = None, indent: bool = True,
               outline: int | None = None, style_id: str = "") -> None:
    """Create paragraph style ``name`` unless the reference document already defines it."""
    if name in [s.name for s in doc.styles]:
        return
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if style_id and style_id not in {x.style_id for x in doc.styles}:
        st.style_id = style_id  # ASCII ids: some tools mishandle non-ASCII style ids
    st.base_style = doc.styles["Normal"]
    st.quick_style = True
    st.font.size = Pt(size)
    st.font.bold = bold
    _set_fonts(st.element, font, latin)
    pf = st.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.widow_control = False  # keep 22 lines on every page
    if spacing:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(spacing)
    else:
        pf.line_spacing = 1.0
    if align is not None:
        pf.alignment = align
    if indent:
        _first_line_chars(st.element, size)
    else:
        pf.first_line_indent = Pt(0)
    if outline is not None:
        st.element.get_or_add_pPr().get_or_add_outlineLvl().set(qn("w:val"), str(outline))


def _setup_styles(doc: DocxDocument, layout: dict[str, Any], names: dict[str, str]) -> None:
    """Create the 通报 paragraph styles (GB/T 9704: 标题 二号小标宋, 正文 三号仿宋, 一级 黑体,
    二级 楷体, 三级 仿宋加粗) unless the reference document defines them."""
    fonts, sizes = layout["fonts"], layout["sizes_pt"]
    latin, body, line, table_line = (fonts["latin"], sizes["body"], layout["line_spacing_pt"],
                                     layout["table_line_spacing_pt"])
    normal = doc.styles["Normal"]
    normal.font.size = Pt(body)
    _set_fonts(normal.element, fonts["body"], latin)
    center, just, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.RIGHT
    specs: dict[str, dict[str, Any]] = {
        "title": dict(font=fonts["title"], latin=fonts["title"], size=sizes["title"], align=center,
                      spacing=layout["title_line_spacing_pt"], indent=False),
        "body": dict(font=fonts["body"], latin=latin, size=body, align=just, spacing=line),
        "h1": dict(font=fonts["h1"], latin=fonts["h1"], size=body, align=just, spacing=line, outline=0),
        "h2": dict(font=fonts["h2"], latin=latin, size=body, align=just, spacing=line, outline=1),
        "h3": dict(font=fonts["h3"], latin=latin, size=body, bold=True, align=just, spacing=line),
        "signature": dict(font=fonts["body"], latin=latin, size=body, align=right, spacing=line, indent=False),
        "table": dict(font=fonts["table"], latin=latin, size=sizes["table"], spacing=table_line, indent=False),
        "table_header": dict(font=fonts["table_header"], latin=fonts["table_header"], size=sizes["table"],
                             align=center, spacing=table_line, indent=False),
        "page_number": dict(font=fonts["page_number"], latin=fonts["page_number"], size=sizes["page_number"],
                            indent=False),
    }
    for key, spec in specs.items():
        _add_style(doc, names[key], style_id="Tongbao" + key.title().replace("_", ""), **spec)


def _page_setup(section: Any, page: dict[str, Any], *, landscape: bool = False,
                margins: dict[str, Any] | None = None) -> None:
    m = margins or page
    w, h = Mm(page["width_mm"]), Mm(page["height_mm"])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (h, w) if landscape else (w, h)
    section.top_margin = Mm(m["top_mm"])
    section.bottom_margin = Mm(m["bottom_mm"])
    section.left_margin = Mm(m["left_mm"])
    section.right_margin = Mm(m["right_mm"])
    section.footer_distance = Mm(m.get("footer_mm", 23))
    section.header_distance = Mm(15)
    section.gutter = Mm(0)


def _page_number_field(paragraph: Paragraph, font: str, size: float) -> None:
    """``— PAGE —`` in ``paragraph`` (a Word field, so every page shows its own number)."""
    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        r.font.size = Pt(size)
        _set_fonts(r._r, font, font)
        return r

    def fld(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run()._r.append(el)

    run("— ")
    fld("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run()._r.append(instr)
    fld("separate")
    run("1")
    fld("end")
    run(" —")


def _footers(doc: DocxDocument, section: Any, layout: dict[str, Any], style: str) -> None:
    """Odd pages: number right, one character in; even pages: left, one character in."""
    doc.settings.odd_and_even_pages_header_footer = True
    size = layout["sizes_pt"]["page_number"]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        for child in list(footer._element):  # a reference document's own footer is replaced
            footer._element.remove(child)
        p = footer.add_paragraph()
        p.style = doc.styles[style]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(size)
        else:
            p.paragraph_format.left_indent = Pt(size)
        _page_number_field(p, layout["fonts"]["page_number"], size)


# ---------------------------------------------------------------------------
# Body
# ---------------------------------------------------------------------------


class _Writer:
    def __init__(self, doc: DocxDocument, names: dict[str, str]) -> None:
        self.doc = doc
        self.names = names
        self.styles = {key: doc.styles[name] for key, name in names.items()}
        self.h1_count = 0

    def para(self, text: str, style: str = "body", *, lead: str = "") -> Paragraph:
        p = self.doc.add_paragraph()
        _set_style(p, self.styles[style])
        if lead:
            p.add_run(clean_text(lead)).bold = True
        if text:
            run = p.add_run(clean_text(text))
            if lead:
                run.bold = False  # run-in heading: only the lead (``1.×××``) is bold
        return p

    def h1(self, title: str) -> Paragraph:
        self.h1_count += 1
        return self.para(f"{cn_number(self.h1_count)}、{title}", "h1")


def _width_chars(text: str) -> float:
    """Width in full-width characters (ASCII digits and letters count half)."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def _signature(w: _Writer, issuer: str, date_text: str, size: float) -> None:
    """署名 and 成文日期 (GB/T 9704 7.3.5.2, no seal): 署名 right 2 chars in; date starts 2 chars
    right of the 署名's first character, or right 2 chars in when it is longer."""
    li, ld = _width_chars(issuer), _width_chars(date_text)
    if li and li - ld >= 2:
        issuer_right, date_right = 2.0, li - ld
    else:
        date_right = 2.0
        issuer_right = max(2.0, ld + 4 - li)
    w.para("", "body")  # 正文（或附件说明）下空一行
    for text, right in ((issuer, issuer_right), (date_text, date_right)):
        if text:
            p = w.para(text, "signature")
            p.paragraph_format.right_indent = Pt(right * size)


def _findings_of(report: dict[str, Any], group: dict[str, Any]) -> list[dict[str, Any]]:
    """The group's findings, most severe first (stable within a severity)."""
    findings = report.get("findings") or []
    found = [findings[i] for i in group.get("findings") or [] if isinstance(i, int) and 0 <= i < len(findings)]
    return sorted(found, key=lambda f: SEVERITY_ORDER.get(str(f.get("severity")), 3))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(x for x in items if x))


def _write_overview(w: _Writer, t: _Text, report: dict[str, Any], s: dict[str, Any]) -> None:
    w.h1(t("headings.overview"))
    w.para(t("overview"))
    for i, site in enumerate(s["sites"], 1):
        w.para(t("site_text", site=site, i=i), "h3", lead=t("site_lead", site=site, i=i))
    errors = [f"{e.get('check', '')}（{e.get('error', '')}）" for e in report.get("check_errors") or []
              if isinstance(e, dict)]
    if errors:
        w.para(t("check_errors", errors=errors))


def _write_problems(w: _Writer, t: _Text, report: dict[str, Any], s: dict[str, Any]) -> None:
    w.h1(t("headings.problems"))
    w.para(t("problems_intro"))
    limit = int(t.wording.get("limits", {}).get("examples_per_type", 3))
    n = 0
    for group in s["by_type"]:
        found = _findings_of(report, group)
        n += 1
        w.para(t("type_heading", t=group, n=cn_number(n)), "h2")
        units: dict[str, int] = {}
        for f in found:
            for u in f.get("units") or []:
                units[str(u)] = units.get(str(u), 0) + 1
        basis = "；".join(_unique([part for f in found for part in basis_text(f.get("basis")).split("；") if part])[:4])
        examples = found[:limit]
        w.para(t("type_text", t=group, sites=_unique([str(f.get("site") or "") for f in found]),
                 units=[f"{u}（{c}个）" for u, c in units.items()], basis=basis, examples=examples))
        for i, f in enumerate(examples, 1):
            w.para(t("example_text", f=f, i=i), "h3", lead=t("example_lead", f=f, i=i))
        rest = int(group.get("count") or len(found)) - len(examples)
        if rest > 0:
            w.para(t("type_more", rest=rest))
    units = s["by_unit"]
    if units:
        n += 1
        w.para(t("by_unit_heading", n=cn_number(n)), "h2")
        for i, u in enumerate(units, 1):
            w.para(t("unit_text", u=u, i=i), "h3", lead=t("unit_lead", u=u, i=i))


def _write_tracking(w: _Writer, t: _Text, s: dict[str, Any]) -> None:
    tracking = s["tracking"]
    fixed = [f for f in tracking.get("fixed_findings") or [] if isinstance(f, dict)]
    limit = int(t.wording.get("limits", {}).get("fixed_listed", 20))
    w.h1(t("headings.tracking"))
    w.para(t("tracking", fixed=fixed))
    for i, f in enumerate(fixed[:limit], 1):
        w.para(t("fixed_text", f=f, i=i), "h3", lead=t("fixed_lead", f=f, i=i))
    if len(fixed) > limit:
        w.para(t("fixed_more", rest=len(fixed) - limit))


def _write_requirements(w: _Writer, t: _Text, report: dict[str, Any]) -> None:
    w.h1(t("headings.requirements"))
    reqs = [str(r) for r in report.get("requirements") or [] if str(r).strip()]
    if not reqs:
        reqs = [t([r]) for r in t.wording.get("requirements_default") or []]
    for r in reqs:
        w.para(r)


def _write_manual(w: _Writer, t: _Text, report: dict[str, Any]) -> None:
    items = [x for x in report.get("manual_items") or [] if isinstance(x, dict)]
    if not items:
        return
    w.h1(t("headings.manual"))
    w.para(t("manual_intro"))
    for i, item in enumerate(items, 1):
        w.para(t("manual_text", item=item, i=i), "h3", lead=t("manual_lead", item=item, i=i))


# ---------------------------------------------------------------------------
# 附件 问题清单
# ---------------------------------------------------------------------------


def _cell_text(cell: Any, text: str, style: Any) -> None:
    lines = clean_text(text).split("\n")
    first = cell.paragraphs[0]
    _set_style(first, style)
    first.add_run(lines[0])
    for line in lines[1:]:
        _set_style(cell.add_paragraph(line), style)


def _table_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            el.set(qn(k), v)
        borders.append(el)
    # keep the schema order of w:tblPr children (Word rejects files that break it)
    later = {qn(f"w:{t}") for t in ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")}
    successor = next((c for c in tbl_pr if c.tag in later), None)
    if successor is not None:
        successor.addprevious(borders)
    else:
        tbl_pr.append(borders)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _write_attachment(w: _Writer, t: _Text, report: dict[str, Any], layout: dict[str, Any]) -> None:
    doc = w.doc
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    # python-docx closes the previous section with an empty paragraph: give it the body style.
    breaker = doc.paragraphs[-1] if doc.paragraphs else None
    if breaker is not None and not breaker.text:
        _set_style(breaker, w.styles["body"])
    _page_setup(section, layout["page"], landscape=True, margins=layout["landscape"])
    w.para(t("attachment_label"), "h1").paragraph_format.first_line_indent = Pt(0)
    w.para("", "body")
    w.para(str(report.get("attachments_title") or "问题清单"), "title")
    w.para("", "body")
    spec = t.wording["table"]
    headers, cells = [str(h) for h in spec["headers"]], list(spec["cells"])
    if len(headers) != len(cells):
        raise ReportError(f"wording template table has {len(headers)} headers but {len(cells)} cell templates")
    widths = list(layout.get("table_widths_mm") or [])
    table = doc.add_table(rows=1, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_borders(table)
    head_style, cell_style = w.styles["table_header"], w.styles["table"]
    for cell, h in zip(table.rows[0].cells, headers):
        _cell_text(cell, h, head_style)
    _repeat_header(table.rows[0])
    findings = report.get("findings") or []
    for n, i in enumerate(sorted_finding_indices(findings), 1):
        f = findings[i]
        row = table.add_row()
        basis = short_basis(f.get("basis"))
        for cell, tpl in zip(row.cells, cells):
            _cell_text(cell, t([tpl], f=f, i=n, basis=basis, status=finding_status(f)), cell_style)
    if len(widths) == len(headers):
        for column, mm in zip(table.columns, widths):
            column.width = Mm(mm)
        for row in table.rows:
            for cell, mm in zip(row.cells, widths):
                cell.width = Mm(mm)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def _base_document(template_dir: str | Path | None) -> DocxDocument:
    ref = template_file(REFERENCE_FILE, template_dir)
    if not ref.is_file():
        return Document()
    try:
        doc = Document(str(ref))
    except Exception as e:  # python-docx raises several kinds for a bad package
        raise ReportError(f"cannot open reference document {ref}: {e}") from e
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def _context(report: dict[str, Any], s: dict[str, Any], wording: dict[str, Any]) -> dict[str, Any]:
    prev = s["previous_run"] or {}
    return {**{k: v for k, v in report.items()}, **s,
            "report": report, "headings": wording.get("headings", {}),
            "date_cn": cn_date(report.get("date")), "as_of_cn": cn_date(report.get("as_of") or report.get("date")),
            "prev_date_cn": cn_date(prev.get("date")) if isinstance(prev, dict) else "",
            "attachments_title": report.get("attachments_title") or "问题清单"}


def build_docx(report: dict[str, Any], *, template_dir: str | Path | None = None) -> DocxDocument:
    """The 通报 as a python-docx Document (not yet saved)."""
    check_report(report)
    wording = load_wording(template_dir)
    layout, names = wording["layout"], wording["styles"]
    doc = _base_document(template_dir)
    _setup_styles(doc, layout, names)
    section = doc.sections[0]
    _page_setup(section, layout["page"])
    _footers(doc, section, layout, names["page_number"])
    s = summary(report)
    t = _Text(wording, _context(report, s, wording))
    w = _Writer(doc, names)
    size = float(layout["sizes_pt"]["body"])

    number = t("doc_number")
    if number:  # 发文字号 centred above the title, title two lines below (GB/T 9704 7.2.4, 7.3.1)
        num = w.para(number, "signature")
        num.alignment = WD_ALIGN_PARAGRAPH.CENTER
        num.paragraph_format.right_indent = Pt(0)
        num.paragraph_format.space_after = Pt(2 * layout["line_spacing_pt"])
    title = w.para(str(report["title"]), "title")
    title.paragraph_format.space_after = Pt(layout["line_spacing_pt"])  # 标题下空一行
    if report.get("recipients"):
        w.para(str(report["recipients"]), "body").paragraph_format.first_line_indent = Pt(0)  # 顶格
    if report.get("intro"):
        w.para(t("intro"))
    _write_overview(w, t, report, s)
    _write_problems(w, t, report, s)
    if s["previous_run"]:
        _write_tracking(w, t, s)
    _write_requirements(w, t, report)
    _write_manual(w, t, report)
    has_table = bool(report.get("findings"))
    if has_table:
        w.para("", "body")
        w.para(t("attachment_note"))
    _signature(w, str(report.get("issuer") or ""), cn_date(report.get("date")), size)
    if has_table:
        _write_attachment(w, t, report, layout)
    return doc


def write_reference_docx(path: str | Path, *, template_dir: str | Path | None = None) -> Path:
    """Write a ``reference.docx`` holding the 通报 styles, one sample paragraph each.

    Edit the styles in Word (not the sample text), save it as ``reference.docx`` in
    your template folder, and every 通报 rendered with that folder uses them.
    """
    wording = load_wording(template_dir)
    layout, names = wording["layout"], wording["styles"]
    doc = _base_document(template_dir)
    _setup_styles(doc, layout, names)
    _page_setup(doc.sections[0], layout["page"])
    _footers(doc, doc.sections[0], layout, names["page_number"])
    w = _Writer(doc, names)
    for key, sample in (("title", "关于××的通报（通报标题）"), ("body", "正文（通报正文）。"),
                        ("h1", "一、一级标题（通报一级标题）"), ("h2", "（一）二级标题（通报二级标题）"),
                        ("h3", "1.三级标题（通报三级标题）"), ("signature", "署名与日期（通报署名）"),
                        ("table_header", "表头（通报表头）"), ("table", "表格文字（通报表格）")):
        w.para(sample, key)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def render_docx(report: dict[str, Any], path: str | Path, *, template_dir: str | Path | None = None) -> Path:
    """Write the Word 通报 to ``path`` (parent folders created) and return the path."""
    doc = build_docx(report, template_dir=template_dir)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        doc.save(str(out))
    except OSError as e:
        raise ReportError(f"cannot write {out}: {e}") from e
    return out
