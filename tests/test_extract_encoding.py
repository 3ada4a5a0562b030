"""Charset decisions of the extractor: BOM, header, <meta>, lying declarations."""

from __future__ import annotations

from pathlib import Path

import pytest

from govaudit.extract import decode_body, extract

DATA = Path(__file__).parent / "data" / "extract"
REAL = Path(__file__).parent / "data" / "realpages"
TITLE = "关于开展春季植树活动的通知"


@pytest.mark.parametrize(
    "fixture, header",
    [
        ("gbk_meta_only.html", None),  # charset only in <meta>
        ("gbk_no_meta.html", "GBK"),  # charset only in the HTTP header
        ("gbk_no_meta.html", "gb2312"),
        ("gbk_meta_only.html", "utf-8"),  # lying UTF-8 header, correct meta
        ("gbk_no_meta.html", "utf-8"),  # lying header, nothing else: bytes decide
        ("gbk_meta_only.html", "iso-8859-1"),  # lying latin-1 header decodes anything: must lose
        ("gbk_no_meta.html", None),  # nothing declared at all
    ],
)
def test_gbk_pages(fixture: str, header: str | None) -> None:
    f = extract((DATA / fixture).read_bytes(), "http://www.x.gov.cn/a/t20260305_1.html", header_charset=header)
    assert f.charset == "gb18030"
    assert f.title == TITLE
    assert f.doc_number == "清政办发〔2026〕12号"
    assert f.published == "2026-03-05"


def test_utf8_page_declared_gbk_in_meta_and_header():
    body = (DATA / "utf8_meta_says_gbk.html").read_bytes()
    for header in (None, "gbk", "GB2312"):
        text, charset = decode_body(body, header)
        assert charset == "utf-8"
        assert TITLE in text


def test_boms_win_over_declarations():
    html = '<meta charset="gb2312"><title>政府信息公开</title>'
    for bom, codec, name in (
        (b"\xef\xbb\xbf", "utf-8", "utf-8"),
        (b"\xff\xfe", "utf-16-le", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be", "utf-16-be"),
    ):
        text, used = decode_body(bom + html.encode(codec), "gbk")
        assert used == name
        assert "政府信息公开" in text and not text.startswith("\ufeff")


def test_real_utf16le_page_declaring_gb2312():
    text, used = decode_body((REAL / "xiangtan_article_utf16le_declared_gb2312.html").read_bytes())
    assert used == "utf-16-le"
    assert "湘潭" in text


def test_truncated_utf8_is_still_utf8():
    body = "<title>政府信息公开指南</title><p>正文内容</p>".encode("utf-8")
    text, used = decode_body(body[:-8], None)
    assert used == "utf-8"
    assert "政府信息公开指南" in text


def test_garbage_never_raises():
    garbage = (b"", b"\x00\x01\x02\xff\xfe\xfd" * 50, bytes(range(256)) * 20, b"<html><body><a href='", b"\x1f\x8b\x08\x00")
    for body in garbage:
        f = extract(body, "http://www.x.gov.cn/")
        assert f.kind == "other"
        assert f.title == "" or isinstance(f.title, str)
    assert decode_body(b"", None) == ("", "utf-8")


def test_short_gbk_text_is_not_taken_for_utf8():
    body = "<html><title>公告</title><body>ok</body></html>".encode("gbk")
    text, used = decode_body(body, None)
    assert (used, "公告" in text) == ("gb18030", True)


def test_truncated_gbk_page_with_meta():
    body = (DATA / "gbk_meta_only.html").read_bytes()[:-150] + b"\xc7"  # cut inside a character
    f = extract(body, "http://www.x.gov.cn/a.html", header_charset="utf-8")
    assert f.charset == "gb18030"
    assert f.title == TITLE


@pytest.mark.parametrize("word", ["通知", "公告", "政府信息公开", "关于开展工作的通知"])
def test_short_pages_pick_the_right_reading(word: str) -> None:
    html = f"<title>{word}</title>"
    assert decode_body(html.encode("gbk"), None) == (html, "gb18030")
    assert decode_body(html.encode("utf-8"), None) == (html, "utf-8")
    assert decode_body(html.encode("utf-8"), "gbk") == (html, "utf-8")


def test_declared_unicode_without_bom_on_8bit_text():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=unicode"><title>政务公开</title></head></html>'
    for body in (html.encode("utf-8"), html.encode("gbk")):
        text, used = decode_body(body, None)
        assert "政务公开" in text and not used.startswith("utf-16")
    ascii_page = b'<meta charset="unicode"><title>index</title>'
    assert decode_body(ascii_page, None) == (ascii_page.decode(), "utf-8")
    text, used = decode_body(html.encode("utf-16-le"), None)  # no BOM, but NUL bytes
    assert used.startswith("utf-16") and "政务公开" in text


def test_utf16_without_bom_is_recognised_by_its_nul_bytes():
    html = "<html><head><title>政务公开 index</title></head><body>" + "x" * 100 + "</body></html>"
    for codec in ("utf-16-le", "utf-16-be"):
        text, used = decode_body(html.encode(codec), None)
        assert (text, used) == (html, codec)
