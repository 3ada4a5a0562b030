"""Page-level facts on synthetic pages: kinds, titles, bodies, tables, boxes, soft 404."""

from __future__ import annotations

import random

import pytest

from govaudit.extract import extract, looks_not_found, parse_page

URL = "http://www.x.gov.cn/zwgk/zcwj/202606/t20260602_1.html"

ARTICLE = """<html><head><meta charset="utf-8">
<meta name="SiteName" content="某市人民政府"><meta name="ColumnName" content="政策文件">
<title>某市人民政府办公室关于印发某办法的通知_政策文件_某市人民政府</title></head><body>
<div class="top"><a href="/">首页</a></div>
<div class="xxgk-info"><table>
<tr><td>索引号：</td><td>11441800MB2C/2026-00012</td><td>主题分类：</td><td>综合政务</td></tr>
<tr><td>发布机构：</td><td>某市人民政府办公室</td><td>成文日期：</td><td>2026-05-28</td></tr>
<tr><td>文　　号：</td><td>某府办〔2026〕7号</td><td>发布日期：</td><td>2026-06-02</td></tr>
</table>
<ul class="meta2"><li><span>有效性：</span>有效</li><li><span>公开方式：</span>主动公开</li></ul></div>
<div class="article"><h1 class="title">某市人民政府办公室关于印发某办法的通知</h1>
<div class="TRS_Editor"><p>各县（市、区）人民政府，市政府各部门：</p>
<p><strong>一、总体要求</strong></p><p>坚持问题导向，统筹推进各项工作，确保取得实效。</p>
<p>（一）工作目标</p><p>到2027年，基本建成有关体系。</p>
<table><tr><th rowspan="2">项目</th><th colspan="2">数量</th></tr><tr><td>2025年</td><td>2026年</td></tr>
<tr><td>收到申请</td><td>10</td><td>12</td></tr></table>
<p>相关文件：<a href="/zcjd/202606/t20260610_2.html">《某办法》政策解读</a></p></div>
</div>
<div class="abouts xgjd" id="articleXGJD" style="display: none"><span>相关解读</span><ul></ul></div>
<div class="footer">主办单位：某市人民政府办公室 网站标识码：4418000001 粤ICP备05083331号-1 粤公网安备 44180202000123号</div>
</body></html>"""


def test_article_facts():
    f = parse_page(ARTICLE, URL)
    assert f.kind == "article"
    assert f.title == "某市人民政府办公室关于印发某办法的通知"
    assert f.column == "政策文件"
    assert f.info_table["索引号"] == "11441800MB2C/2026-00012"
    assert f.info_table["文号"] == "某府办〔2026〕7号"
    assert f.info_table["成文日期"] == "2026-05-28"
    assert f.info_table["有效性"] == "有效"
    assert f.info_table["公开方式"] == "主动公开"
    assert f.doc_number == "某府办〔2026〕7号"
    assert (f.visible_date, f.published_source) == ("2026-06-02", "visible")
    assert f.body_text.startswith("各县（市、区）人民政府，市政府各部门：")
    assert "网站标识码" not in f.body_text and "索引号" not in f.body_text
    assert "一、总体要求" in f.headings and "（一）工作目标" in f.headings
    assert f.tables == [[["项目", "数量", "数量"], ["项目", "2025年", "2026年"], ["收到申请", "10", "12"]]]
    assert f.js_boxes == ["相关解读"]
    assert f.footer == {
        "主办单位": "某市人民政府办公室",
        "网站标识码": "4418000001",
        "ICP备案": "粤ICP备05083331号-1",
        "公安备案": "粤公网安备44180202000123号",
    }
    jd = [l for l in f.links if "t20260610_2" in l.url][0]
    assert jd.context in ("related", "body") and jd.kind == "page"
    assert not f.is_not_found


def test_doc_number_variants_in_body_head():
    for number in ("清政办发〔2026〕12号", "岚综管综[2021]143号", "某府函（2025）3号", "某发(2024)第8号"):
        html = f"<html><body><h1>关于某事的通知</h1><div id='zoom'><p>{number}</p><p>{'正文内容。' * 30}</p></div></body></html>"
        assert parse_page(html, URL).doc_number == number


@pytest.mark.parametrize(
    "title, text, expected",
    [
        ("404 Not Found", "", True),
        ("页面不存在", "", True),
        ("提示", "对不起，您访问的页面不存在或已被删除！", True),
        ("提示信息", "该信息已删除", True),
        ("找不到页面", "", True),
        ("关于做好404所需材料的通知", "正文" * 500, False),
        ("关于清理已删除文件的通知", "根据有关要求，对已删除文件进行复核。" * 60, False),
        ("某市人民政府", "首页 政务公开 " * 100, False),
    ],
)
def test_looks_not_found(title: str, text: str, expected: bool) -> None:
    assert looks_not_found(title, text) is expected


def test_soft_404_page():
    html = (
        "<html><head><title>错误提示</title></head><body><div class='err'>"
        "<h2>抱歉，您访问的页面不存在！</h2><a href='/'>返回首页</a></div></body></html>"
    )
    f = parse_page(html, "http://www.x.gov.cn/zwgk/old.html")
    assert f.is_not_found is True
    assert f.kind == "other"


