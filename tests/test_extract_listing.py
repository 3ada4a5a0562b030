"""Listing pages: rows, pagers, totals, empty columns."""

from __future__ import annotations

from pathlib import Path

from govaudit.extract import extract

DATA = Path(__file__).parent / "data" / "extract"
LIST_URL = "http://www.x.gov.cn/zwgk/tzgg/index.html"


def _facts(name: str, url: str = LIST_URL):
    return extract((DATA / name).read_bytes(), url)


def test_trs_createpage_list():
    f = _facts("trs_list_createpage.html")
    assert f.kind == "listing"
    assert f.title == "通知公告" and f.column == "通知公告"
    assert [(i.title, i.date) for i in f.list_items] == [
        ("关于做好2026年防汛工作的通知", "2026-07-15"),
        ("关于公布行政许可事项清单的公告", "2026-07-10"),
        ("关于印发某市营商环境优化方案的通知", "2026-06-30"),
        ("2025年政府信息公开工作年度报告", "2026-01-20"),
    ]
    assert f.list_items[0].url == "http://www.x.gov.cn/zwgk/tzgg/202607/t20260715_101.html"
    assert f.list_items[2].raw_date == "2026/6/30"
    assert f.list_items[3].url.endswith(".pdf")
    assert f.page_count == 5
    assert f.pagination == [f"http://www.x.gov.cn/zwgk/tzgg/index_{i}.html" for i in range(1, 5)]
    assert {l.context for l in f.links if "t2026" in l.url} == {"list"}
    assert f.published is None


def test_trs_createpage_with_div_id_and_current_page():
    f = _facts("trs_list_pagediv.html", "http://www.x.gov.cn/zwgk/zcjd/list_1.shtml")
    assert f.page_count == 42
    assert len(f.pagination) == 41
    assert f.pagination[0] == "http://www.x.gov.cn/zwgk/zcjd/list.shtml"  # page 0
    assert "http://www.x.gov.cn/zwgk/zcjd/list_1.shtml" not in f.pagination  # this page
    assert f.pagination[-1] == "http://www.x.gov.cn/zwgk/zcjd/list_41.shtml"
    assert [i.date for i in f.list_items] == ["2026-03-01", "2026-02-15"]


def test_trs_countpage_variables():
    f = _facts("trs_list_countpage_vars.html")
    assert f.page_count == 67
    assert f.pagination[0] == "http://www.x.gov.cn/zwgk/tzgg/index_1.html"
    assert f.pagination[-1] == "http://www.x.gov.cn/zwgk/tzgg/index_66.html"
    assert len(f.list_items) == 3
    assert f.column == "工作动态"  # last breadcrumb, no meta


def test_commented_out_pager_is_ignored():
    f = _facts("trs_list_commented_pager.html")
    assert f.kind == "listing"
    assert f.pagination == [] and f.page_count is None
    assert len(f.list_items) == 2


def test_hanweb_datastore_list():
    f = _facts("hanweb_datastore_list.html", "http://jyt.x.gov.cn/col/col1543973/index.html")
    assert f.kind == "listing"
    assert [i.date for i in f.list_items] == ["2026-07-15", "2026-07-10", "2026-06-30"]
    assert f.list_items[0].url == "http://jyt.x.gov.cn/art/2026/7/15/art_1543973_58942886.html"
    assert f.list_items[0].title == "全省教育系统师德师风建设专题培训班举办"
    assert f.record_count == 287
    assert f.page_count == 20  # 287 records, 15 per page
    assert sum(1 for l in f.links if l.context == "list") == 3


def test_empty_column_notice():
    f = _facts("empty_column.html")
    assert f.kind == "listing"
    assert f.empty_notice is True
    assert f.list_items == []
    assert f.title == "行政处罚"


def test_a_listing_with_items_is_not_empty_even_if_a_sidebar_says_so():
    html = (
        '<html><head><meta name="ColumnName" content="通知公告"></head><body>'
        '<div class="side"><p>暂无数据</p></div><ul class="list">'
        '<li><a href="a.html">甲</a><span>2026-01-02</span></li><li><a href="b.html">乙</a><span>2026-01-01</span></li>'
        "</ul></body></html>"
    )
    f = extract(html.encode(), LIST_URL)
    assert f.empty_notice is False and len(f.list_items) == 2


def test_plain_link_pager():
    rows = "".join(f'<li><a href="t2026010{i}_{i}.html">标题{i}</a><span>2026-01-0{i}</span></li>' for i in range(1, 6))
    html = (
        f'<html><body><ul class="news">{rows}</ul><div class="pages">'
        '<span>共12页 共238条</span><a href="index.html">首页</a><a href="index_1.html">下一页</a>'
        '<a href="index_2.html">3</a><a href="index_11.html">尾页</a></div></body></html>'
    )
    f = extract(html.encode(), LIST_URL)
    assert f.kind == "listing"
    assert "http://www.x.gov.cn/zwgk/tzgg/index_1.html" in f.pagination
    assert "http://www.x.gov.cn/zwgk/tzgg/index_11.html" in f.pagination
    assert LIST_URL not in f.pagination
    assert f.page_count == 12
    assert f.record_count == 238
    assert len(f.list_items) == 5


