"""Demo part: policy documents (规范性文件) and their 解读, with the GA3xx defects planted.

Round 1:
* 《示范县农村生活垃圾治理办法》: no 解读 anywhere (GA301 missing).
* 《示范县城区停车管理办法》: 解读 linked both ways but published 30 days later (GA302 late).
* 《示范县促进民营经济发展若干措施》: 解读 the same day, named only in 《》, no links either way
  (GA303 unlinked, both directions).
* 《示范县政府信息公开办法》: 解读 that copies the document text (GA304 formal).
* 《示范县城镇燃气安全管理规定》: no 解读, and the page has a 相关解读 box that only JavaScript fills
  (GA301 at low severity, manual confirmation).
* 《示范县公共资源交易管理办法》: on time, linked both ways, own words (no finding).
* a personnel notice with a 文号 (任免): no 解读 needed (no finding).

Round 2 (after 整改): the 民营经济 document and its 解读 now link each other, and the 垃圾治理 document
got its 解读 (now late).
"""

from __future__ import annotations

import datetime as _dt

from ..site import OFFICE, DemoSite, e

DOC_COL, DOC_PATH, DOC_DIR = "规范性文件", "/xxgk/gfxwj/index.html", "/xxgk/gfxwj"
JD_COL, JD_PATH, JD_DIR = "政策解读", "/xxgk/zcjd/index.html", "/xxgk/zcjd"

JS_BOX = (
    '<div class="abouts xgjd" id="articleXGJD" style="display: none"><span>相关解读</span><ul></ul></div>'
    "<script>var xgjd = document.getElementById('articleXGJD');"
    "$.getJSON('/api/reldoc?type=xgjd', function(d){ if(d.length){ xgjd.style.display='block'; } });</script>"
)


def _doc_body(name: str, subject: str) -> str:
    """A plausible 规范性文件 text with numbered articles."""
    clauses = [
        f"第一条 为加强{subject}管理，维护公共利益，保障公民、法人和其他组织的合法权益，结合本县实际，制定本办法。",
        f"第二条 本县行政区域内的{subject}及其监督管理活动，适用本办法。",
        f"第三条 县人民政府统一领导全县{subject}工作，有关部门按照各自职责做好相关工作。",
        f"第四条 {subject}应当遵循依法规范、公开透明、便民高效的原则，接受社会监督。",
        "第五条 违反本办法规定的，由有关部门依照法律法规予以处理；构成犯罪的，依法追究刑事责任。",
        f"第六条 本办法自印发之日起施行，有效期五年。《{name}》由县人民政府办公室负责解释。",
    ]
    return "".join(f"<p>{e(c)}</p>" for c in clauses)


def _jd_body(name: str, subject: str) -> str:
    """A 解读 in its own words: background, aims, what changes."""
    return (
        f"<p>近日，县政府办公室印发《{e(name)}》。为便于社会公众理解和执行，现就有关情况解读如下。</p>"
        f"<p>一、出台背景。近年来，我县{e(subject)}需求快速增长，原有做法已难以适应群众期待，亟需统一规范。</p>"
        "<p>二、主要目的。通过明确部门职责、细化办理流程，让群众和企业办事更方便、预期更稳定。</p>"
        "<p>三、新旧差异。与以往做法相比，新规增加了公开透明要求和社会监督渠道，压实了部门责任。</p>"
        "<p>四、咨询方式。如有疑问，可拨打县政务服务热线咨询。</p>"
    )


def _add_doc(site: DemoSite, d: _dt.date, name: str, subject: str, number: str, *,
             related: list[tuple[str, str]] | None = None, extra_html: str = "") -> tuple[str, str]:
    title = f"{OFFICE}关于印发《{name}》的通知"
    path = site.article_path(DOC_DIR, d)
    site.add_article(path, title=title, date=d, column=DOC_COL, column_path=DOC_PATH, column_type="规范性文件",
                     doc_number=number,
                     info={"索引号": f"003399001/{d.year}-{site.next_id()}", "发布机构": OFFICE,
                           "成文日期": f"{d:%Y-%m-%d}"},
                     body_html=f"<p>各乡镇人民政府，县政府各部门：</p><p>现将《{e(name)}》印发给你们，请认真贯彻执行。</p>"
                               + _doc_body(name, subject),
                     related=related, related_title="相关解读", extra_html=extra_html)
    return title, path


