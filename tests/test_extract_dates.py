"""Date parsing: formats seen on government pages, URL dates, labels."""

from __future__ import annotations

import datetime as dt

import pytest

from govaudit.extract import parse_page
from govaudit.extract.dates import date_from_url, parse_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-07-15", dt.date(2026, 7, 15)),
        ("发布时间：2026-07-15 10:08", dt.date(2026, 7, 15)),
        ("2023-11-30  14:52", dt.date(2023, 11, 30)),
        ("2023-08-19 10∶08", dt.date(2023, 8, 19)),
        ("2026年07月15日", dt.date(2026, 7, 15)),
        ("2026年7月5日 星期日", dt.date(2026, 7, 5)),
        ("2026/7/15", dt.date(2026, 7, 15)),
        ("2026.07.15", dt.date(2026, 7, 15)),
        ("[2026-07-15]", dt.date(2026, 7, 15)),
        ("2024.09.30 09:24:36 GMT+08:00", dt.date(2024, 9, 30)),
        ("2024-10-21 12:51:44_194", dt.date(2024, 10, 21)),
        ("日期：\u00a0\u00a02024-05-30", dt.date(2024, 5, 30)),
        ("2024年3月7日-4月26日", dt.date(2024, 3, 7)),
        ("二〇二四年五月十日", dt.date(2024, 5, 10)),
        ("成文日期：二〇一三年十二月二十三日", dt.date(2013, 12, 23)),
        ("二〇二六年二月三十日", None),
        ("第1989-01-01号", None),  # before 1990
        ("2101-01-01", None),
        ("2026-02-30", None),  # no such day
        ("电话：0551-69118381", None),
        ("2024年6月至12月", None),  # no day
        ("", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://a.gov.cn/xw/202607/t20260715_123.html", dt.date(2026, 7, 15)),
        ("http://a.gov.cn/art/2026/7/15/art_1229_456.html", dt.date(2026, 7, 15)),
        ("http://www.sc.gov.cn/10462/11689/2025/6/3/071bf8764a6c4ac791d78c1c0acab3c5.shtml", dt.date(2025, 6, 3)),
        ("http://wsjkw.sh.gov.cn/jcws2/20240511/b5c2db3d781e4c7fbcfb6bed2fe2d982.html", dt.date(2024, 5, 11)),
        ("https://www.gov.cn/zhengce/content/2026-07/15/content_1.htm", dt.date(2026, 7, 15)),
        ("http://a.gov.cn/xw/202607/abc.html", dt.date(2026, 7, 1)),
        ("http://a.gov.cn/zxzx/zdxm/t18993630.shtml", None),
        ("http://a.gov.cn/col/col1229678763/index.html", None),
        ("http://20260715.gov.cn/", None),  # host is not a path
    ],
)
def test_date_from_url(url: str, expected: dt.date | None) -> None:
    assert date_from_url(url) == expected


def _page(inner: str, meta: str = "") -> str:
    return (
        f"<html><head>{meta}<title>关于印发某办法的通知</title></head><body>"
        '<div class="header"><span class="date">今天是2026年11月22日 星期日</span></div>'
        f"<h1>关于印发某办法的通知</h1>{inner}"
        '<div id="zoom"><p>正文第一段，内容充实，说明有关事项。正文第一段，内容充实，说明有关事项。</p>'
        "<p>某市人民政府</p><p>2026年6月1日</p></div>"
        '<div class="related"><h3>相关新闻</h3><ul><li><a href="/a.html">旧闻</a><span>2019-01-01</span></li></ul></div>'
        '<div class="footer">2000-2026 版权所有</div></body></html>'
    )


@pytest.mark.parametrize(
    "inner, visible, raw",
    [
        ("<p>发布时间：2026-06-03 10:08</p>", "2026-06-03", "2026-06-03 10:08"),
        ("<p>发布日期：&nbsp;&nbsp;2026-06-03&emsp;来源：市政府办</p>", "2026-06-03", "2026-06-03"),
        ("<p><span>时间：</span><span>2026-06-03</span></p>", "2026-06-03", "2026-06-03"),
        ("<p>日期：2026年06月03日</p>", "2026-06-03", "2026年06月03日"),
        ("<publishtime>2026-06-03 09:00:00</publishtime>", "2026-06-03", "2026-06-03 09:00:00"),
        ("<p>成文日期：2026-05-28</p><p>发布日期：2026-06-03</p>", "2026-06-03", "2026-06-03"),
        ("<p>成文日期：2026-05-28</p>", "2026-05-28", "2026-05-28"),
        ('<div class="info">来源：市政府办 2026-06-03 10:08</div>', "2026-06-03", "2026-06-03 10:08"),
        ("<p>开始时间：2026-07-01</p>", None, ""),  # an event date is not a publish date
    ],
)
def test_visible_date_labels(inner: str, visible: str | None, raw: str) -> None:
    f = parse_page(_page(inner), "http://www.x.gov.cn/zwgk/t20260602_1.html")
    assert f.visible_date == visible
    assert f.visible_date_raw == raw
    if visible is None:
        assert (f.published, f.published_source) == ("2026-06-02", "url")


def test_meta_date_is_second_and_url_last():
    meta = '<meta name="PubDate" content="2026-06-04 08:00">'
    f = parse_page(_page("", meta=meta), "http://www.x.gov.cn/t20260602_1.html")
    assert (f.visible_date, f.meta_date, f.url_date) == (None, "2026-06-04", "2026-06-02")
    assert (f.published, f.published_source) == ("2026-06-04", "meta")


def test_meta_quirks_single_quotes_order_case_spaces():
    meta = (
        "<meta content='2026-06-04 08:00' name='pubdate '>"
        '<META NAME="SiteName" CONTENT="某市人民政府 ">'
        "<meta name='Maketime' content='2026-06-09 12:51:44_194'>"
        '<meta name="ColumnName" content="某市人民政府通知公告">'
    )
    f = parse_page(_page("", meta=meta), "http://www.x.gov.cn/a.html")
    assert f.meta["PubDate"] == "2026-06-04 08:00"
    assert f.meta["SiteName"] == "某市人民政府"
    assert f.meta_date == "2026-06-04"  # not Maketime
    assert f.column == "通知公告"
