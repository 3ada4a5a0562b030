"""Link kinds and contexts."""

from __future__ import annotations

from pathlib import Path

import pytest

from govaudit.extract import extract
from govaudit.extract.links import classify_link

DATA = Path(__file__).parent / "data" / "extract"
BASE = "http://www.x.gov.cn/zwgk/tzgg/t20260715_1.html"


@pytest.mark.parametrize(
    "href, url, kind",
    [
        ("./P020260715.pdf", "http://www.x.gov.cn/zwgk/tzgg/P020260715.pdf", "attachment"),
        ("../a/B.DOCX#page=2", "http://www.x.gov.cn/zwgk/a/B.DOCX", "attachment"),
        ("/files/x.wps", "http://www.x.gov.cn/files/x.wps", "attachment"),
        ("/files/x.ofd", "http://www.x.gov.cn/files/x.ofd", "attachment"),
        (
            "/module/download/downfile.jsp?classid=0&filename=1.doc",
            "http://www.x.gov.cn/module/download/downfile.jsp?classid=0&filename=1.doc",
            "attachment",
        ),
        ("list.html?page=2#x", "http://www.x.gov.cn/zwgk/tzgg/list.html?page=2", "page"),
        ("  \n/zwgk/index.html\t", "http://www.x.gov.cn/zwgk/index.html", "page"),
        ("//www.x.gov.cn/a.html", "http://www.x.gov.cn/a.html", "page"),
        ("https://www.gov.cn/a.pdf", "https://www.gov.cn/a.pdf", "external"),
        ("http://X.GOV.CN.evil.com/", "http://X.GOV.CN.evil.com/", "external"),
        ("mailto:a@x.gov.cn", "mailto:a@x.gov.cn", "mailto"),
        ("tel:12345", "tel:12345", "tel"),
        ("javascript:void(0)", "javascript:void(0)", "javascript"),
        ("JavaScript:;", "JavaScript:;", "javascript"),
        ("javacript:void(0);", "javacript:void(0);", "javascript"),
        ("#top", "#top", "anchor"),
        ("", "", "anchor"),
        ("t20260715_1.html#p2", "http://www.x.gov.cn/zwgk/tzgg/t20260715_1.html", "anchor"),
        ("{{item.url}}", "{{item.url}}", "placeholder"),
        ("$!{doc.url}", "$!{doc.url}", "placeholder"),
        ("${url}", "${url}", "placeholder"),
        ("<%=url%>", "<%=url%>", "placeholder"),
        ("[#--url--]", "[#--url--]", "placeholder"),
        ("/a/{id}.html", "/a/{id}.html", "placeholder"),
        ("ftp://ftp.x.gov.cn/a.txt", "ftp://ftp.x.gov.cn/a.txt", "other"),
        ("data:image/png;base64,AAAA", "data:image/png;base64,AAAA", "other"),
    ],
)
def test_classify_link(href: str, url: str, kind: str) -> None:
    assert classify_link(href, BASE, ["www.x.gov.cn"]) == (url, kind)


def test_internal_hosts_default_to_the_page_host_and_can_be_widened():
    assert classify_link("http://xxgk.x.gov.cn/a.html", BASE, None)[1] == "external"
    assert classify_link("http://xxgk.x.gov.cn/a.html", BASE, ["www.x.gov.cn", "xxgk.x.gov.cn"])[1] == "page"


def _links():
    f = extract((DATA / "link_kinds.html").read_bytes(), "http://www.x.gov.cn/zwgk/tzgg/index.html")
    return f, {l.text or l.raw: l for l in f.links}