def test_other_kind_for_a_plain_page():
    html = "<html><head><title>网站地图</title></head><body><a href='/a'>甲</a><a href='/b'>乙</a></body></html>"
    f = parse_page(html, "http://www.x.gov.cn/map.html")
    assert f.kind == "other"
    assert f.title == "网站地图"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b"\x00" * 100,
        b"<",
        b"<html><head><title>\xe6\x94\xbf",
        b"<?xml version='1.0' encoding='gbk'?><html><body>x</body></html>",
        b"<table>" * 3000,
        b"<div>" * 5000 + b"text",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    ],
)
def test_garbage_input_never_raises(body: bytes) -> None:
    f = extract(body, "http://www.x.gov.cn/a.html")
    assert f.kind in ("other", "listing", "article")
    assert f.url == "http://www.x.gov.cn/a.html"


def test_random_bytes_never_raise():
    rnd = random.Random(7)
    for _ in range(30):
        body = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 3000)))
        f = extract(body, "http://www.x.gov.cn/t20260101_1.html")
        assert f.kind == "other"
        assert f.published == "2026-01-01" and f.published_source == "url"


def test_round_trip_through_json():
    from govaudit.models import PageFacts

    f = parse_page(ARTICLE, URL)
    assert PageFacts.from_dict(f.to_dict()) == f


def test_a_cited_document_number_is_not_the_page_number():
    html = (
        "<html><body><h1>关于做好职称评审工作的通知</h1><div id='zoom'>"
        "<p>各单位：</p><p>根据《关于深化职称制度改革的意见》（新人社发〔2021〕29号）要求，现将有关事项通知如下。"
        + "具体安排见附件。" * 20
        + "</p></div></body></html>"
    )
    assert parse_page(html, URL).doc_number == ""


def test_short_article_mentioning_404_is_not_a_soft_404():
    html = (
        "<html><head><title>第404号公告_某市人民政府</title></head><body><h1>第404号公告</h1>"
        "<div class='info'>发布时间：2026-06-02</div><div id='zoom'><p>现将第404号公告有关事项公布如下。</p></div></body></html>"
    )
    f = parse_page(html, URL)
    assert f.kind == "article" and f.is_not_found is False


def test_hanweb_zjeg_markers_bound_the_body():
    html = (
        "<html><head><meta name='ArticleTitle' content='某局召开会议'></head><body><h1>某局召开会议</h1>"
        "<div class='wz'><span>字号：大 中 小</span><!--ZJEG_RSS.content.begin--><meta name='ContentStart'>"
        "<p>会议强调，要抓好各项工作落实。</p><p>会议还部署了下一阶段任务。</p><meta name='ContentEnd'><!--ZJEG_RSS.content.end-->"
        "<div class='share'>分享到：微信 微博</div></div></body></html>"
    )
    f = parse_page(html, URL)
    assert f.body_text == "会议强调，要抓好各项工作落实。\n会议还部署了下一阶段任务。"


def test_a_font_size_widget_called_zoom_is_not_the_body():
    html = (
        "<html><body><h1>某县召开会议</h1><span id='zoom'>大 中 小</span>"
        f"<div class='wrap'><p>{'会议要求各单位认真落实各项部署。' * 6}</p><p>{'会议强调要压实责任。' * 6}</p></div></body></html>"
    )
    f = parse_page(html, URL)
    assert f.body_text.startswith("会议要求各单位认真落实各项部署。")


def test_garbage_is_handled_without_internal_errors(caplog):
    import logging

    caplog.set_level(logging.WARNING, logger="govaudit.extract.page")
    rnd = random.Random(11)
    bodies = [bytes(rnd.randrange(256) for _ in range(2000)) for _ in range(20)]
    bodies += [
        b"<a href='http://[::1'>x</a>",
        b"<a href='http://a.gov.cn:99999/'>x</a>",
        b"<base href='javascript:x'><a href='a'>x</a>",
        b"<meta charset='x-unknown'><title>t</title>",
        b"<table><tr><td colspan='abc' rowspan='-3'>x</td></tr></table>",
        "<div class='TRS_Editor'><table><tr><td rowspan='999999'>甲</td></tr></table></div>".encode(),
    ]
    for body in bodies:
        extract(body, "http://www.x.gov.cn/a/index.html")
    assert not [r for r in caplog.records if "could not fully read" in r.getMessage()]


def test_soft_404_inside_the_full_site_template():
    nav = "".join(f"<li><a href='/c{i}/'>栏目{i}</a></li>" for i in range(80))
    html = (
        f"<html><head><title>某市人民政府</title></head><body><div class='nav'><ul>{nav}</ul></div>"
        "<div class='main'><div class='tip'>抱歉，您访问的页面不存在或已被删除！</div></div>"
        "<div class='footer'>主办单位：某市人民政府办公室 网站标识码：4418000001</div></body></html>"
    )
    f = parse_page(html, "http://www.x.gov.cn/zwgk/old.html")
    assert f.is_not_found is True


def test_site_name_falls_back_to_the_title_suffix():
    html = "<html><head><title>关于开展春季植树活动的通知_清远市人民政府</title></head><body><h1>关于开展春季植树活动的通知</h1></body></html>"
    assert parse_page(html, URL).site_name == "清远市人民政府"
    assert parse_page(ARTICLE, URL).site_name == "某市人民政府"  # SiteName meta first


def test_info_labels_without_colons_in_list_items():
    html = (
        "<html><body><ul class='xxgk'><li><span>索引号</span><span>000014349/2024-00012</span></li>"
        "<li><b>发布机构</b><em>某市教育局</em></li><li><span>文　号</span><span>某教发〔2024〕3号</span></li></ul>"
        "<h1>通知</h1><div id='zoom'><p>" + "正文。" * 40 + "</p></div></body></html>"
    )
    f = parse_page(html, URL)
    assert f.info_table == {"索引号": "000014349/2024-00012", "发布机构": "某市教育局", "文号": "某教发〔2024〕3号"}
    assert f.doc_number == "某教发〔2024〕3号"