def _add_jd(site: DemoSite, d: _dt.date, name: str, subject: str, *, body_html: str = "",
            related: list[tuple[str, str]] | None = None, path: str = "") -> str:
    path = path or site.article_path(JD_DIR, d)
    site.add_article(path, title=f"《{name}》政策解读", date=d, column=JD_COL, column_path=JD_PATH,
                     column_type="政策解读", body_html=body_html or _jd_body(name, subject),
                     related=related, related_title="相关文件")
    return path


def build(site: DemoSite) -> None:
    # -- missing: no 解读 anywhere (round 2: a 解读 comes, late)
    d = site.day(120)
    name, subject = "示范县农村生活垃圾治理办法", "农村生活垃圾治理"
    title, doc = _add_doc(site, d, name, subject, "示政办发〔2026〕8号")
    if site.round >= 2:
        _add_jd(site, site.day(10), name, subject, related=[(title, doc)])

    # -- late: linked both ways, 30 days after the document
    d = site.day(90)
    name, subject = "示范县城区停车管理办法", "城区停车"
    jd_path = site.article_path(JD_DIR, d + _dt.timedelta(days=30))
    title, doc = _add_doc(site, d, name, subject, "示政办发〔2026〕11号", related=[(f"《{name}》政策解读", jd_path)])
    _add_jd(site, d + _dt.timedelta(days=30), name, subject, related=[(title, doc)], path=jd_path)

    # -- unlinked: same day, matched only by the 《》 title (round 2: linked both ways)
    d = site.day(60)
    name, subject = "示范县促进民营经济发展若干措施", "民营经济发展"
    jd_path = site.article_path(JD_DIR, d)
    fixed = site.round >= 2
    title, doc = _add_doc(site, d, name, subject, "示政发〔2026〕5号",
                          related=[(f"《{name}》政策解读", jd_path)] if fixed else None)
    _add_jd(site, d, name, subject, path=jd_path, related=[(title, doc)] if fixed else None)

    # -- formal: the 解读 copies the document's articles
    d = site.day(45)
    name, subject = "示范县政府信息公开办法", "政府信息公开"
    jd_path = site.article_path(JD_DIR, d)
    title, doc = _add_doc(site, d, name, subject, "示政办发〔2026〕15号", related=[(f"《{name}》政策解读", jd_path)])
    _add_jd(site, d, name, subject, path=jd_path, related=[(title, doc)],
            body_html=f"<p>《{e(name)}》主要内容如下：</p>" + _doc_body(name, subject))

    # -- JS-only 相关解读 box, no 解读 found anywhere: needs manual confirmation
    d = site.day(30)
    _add_doc(site, d, "示范县城镇燃气安全管理规定", "城镇燃气安全", "示政办发〔2026〕18号", extra_html=JS_BOX)

    # -- correct: on time, linked both ways, own words
    d = site.day(5)
    name, subject = "示范县公共资源交易管理办法", "公共资源交易"
    jd_path = site.article_path(JD_DIR, d)
    title, doc = _add_doc(site, d, name, subject, "示政办发〔2026〕21号", related=[(f"《{name}》政策解读", jd_path)])
    _add_jd(site, d, name, subject, path=jd_path, related=[(title, doc)])

    # -- no 解读 needed: personnel notice with a 文号
    d = site.day(20)
    path = site.article_path(DOC_DIR, d)
    site.add_article(path, title="示范县人民政府关于李明同志职务任免的通知", date=d, column=DOC_COL,
                     column_path=DOC_PATH, column_type="规范性文件", doc_number="示政任〔2026〕3号",
                     body_html="<p>经县人民政府研究决定：任命李明同志为示范县政务服务中心主任。</p>")