def test_fixture_link_kinds_and_contexts():
    f, by = _links()
    assert (by["政务公开"].kind, by["政务公开"].context) == ("page", "nav")
    assert by["长者模式"].kind == "javascript"  # <a hhref="javascript:;">
    assert by["附件1.pdf"].kind == "attachment" and by["附件1.pdf"].context == "body"
    assert by["附件2"].url == "http://www.x.gov.cn/zwgk/files/表格.xlsx"
    assert by["附件3"].kind == "attachment"
    assert by["国务院文件"].kind == "external"
    assert by["打印"].kind == "javascript"
    for t in ("模板", "模板2", "模板3", "模板4"):
        assert by[t].kind == "placeholder", t
    avalon = [l for l in f.links if l.raw == "el.url"]
    assert avalon and avalon[0].kind == "placeholder"
    assert by["FTP"].kind == "other"
    assert by["下一篇"].url == "http://www.x.gov.cn/zwgk/tzgg/t20260716_2.html?from=list"
    assert by["本页评论"].kind == "anchor"
    assert by["《办法》解读"].context == "related"
    assert by["粤ICP备05083331号"].context == "footer" and by["粤ICP备05083331号"].kind == "external"
    iframes = [l for l in f.links if l.tag == "iframe"]
    assert iframes and iframes[0].url.startswith("http://www.x.gov.cn/module/visitcount/visit.jsp")


def test_links_inside_scripts_and_comments_are_skipped():
    html = (
        "<html><body><script>var s='<a href=\"/fake1.html\">x</a>';</script>"
        "<!-- <a href=\"/fake2.html\">old</a> --><a href=\"/real.html\">真</a></body></html>"
    )
    f = extract(html.encode(), "http://www.x.gov.cn/")
    assert [l.url for l in f.links] == ["http://www.x.gov.cn/real.html"]


def test_breadcrumb_and_base_href():
    html = (
        '<html><head><base href="http://www.x.gov.cn/zwgk/"></head><body>'
        '<div class="location">您的位置：<a href="../index.html">首页</a> &gt; <a href="tzgg/">通知公告</a> &gt; 正文</div>'
        "</body></html>"
    )
    f = extract(html.encode(), "http://www.x.gov.cn/zwgk/tzgg/t1.html")
    assert f.breadcrumbs[:2] == [
        {"text": "首页", "url": "http://www.x.gov.cn/index.html"},
        {"text": "通知公告", "url": "http://www.x.gov.cn/zwgk/tzgg/"},
    ]
    assert f.column == "通知公告"
    assert all(l.context == "breadcrumb" for l in f.links)


def test_internal_hosts_tolerate_ports_and_schemes():
    assert classify_link("http://www.x.gov.cn:8080/a.html", BASE, ["http://WWW.x.gov.cn:8080/"])[1] == "page"
    assert classify_link("/a.html", BASE, ["www.x.gov.cn:80"])[1] == "page"


def test_utility_classes_are_not_regions_and_link_blocks_with_a_related_title_are_related():
    html = (
        '<html><body><div class="position-relative top-0"><div class="TRS_Editor"><p>正文。'
        '<a href="/zcjd/1.html">解读</a></p></div>'
        '<div class="links"><h3>相关链接</h3><a href="/a.html">甲</a></div></div>'
        '<div class="yqlj"><a href="https://www.gov.cn/">中国政府网</a></div></body></html>'
    )
    f = extract(html.encode(), "http://www.x.gov.cn/t.html")
    ctx = {l.text: l.context for l in f.links}
    assert ctx == {"解读": "body", "甲": "related", "中国政府网": "footer"}


def test_redirect_stubs_are_followed():
    html = '<html><head><meta http-equiv="Refresh" content="0; URL=./xxgk/index.html"></head><body></body></html>'
    f = extract(html.encode(), "http://www.x.gov.cn/zwgk/")
    assert [(l.url, l.kind, l.tag) for l in f.links] == [("http://www.x.gov.cn/zwgk/xxgk/index.html", "page", "meta")]
    stub = "<html><body><script>window.location.href='/col/col123/index.html';</script></body></html>"
    g = extract(stub.encode(), "http://www.x.gov.cn/zwgk/")
    assert [(l.url, l.tag) for l in g.links] == [("http://www.x.gov.cn/col/col123/index.html", "script")]
    # a full page's scripts are not read for locations
    full = stub.replace("<body>", "<body><div id='zoom'>" + "<p>正文内容。</p>" * 60 + "</div>")
    assert not [l for l in extract(full.encode(), "http://www.x.gov.cn/zwgk/").links if l.tag == "script"]
