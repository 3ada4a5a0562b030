"""The extractor on every real page in tests/data/realpages/.

Expected dates were read by eye from each file (the date a reader sees next to
the heading); SOURCES.tsv gives the meta PubDate.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from govaudit.extract import extract
from govaudit.models import LINK_CONTEXTS, LINK_KINDS, PAGE_KINDS

REAL = Path(__file__).parent / "data" / "realpages"

# file -> (published, source)
EXPECTED_DATES: dict[str, tuple[str | None, str | None]] = {
    "anhui_jyt_article.html": ("2023-11-06", "visible"),
    "beijing_daxing_article_dateonly.html": ("2024-09-27", "visible"),
    "beijing_fengtai_article.html": ("2024-05-30", "visible"),  # meta says 2024-06-03
    "beijing_fgw_article.html": ("2024-07-22", "visible"),
    "beijing_portal_article.html": ("2024-03-01", "meta"),  # no publish date shown; 开始时间 is an event date
    "beijing_shunyi_article_dateonly.html": ("2024-08-14", "visible"),
    "chongqing_whlyw_article.html": ("2021-07-13", "visible"),
    "fujian_anxi_article_jdhy_nav.html": ("2023-03-28", "visible"),
    "guangdong_portal_article.html": ("2023-02-25", "visible"),
    "guangxi_fangchenggang_article.html": ("2024-09-12", "visible"),
    "guangxi_gxzf_article.html": ("2024-10-17", "visible"),
    "guangzhou_huangpu_article_zfxxgk_2018.html": ("2018-03-20", "visible"),
    "guangzhou_portal_article.html": ("2023-12-05", "visible"),
    "hanweb_jiangsu_gov_article.html": ("2024-10-14", "visible"),  # Maketime meta is 2024-10-22
    "hanweb_jinan_gov_article.html": ("2024-06-19", "visible"),
    "hanweb_jinan_jnwl_article_2019.html": ("2019-07-10", "visible"),
    "hanweb_zj_ct_xxgk_article_zcwjjjd_col.html": ("2020-12-29", "visible"),
    "hanweb_zj_jyt_article_xxgk_gzdt.html": ("2024-10-21", "visible"),
    "langfang_aspnet_article_2019.html": ("2019-10-08", "visible"),
    "miit_article.html": ("2009-09-30", "visible"),  # meta says 2023-05-12
    "nfra_article_rendered_dom.html": ("2024-07-12", "visible"),
    "pingtan_policy_qgwhwj_29893_with_jiedu_link.html": ("2021-12-31", "visible"),
    "pingtan_zfxxgknb_list.html": (None, None),
    "qingdao_article_fzzfjs.html": ("2022-12-06", "visible"),
    "shaanxi_article_2013.html": ("2013-12-23", "visible"),
    "shanghai_article_pubdate_ratio_colon.html": ("2023-08-19", "visible"),
    "shanghai_wsjkw_article.html": ("2024-05-11", "visible"),
    "shenzhen_wtl_article.html": ("2023-11-16", "visible"),
    "sichuan_sctcm_article.html": ("2023-07-19", "visible"),  # meta says 2024-04-15
    "trs_beijing_jw_article_pubdate_doublespace.html": ("2023-11-30", "visible"),
    "trs_foshan_article.html": ("2024-06-25", "visible"),
    "trs_moe_article.html": ("2024-06-13", "visible"),  # 成文日期 2024-06-04 is not the publish date
    "trs_wuhan_gov_article_xgjd_block.html": ("2023-11-06", "visible"),
    "trs_wuhan_hongshan_article.html": ("2023-06-08", "visible"),
    "trs_wuhan_swj_article.html": ("2023-06-11", "visible"),
    "ucap_sichuan_article_jyda.html": ("2025-06-03", "meta"),  # date only in meta (JS fills the page)
    "ucap_sichuan_article_szdt.html": ("2022-10-14", "meta"),
    "urumqi_article_ijsp.html": ("2024-03-03", "visible"),
    "xiangtan_article_utf16le_declared_gb2312.html": ("2024-09-30", "visible"),
    "yunnan_article_2016.html": ("2016-08-11", "visible"),
}


def _sources() -> dict[str, dict[str, str]]:
    with open(REAL / "SOURCES.tsv", encoding="utf-8") as fh:
        return {row["local_name"]: row for row in csv.DictReader(fh, delimiter="\t")}


def _notes_field(notes: str, name: str) -> str:
    m = re.search(name + r"=('([^']*)'|(\S*))", notes)
    if not m:
        return ""
    return m.group(2) if m.group(2) is not None else m.group(3)


PAGES = sorted(p.name for p in REAL.glob("*.html"))
_CACHE: dict[str, object] = {}


def facts_of(name: str):
    if name not in _CACHE:
        _CACHE[name] = extract((REAL / name).read_bytes(), f"http://example.gov.cn/col/{name}")
    return _CACHE[name]


def test_every_page_has_an_expectation():
    missing = sorted(set(PAGES) - set(EXPECTED_DATES))
    assert not missing, f"add the date shown on these pages to EXPECTED_DATES: {missing}"
    assert not set(EXPECTED_DATES) - set(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_real_page_title_date_and_meta(name: str) -> None:
    f = facts_of(name)
    assert f.kind in PAGE_KINDS
    # title as a reader sees it: non-empty, no site-name suffix, no date line glued on
    assert 4 <= len(f.title) <= 120, f.title
    assert not re.search(r"[_|]\s*\S*(人民政府|门户网站)$", f.title), f.title
    assert not re.search(r"\d{4}-\d{2}-\d{2}", f.title), f.title
    assert name in EXPECTED_DATES, f"add the date shown on {name} to EXPECTED_DATES"
    published, source = EXPECTED_DATES[name]
    assert f.published == published, (f.visible_date_raw, f.meta_date)
    assert f.published_source == source
    src = _sources().get(name, {})
    pub_meta = _notes_field(src.get("notes", ""), "PubDate")
    if pub_meta:
        assert f.meta["PubDate"].split()[0] == pub_meta.split()[0]
        assert f.meta_date == pub_meta[:10]
        site_id = _notes_field(src["notes"], "SiteIDCode")
        assert f.meta.get("SiteIDCode") == site_id
    article_title = f.meta.get("ArticleTitle", "")
    if article_title and f.kind == "article":
        a, b = re.sub(r"\s", "", f.title), re.sub(r"\s", "", article_title)
        assert a in b or b in a, (f.title, article_title)
        assert len(a) >= 0.5 * len(b), (f.title, article_title)  # not a banner or the site name
    for link in f.links:
        assert link.kind in LINK_KINDS and link.context in LINK_CONTEXTS
        if link.kind in ("page", "attachment", "external"):
            assert link.url.startswith(("http://", "https://")) and "#" not in link.url


@pytest.mark.parametrize("name", [n for n in PAGES if EXPECTED_DATES.get(n, (None,))[0] and n != "pingtan_zfxxgknb_list.html"])
def test_real_articles_are_articles_with_a_body(name: str) -> None:
    f = facts_of(name)
    assert f.kind == "article"
    assert not f.is_not_found
    assert f.list_items == []
    # the body is the article text, not the menu
    if name == "trs_wuhan_hongshan_article.html":
        assert f.body_text == ""  # the article is one image
    else:
        assert len(f.body_text) >= 40
    assert "网站标识码" not in f.body_text


def test_disagreeing_dates_keep_both_and_visible_wins():
    cases = {
        "miit_article.html": ("2009-09-30", "2023-05-12"),
        "sichuan_sctcm_article.html": ("2023-07-19", "2024-04-15"),
        "beijing_fengtai_article.html": ("2024-05-30", "2024-06-03"),
    }
    for name, (visible, meta) in cases.items():
        f = facts_of(name)
        assert (f.visible_date, f.meta_date, f.published, f.published_source) == (visible, meta, visible, "visible")


def test_double_space_and_ratio_colon_meta_dates():
    f = facts_of("trs_beijing_jw_article_pubdate_doublespace.html")
    assert f.meta["PubDate"] == "2023-11-30  14:52" and f.meta_date == "2023-11-30"
    assert f.visible_date_raw.startswith("2023-11-30")
    g = facts_of("shanghai_article_pubdate_ratio_colon.html")
    assert g.meta["PubDate"] == "2023-08-19 10∶08" and g.meta_date == "2023-08-19"


def test_visible_raw_keeps_the_time():
    f = facts_of("pingtan_policy_qgwhwj_29893_with_jiedu_link.html")
    assert f.visible_date_raw == "2021-12-31 15:09"


def test_maketime_is_not_a_publish_date():
    f = facts_of("hanweb_jiangsu_gov_article.html")
    assert "Maketime" in f.meta
    assert f.meta_date == "2024-10-14"


def test_utf16_page_with_gb2312_meta():
    f = facts_of("xiangtan_article_utf16le_declared_gb2312.html")
    assert f.charset.startswith("utf-16")
    assert f.title == "“从齐白石故乡吹来的风”书画展亮相澳门"
    assert f.meta["SiteIDCode"] == "4303000006"
    assert "齐白石" in f.body_text


def test_pingtan_policy_doc_number_and_jiedu_link():
    f = extract(
        (REAL / "pingtan_policy_qgwhwj_29893_with_jiedu_link.html").read_bytes(),
        "https://www.pingtan.gov.cn/zwgk/zxwj/qgwhwj/202112/t20211231_29893.htm",
    )
    assert f.doc_number == "岚综管综〔2021〕143号"
    jd = [l for l in f.links if l.url == "https://www.pingtan.gov.cn/jdhy/zcjd/202201/t20220128_30293.htm"]
    assert jd and jd[0].kind == "page" and jd[0].context in ("related", "body")
    assert "政策解读" in jd[0].text
    # avalon bindings are placeholders, never fake relative URLs
    assert not any(l.url.endswith(("/logoutUrl", "/el.url")) for l in f.links)
    assert any(l.kind == "placeholder" for l in f.links)
    assert f.js_boxes  # JS-filled 政策文件/相关链接 sidebar
    assert f.footer.get("网站标识码") == "3590000001"
    assert f.footer.get("ICP备案") == "闽ICP备09032658号"
    assert f.column == "区管委会文件"
    assert [b["text"] for b in f.breadcrumbs][-1] == "区管委会文件"


def test_wuhan_hidden_relation_boxes():
    f = facts_of("trs_wuhan_gov_article_xgjd_block.html")
    assert "相关解读" in f.js_boxes
    # ColumnName glued to the site name
    assert f.meta["ColumnName"] == "武汉市人民政府门户网站武汉动态"
    assert f.column == "武汉动态"


def test_wuhan_swj_column_meta_holding_the_title_is_ignored():
    f = facts_of("trs_wuhan_swj_article.html")
    assert f.meta["ColumnName"] == f.meta["ArticleTitle"]
    assert f.column and f.column != f.meta["ColumnName"]


def test_pingtan_listing():
    f = extract(
        (REAL / "pingtan_zfxxgknb_list.html").read_bytes(), "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    )
    assert f.kind == "listing"
    assert len(f.list_items) == 10
    assert all(i.date for i in f.list_items)
    first = f.list_items[0]
    assert first.url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202603/t20260313_105587.htm"
    assert first.title == "平潭综合实验区2025年度政府信息公开工作年度报告"
    assert first.date == "2026-03-10"  # the list date, not the URL date
    assert f.list_items[-1].date == "2017-01-18"
    assert f.record_count == 20
    assert f.page_count == 2
    assert "年报" in f.title
    assert sum(1 for l in f.links if l.context == "list") == 10


def test_hanweb_zj_ct_info_table():
    f = facts_of("hanweb_zj_ct_xxgk_article_zcwjjjd_col.html")
    assert f.info_table["索引号"] == "002482330/2020-10091"
    assert f.info_table["发布机构"] == "省文化和旅游厅"
    assert f.info_table["成文日期"] == "2020-12-29"
    assert "文号" in f.info_table  # written 文　　号 with ideographic spaces
    assert [b["text"] for b in f.breadcrumbs][-2:] == ["政策文件及解读", "重要公告"]


def test_hanweb_zj_jyt_info_table():
    f = facts_of("hanweb_zj_jyt_article_xxgk_gzdt.html")
    assert f.info_table.get("索引号") == "002482082/2024-00332"
    assert f.info_table.get("公开方式") == "主动公开"


def test_doc_numbers_in_bodies():
    assert facts_of("trs_moe_article.html").doc_number == "教思政厅函〔2024〕10号"
    assert facts_of("shanghai_wsjkw_article.html").doc_number == "沪卫基层〔2024〕5号"


def test_header_row_info_table_and_inner_body_container():
    f = facts_of("shanghai_wsjkw_article.html")
    # labels in one row, values in the next (tbody after thead)
    assert f.info_table["索取号"] == "076478684Q/2024-00112"
    assert f.info_table["文件编号"] == "沪卫基层〔2024〕5号"
    assert [b["text"] for b in f.breadcrumbs][0] == "首页"  # '您现在所在的位置' label dropped
    # Ucap: the <ucapcontent> inside #articlecontent, not the wrapper with title and date line
    g = facts_of("ucap_sichuan_article_jyda.html")
    assert g.body_text.startswith("川卫函〔2025〕46号")
    assert "打印本页" not in g.body_text


def test_event_dates_are_not_publish_dates():
    f = facts_of("beijing_portal_article.html")
    assert f.visible_date is None  # 开始时间 2024-05-08 / 结束时间 2024-05-10 are the event's


def test_listing_body_is_not_the_footer():
    f = facts_of("pingtan_zfxxgknb_list.html")
    assert "主办单位" not in f.body_text
    assert f.footer["主办单位"] == "福建省平潭综合实验区管理委员会办公室"


@pytest.mark.parametrize(
    "name, crumbs",
    [
        ("miit_article.html", ["首页", "新闻动态", "工信动态", "地方工作"]),  # div.mnav holding 'a > a > a'
        ("hanweb_jiangsu_gov_article.html", ["首页", "要闻动态", "部门资讯"]),  # div.bt-position, nested tables
        ("nfra_article_rendered_dom.html", ["首页", "政务信息", "行政处罚", "总局机关"]),  # <li>当前位置：</li><li>…
        ("hanweb_zj_ct_xxgk_article_zcwjjjd_col.html", ["首页", "政务公开", "法定主动公开内容", "政策文件及解读", "重要公告"]),
    ],
)
def test_breadcrumb_shapes(name: str, crumbs: list[str]) -> None:
    f = facts_of(name)
    assert [b["text"] for b in f.breadcrumbs] == crumbs
    assert f.breadcrumbs[0]["url"].startswith("http://example.gov.cn/")
    assert any(l.context == "breadcrumb" for l in f.links)


def test_title_is_the_heading_shown_not_the_site_banner():
    f = facts_of("nfra_article_rendered_dom.html")
    # <title> is the site name; ArticleTitle adds the 文号; the page shows the heading alone
    assert f.title == "国家金融监督管理总局行政处罚信息公开表"


def test_annual_report_pages():
    ar = REAL / "annual_reports"
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm"
    f = extract((ar / "pingtan_2024_annual_report.html").read_bytes(), url)
    assert (f.kind, f.title) == ("article", "平潭综合实验区2024年度政府信息公开工作年度报告")
    assert (f.published, f.visible_date_raw, f.meta_date) == ("2025-03-10", "2025-03-10 15:35", "2025-03-10")
    assert "一、总体情况" in f.headings and "六、其他需要报告的事项" in f.headings
    first = f.tables[0]
    assert first[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert all(len(row) == len(first[1]) for row in first)  # colspan expanded into rectangular rows
    # a capture of a Ucap page: metas of the header include (ColumnName 头部), date in <publishtime>
    g = extract((ar / "shuyang_fgj_2023_annual_report.html").read_bytes(), "http://www.shuyang.gov.cn/sygfj/gknb/202401/x.shtml")
    assert (g.kind, g.title) == ("article", "沭阳县发展和改革局2023年政府信息公开年度报告")
    assert (g.published, g.published_source) == ("2024-01-17", "visible")
    assert g.column != "头部"
    assert len(g.tables) >= 3