def test_query_pager():
    rows = "".join(f'<tr><td><a href="/art/{i}.html">标题{i}</a></td><td>2026-02-0{i}</td></tr>' for i in range(1, 4))
    html = f'<html><body><table>{rows}</table><a href="?pageNum=2">下一页</a><a href="?pageNum=9">末页</a></body></html>'
    f = extract(html.encode(), "http://www.x.gov.cn/col/col1/index.html")
    assert f.pagination == [
        "http://www.x.gov.cn/col/col1/index.html?pageNum=2",
        "http://www.x.gov.cn/col/col1/index.html?pageNum=9",
    ]
    assert f.page_count == 9
    assert [i.date for i in f.list_items] == ["2026-02-01", "2026-02-02", "2026-02-03"]


def test_dates_written_inside_the_links():
    rows = (
        '<li><a href="./t20260105_3.html"><span class="tit">关于张三同志任职的通知</span>'
        '<span class="date">2026-01-05</span></a></li>'
        '<li><a href="./t20251201_2.html">2025年公开招聘拟聘用人员公示 [2025-12-01]</a></li>'
        '<li><a href="./t20251120_1.html"><p>某局2025年度部门预算</p><i>2025.11.20</i></a></li>'
    )
    html = f'<html><head><meta name="ColumnName" content="人事信息"></head><body><ul class="list">{rows}</ul></body></html>'
    f = extract(html.encode(), LIST_URL)
    assert f.kind == "listing"
    assert [(i.title, i.date) for i in f.list_items] == [
        ("关于张三同志任职的通知", "2026-01-05"),
        ("2025年公开招聘拟聘用人员公示", "2025-12-01"),
        ("某局2025年度部门预算", "2025-11-20"),
    ]


def test_js_template_placeholder_is_not_an_empty_notice():
    html = (
        '<html><head><meta name="ColumnName" content="通知公告"></head><body>'
        '<div ms-controller="list"><div ms-if="list.length==0">暂无数据</div>'
        '<ul><li ms-repeat="list"><a ms-attr-href="el.url">{{el.title}}</a></li></ul></div>'
        '<div style="display:none">暂无信息</div></body></html>'
    )
    f = extract(html.encode(), LIST_URL)
    assert f.empty_notice is False


def test_article_with_a_related_news_list_stays_an_article():
    related = "".join(
        f'<li><a href="/xw/t2026060{i}_{i}.html">相关新闻{i}</a><span>2026-06-0{i}</span></li>' for i in range(1, 9)
    )
    html = (
        "<html><head><title>某市召开安全生产工作会议_某市人民政府</title></head><body>"
        "<h1>某市召开安全生产工作会议</h1><div class='info'>发布时间：2026-06-10 09:00</div>"
        f"<div class='TRS_Editor'><p>{'会议要求，各地各部门要压实责任，确保安全生产形势稳定。' * 8}</p></div>"
        f"<div class='xgxw'><h3>相关新闻</h3><ul>{related}</ul></div></body></html>"
    )
    f = extract(html.encode(), "http://www.x.gov.cn/xw/202606/t20260610_9.html")
    assert f.kind == "article"
    assert f.list_items == []
    assert f.published == "2026-06-10"
    assert {l.context for l in f.links if "相关新闻" in l.text} == {"related"}


def test_column_index_pager():
    rows = "".join(f'<li><a href="/xxgk/{i}.shtml">标题{i}</a><span>2026-03-0{i}</span></li>' for i in range(1, 4))
    pager = '<a href="column-index-2.shtml">下一页</a><a href="column-index-17.shtml">尾页</a>'
    html = f"<html><body><ul>{rows}</ul>{pager}</body></html>"
    f = extract(html.encode(), "http://www.x.gov.cn/xxgk/column-index-1.shtml")
    assert f.page_count == 17
    assert f.pagination == [
        "http://www.x.gov.cn/xxgk/column-index-2.shtml",
        "http://www.x.gov.cn/xxgk/column-index-17.shtml",
    ]


def test_listing_without_dates_still_lists_its_titles():
    rows = "".join(f'<li><a href="./t2026010{i}_{i}.html">关于某某事项的第{i}号公告全文</a></li>' for i in range(1, 5))
    html = (
        '<html><head><meta name="ColumnName" content="公告公示"></head><body>'
        '<div class="left"><ul><li><a href="/a/">机构</a></li><li><a href="/b/">职能</a></li>'
        '<li><a href="/c/">领导</a></li></ul></div>'
        f'<div class="right"><ul>{rows}</ul></div></body></html>'
    )
    f = extract(html.encode(), LIST_URL)
    assert f.kind == "listing"
    assert [i.title for i in f.list_items] == [f"关于某某事项的第{i}号公告全文" for i in range(1, 5)]
    assert all(i.date is None for i in f.list_items)
    assert f.empty_notice is False
