"""End-to-end: crawl a hostile local site, store it, find the broken links.

One audit of a misbehaving site (module fixture) feeds most assertions; each
test checks one thing a user relies on.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from .conftest import bare_site, load_findings, run_cli, served

EXT = "{EXT}"


def page(title: str, body: str, charset: str = "utf-8") -> str:
    return (f'<html><head><meta charset="{charset}"><title>{title}</title>'
            f'<meta name="SiteName" content="测试县人民政府"></head><body><h1>{title}</h1>{body}</body></html>')


LINKS = {
    "dead_page": "/xxgk/dead.html",
    "dead_attachment": "/files/gone.pdf",
    "head_refused": "/files/sqb.doc",
    "ok_attachment": "/files/ok.pdf",
    "dead_external": f"{EXT}/nope.html",
    "ok_external": f"{EXT}/ok.html",
    "loop": "/loop1.html",
    "redirect_to_404": "/moved.html",
    "live_redirect": "/old.html",
    "slow": "/slow.html",
    "reset": "/reset.html",
    "error500": "/err.html",
    "waf": f"{EXT}/waf.html",
    "soft404": "/soft.html",
    "refused": "http://127.0.0.3:9/x.html",
    "busy_then_ok": "/busy.html",
}


def build_hostile_site() -> Any:
    site = bare_site()
    items = "".join(f'<li><a href="{h}">{k}</a></li>' for k, h in LINKS.items())
    non_links = ('<a href="mailto:gkb@example.gov.cn">邮箱</a> <a href="tel:0571-000">电话</a> '
                 '<a href="javascript:void(0)">打印</a> <a href="#top">顶部</a> '
                 '<a href="{{article.url}}">模板</a> <a href="javacript:;">错拼</a>')
    site.add_raw("/xxgk/index.html", page("政府信息公开", f'<ul>{items}</ul><a href="/xxgk/a.html">文章A</a>'
                                                     f'<a href="/xxgk/b.html">文章B</a>{non_links}'))
    site.add_raw("/xxgk/a.html", page("文章A", '<p>正文</p><a href="/xxgk/dead.html">失效链接</a>'))
    site.add_raw("/xxgk/b.html", page("文章B", "<p>正文B</p>"))
    site.add_raw("/files/sqb.doc", b"\xd0\xcf\x11\xe0" + b"x" * 300_000, content_type="application/msword",
                 behaviour="head_refused")
    site.add_raw("/files/ok.pdf", b"%PDF-1.4\n" + b"x" * 1000, content_type="application/pdf")
    site.add_raw("/ok.html", page("外部", "ok"), host="ext")
    site.add_behaviour("/loop1.html", "redirect_loop", location="/loop2.html")
    site.add_behaviour("/loop2.html", "redirect_loop", location="/loop1.html")
    site.add_behaviour("/moved.html", "redirect", location="/gone.html")
    site.add_behaviour("/old.html", "redirect", location="/xxgk/b.html")
    site.add_raw("/slow.html", page("慢", "slow"), behaviour="slow", seconds=6)
    site.add_behaviour("/reset.html", "reset")
    site.add_raw("/err.html", "Internal Server Error", status=500)
    site.add_behaviour("/waf.html", "waf", host="ext")
    site.add_raw("/soft.html", page("提示", "<p>对不起，您访问的页面不存在或已被删除！</p>"))
    site.add_raw("/busy.html", page("稍后", "<p>正文</p>"), behaviour="flaky", fail_times=1, fail_status=503,
                 retry_after=1)
    return site


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    site = build_hostile_site()
    out = tmp_path_factory.mktemp("hostile")
    with served(site) as srv:
        proc = run_cli("audit", srv.main_base + "/xxgk/index.html", "--out", str(out), "--db", str(out / "a.db"),
                       "--as-of", "2026-11-22", "--delay", "0", "--per-host-concurrency", "4", "--timeout", "2",
                       "--retries", "1")
        base, ext = srv.main_base, srv.ext_base
    doc = load_findings(out)

    def url(key: str) -> str:
        h = LINKS[key]
        return h.replace(EXT, ext) if h.startswith(EXT) else (h if h.startswith("http") else base + h)

    by_url = {f["url"]: f for f in doc["findings"]}
    return {"proc": proc, "doc": doc, "by_url": by_url, "url": url, "out": out, "site": site, "base": base}


def test_audit_of_a_misbehaving_site_finishes_and_writes_outputs(hostile: dict[str, Any]) -> None:
    proc = hostile["proc"]
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for name in ("findings.json", "findings.csv", "通报.html"):
        assert (hostile["out"] / name).exists(), name
    doc = hostile["doc"]
    assert doc["site"].endswith("/xxgk/index.html")
    assert doc["as_of"] == "2026-11-22"
    assert doc["stats"]["pages"] >= 3
    assert doc["stats"]["urls_checked"] >= len(LINKS)
    assert doc["stats"]["bytes_received"] > 0


@pytest.mark.parametrize("key,expect", [
    ("dead_page", {"status": 404}),
    ("dead_attachment", {"status": 404}),
    ("dead_external", {"status": 404}),
    ("error500", {"status": 500}),
    ("loop", {"error": "redirect_loop"}),
    ("slow", {"error": "timeout"}),
    ("reset", {"error": "reset"}),
    ("refused", {"error": "refused"}),
])
def test_each_kind_of_broken_link_is_reported(hostile: dict[str, Any], key: str, expect: dict[str, Any]) -> None:
    f = hostile["by_url"].get(hostile["url"](key))
    assert f is not None, f"{key} not reported"
    assert f["check"] == "broken_link"
    for k, v in expect.items():
        assert f[k] == v
    assert f["basis"] and f["basis"][0]["document"]
    assert f["reason"]


def test_redirect_chain_ending_in_error_is_broken(hostile: dict[str, Any]) -> None:
    f = hostile["by_url"][hostile["url"]("redirect_to_404")]
    assert f["status"] == 404
    assert f["redirects"] and f["redirects"][0].endswith("/moved.html")
    assert "重定向" in f["reason"]


def test_soft_404_page_is_broken(hostile: dict[str, Any]) -> None:
    f = hostile["by_url"][hostile["url"]("soft404")]
    assert f["status"] == 200
    assert "软404" in f["reason"]


@pytest.mark.parametrize("key", ["head_refused", "ok_attachment", "ok_external", "live_redirect", "busy_then_ok"])
def test_working_targets_are_not_reported(hostile: dict[str, Any], key: str) -> None:
    assert hostile["url"](key) not in hostile["by_url"]


def test_non_http_links_and_placeholders_are_not_reported(hostile: dict[str, Any]) -> None:
    urls = " ".join(hostile["by_url"])
    for bad in ("mailto:", "tel:", "javascript", "javacript", "#top", "{{", "article.url"):
        assert bad not in urls


def test_waf_block_is_reported_as_blocked_not_broken(hostile: dict[str, Any]) -> None:
    f = hostile["by_url"][hostile["url"]("waf")]
    assert f["check"] == "blocked_link"
    assert f["status"] == 412


def test_one_finding_per_target_lists_every_linking_page(hostile: dict[str, Any]) -> None:
    f = hostile["by_url"][hostile["url"]("dead_page")]
    base = hostile["base"]
    assert sorted(f["pages"]) == sorted([base + "/xxgk/index.html", base + "/xxgk/a.html"])
    assert sum(1 for x in hostile["doc"]["findings"] if x["url"] == f["url"]) == 1


def test_head_refused_falls_back_to_a_get(hostile: dict[str, Any]) -> None:
    log = [(m, p) for host, m, p, _ in hostile["site"].request_log if p.endswith("/files/sqb.doc")]
    assert ("HEAD", "/files/sqb.doc") in log
    assert ("GET", "/files/sqb.doc") in log
    db = sqlite3.connect(hostile["out"] / "a.db")
    method, status, length = db.execute(
        "select method, status, length from pages where url like '%/files/sqb.doc'").fetchone()
    assert (method, status) == ("GET", 200)
    assert length < 300_000  # headers-only: the large body was not downloaded


def test_retry_after_is_honoured(hostile: dict[str, Any]) -> None:
    log = [p for host, m, p, _ in hostile["site"].request_log if p == "/busy.html"]
    assert len(log) == 2  # one 503 with Retry-After: 1, then the page


def test_store_keeps_pages_links_and_the_run(hostile: dict[str, Any]) -> None:
    db = sqlite3.connect(hostile["out"] / "a.db")
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    status, stats = db.execute("select status, stats from runs").fetchone()
    assert status == "finished"
    titles = {r[0] for r in db.execute("select title from pages where role='page'")}
    assert {"政府信息公开", "文章A", "文章B"} <= titles
    kinds = {r[0] for r in db.execute("select distinct kind from links")}
    assert {"page", "attachment", "external", "mailto", "tel", "javascript"} <= kinds


def test_recheck_needs_no_crawl(hostile: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "re"
    proc = run_cli("recheck", "--db", str(hostile["out"] / "a.db"), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    again = load_findings(out)
    key = lambda d: sorted((f["check"], f["url"]) for f in d["findings"])  # noqa: E731
    assert key(again) == key(hostile["doc"])
