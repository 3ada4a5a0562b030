"""Crawler components on their own: failure classes, WAF detection, traps, Retry-After."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from twisted.internet import error as txerror
from twisted.python.failure import Failure

from crawler.middlewares import parse_retry_after
from crawler.spiders.govaudit_spider import classify_failure, looks_blocked
from crawler.traps import TrapGuard, canonical_url
from govaudit.demo.site import Resource

from .conftest import bare_site, load_findings, run_cli, served


def failure(exc: Exception, url: str = "http://a.gov.cn/x", **meta: object) -> Failure:
    f = Failure(exc)
    f.request = Request(url, meta=dict(meta))  # type: ignore[attr-defined]
    return f


@pytest.mark.parametrize("exc,code", [
    (txerror.DNSLookupError("no such host"), "dns"),
    (txerror.ConnectionRefusedError(), "refused"),
    (txerror.TimeoutError(), "timeout"),
    (txerror.ConnectionLost(), "reset"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots"),
])
def test_failures_are_classified(exc: Exception, code: str) -> None:
    assert classify_failure(failure(exc))[0] == code


def test_max_redirections_with_a_repeated_url_is_a_loop() -> None:
    loop = failure(IgnoreRequest("max redirections reached"), "http://a.gov.cn/a",
                   redirect_urls=["http://a.gov.cn/a", "http://a.gov.cn/b"])
    assert classify_failure(loop)[0] == "redirect_loop"
    chain = failure(IgnoreRequest("max redirections reached"), "http://a.gov.cn/z",
                    redirect_urls=[f"http://a.gov.cn/{i}" for i in range(10)])
    assert classify_failure(chain)[0] == "too_many_redirects"


def test_waf_answers_are_blocked_but_plain_errors_are_not() -> None:
    assert looks_blocked(412, b"", "text/html")
    assert looks_blocked(403, "<p>您的访问被拦截，请开启JavaScript</p>".encode(), "text/html")
    assert not looks_blocked(403, b"<h1>403 Forbidden</h1>", "text/html")
    assert not looks_blocked(404, "访问被拦截".encode(), "text/html")


def test_trap_guard_limits_query_variants_but_trusts_pagination() -> None:
    g = TrapGuard(max_query_variants=3)
    results = [g.admit(f"http://a.gov.cn/cal.jsp?d={i}")[0] for i in range(5)]
    assert results == [True, True, True, False, False]
    assert g.admit("http://a.gov.cn/cal.jsp?d=99", trusted=True)[0]
    assert g.admit("http://a.gov.cn/a/b/a/b/a/b/x.html") == (False, "segment_repeat")
    assert g.admit("http://a.gov.cn/x?" + "q=1&" * 200)[1] == "query_length"
    assert g.refused["query_variants"] == 2


def test_session_ids_do_not_make_new_pages() -> None:
    assert canonical_url("http://A.gov.cn/x.jsp;jsessionid=ABC?id=3&sid=77#top") == "http://a.gov.cn/x.jsp?id=3"


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(b"Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == pytest.approx(10.0)
    assert parse_retry_after("soon") is None


def test_soft_404_is_learnt_from_the_sites_own_answer_to_a_random_url(tmp_path: Path) -> None:
    site = bare_site()
    # this site answers every unknown address with 200 and a generic page that never says "not found"
    site.catch_all["main"] = Resource("<html><head><meta charset='utf-8'><title>温馨提示</title></head><body>"
                                      "<p>请核对您输入的网址，或返回网站首页继续浏览。</p></body></html>".encode())
    site.add_raw("/index.html", "<html><head><meta charset='utf-8'><title>首页</title></head><body>"
                                "<a href='/real.html'>真实页面</a><a href='/gone-away.html'>已撤下的文件</a></body></html>")
    site.add_raw("/real.html", "<html><head><meta charset='utf-8'><title>真实页面</title></head><body>"
                               "<p>这是一篇真实存在的文章，内容充实。</p></body></html>")
    with served(site) as srv:
        proc = run_cli("audit", srv.main_base + "/index.html", "--out", str(tmp_path), "--db", str(tmp_path / "d.db"),
                       "--delay", "0", "--as-of", "2026-11-22")
        base = srv.main_base
    assert proc.returncode == 0, proc.stderr
    broken = {f["url"]: f for f in load_findings(tmp_path)["findings"] if f["check"] == "broken_link"}
    assert base + "/gone-away.html" in broken
    assert "软404" in broken[base + "/gone-away.html"]["reason"]
    assert base + "/real.html" not in broken
    # the probe that taught it is a URL no site can have
    assert any("govaudit-probe-" in p for _, _, p, _ in site.request_log)
