"""End-to-end crawl behaviour: JS pagination, encodings, spider traps, robots.txt,
bad input, and `scrapy crawl` from the repository root."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from .conftest import REALPAGES, ROOT, bare_site, load_findings, run_cli, served


def page(title: str, body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<html><head>{head}<title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"


def audit(url: str, out: Path, *extra: str) -> Any:
    return run_cli("audit", url, "--out", str(out), "--db", str(out / "s.db"), "--as-of", "2026-11-22",
                   "--delay", "0", "--per-host-concurrency", "4", "--timeout", "3", "--retries", "0", *extra)


def page_titles(out: Path) -> dict[str, str]:
    db = sqlite3.connect(out / "s.db")
    return {u: t for u, t in db.execute("select url, title from pages where role='page'")}


def test_js_pagination_of_trs_and_hanweb_lists_is_followed(tmp_path: Path) -> None:
    site = bare_site()
    # TRS: createPageHTML(3, i, "index", "html") — only JavaScript links page 2 and 3
    for i in range(3):
        rows = "".join(f'<li><a href="./202611/t2026111{i}_{i}{k}.html">动态{i}{k}</a><span>2026-11-1{i}</span></li>'
                       for k in range(2))
        name = "index.html" if i == 0 else f"index_{i}.html"
        site.add_raw(f"/gzdt/{name}", page("工作动态", f'<ul>{rows}</ul><script>createPageHTML(3, {i}, "index", "html");</script>'))
        for k in range(2):
            site.add_raw(f"/gzdt/202611/t2026111{i}_{i}{k}.html", page(f"动态{i}{k}", "<p>正文</p>"))
    # Hanweb: records inside <script type="text/xml"><datastore> CDATA
    records = "".join(f'<record><![CDATA[<li><a href="/art/2026/11/{k}/art_1_{k}.html">公告{k}</a><span>2026-11-0{k}</span></li>]]></record>'
                      for k in range(1, 4))
    site.add_raw("/col/col1/index.html", page("通知公告", f'<script type="text/xml"><datastore><recordset>{records}'
                                                      "</recordset></datastore></script>"))
    for k in range(1, 4):
        site.add_raw(f"/art/2026/11/{k}/art_1_{k}.html", page(f"公告{k}", "<p>正文</p>"))
    # Hanweb jpage: 20 records, the page embeds 15, the rest come from POST dataproxy.jsp
    items = [(f"公示{k}", f"/art/2026/10/{k}/art_77_{k}.html", __import__("datetime").date(2026, 10, k))
             for k in range(1, 21)]
    for t, h, _ in items:
        site.add_raw(h, page(t, "<p>正文</p>"))
    site.add_listing("/col/col77/index.html", column="公示公告", items=items, style="hanweb", hanweb_embed=15)
    site.add_raw("/index.html", page("首页", '<a href="/gzdt/index.html">工作动态</a><a href="/col/col1/index.html">通知公告</a>'
                                           '<a href="/col/col77/index.html">公示公告</a>'))
    with served(site) as srv:
        proc = audit(srv.main_base + "/index.html", tmp_path)
    assert proc.returncode == 0, proc.stderr
    titles = set(page_titles(tmp_path).values())
    assert {f"动态{i}{k}" for i in range(3) for k in range(2)} <= titles
    assert {"公告1", "公告2", "公告3"} <= titles
    assert {f"公示{k}" for k in range(1, 21)} <= titles
    posts = [p for host, m, p, _ in site.request_log if m == "POST"]
    assert len(posts) == 1 and "startrecord=16" in posts[0] and "endrecord=20" in posts[0]


def test_encodings_gbk_by_header_by_meta_lying_header_and_utf16(tmp_path: Path) -> None:
    site = bare_site()
    gbk = lambda t: page(t, f"<p>{t}的正文内容，政府信息公开。</p>", head="").encode("gbk")  # noqa: E731
    site.add_raw("/h.html", gbk("只在响应头声明编码"), content_type="text/html; charset=GBK")
    site.add_raw("/m.html", page("只在meta声明编码", "<p>政府信息公开</p>",
                                 head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gbk"),
                 content_type="text/html")
    site.add_raw("/lie.html", page("响应头谎报编码", "<p>政府信息公开正文</p>",
                                   head='<meta charset="gbk">').encode("gbk"),
                 content_type="text/html; charset=utf-8")
    site.add_raw("/u16.html", (REALPAGES / "xiangtan_article_utf16le_declared_gb2312.html").read_bytes(),
                 content_type="text/html")
    site.add_raw("/index.html", page("首页", "".join(f'<a href="/{n}.html">{n}</a>' for n in ("h", "m", "lie", "u16"))))
    with served(site) as srv:
        proc = audit(srv.main_base + "/index.html", tmp_path)
        base = srv.main_base
    assert proc.returncode == 0, proc.stderr
    titles = page_titles(tmp_path)
    assert titles[base + "/h.html"] == "只在响应头声明编码"
    assert titles[base + "/m.html"] == "只在meta声明编码"
    assert titles[base + "/lie.html"] == "响应头谎报编码"
    assert titles[base + "/u16.html"] == "“从齐白石故乡吹来的风”书画展亮相澳门"  # UTF-16 BOM beats <meta gb2312>
    db = sqlite3.connect(tmp_path / "s.db")
    charsets = dict(db.execute("select url, json_extract(facts, '$.charset') from pages where role='page'"))
    assert charsets[base + "/h.html"].lower() in ("gb18030", "gbk")
    assert charsets[base + "/u16.html"].lower().startswith("utf-16")


def test_spider_trap_calendar_ends_and_is_counted(tmp_path: Path) -> None:
    site = bare_site()
    # a calendar whose every page links to the next day, forever (query strings grow without end)
    for d in range(400):
        site.add_raw(f"/cal.html?d={d}", page(f"日历{d}", f'<a href="/cal.html?d={d + 1}">下一天</a>'))
    site.add_raw("/cal.html", page("日历", '<a href="/cal.html?d=0">开始</a>'))
    site.add_raw("/index.html", page("首页", '<a href="/cal.html">日历</a><a href="/a/b/a/b/a/b/x.html">循环</a>'))
    with served(site) as srv:
        proc = audit(srv.main_base + "/index.html", tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = load_findings(tmp_path)
    assert doc["stats"]["traps_refused"] >= 1
    assert doc["stats"]["pages"] <= 60  # the default cap of 50 query variants per path held


def test_robots_txt_is_obeyed_by_default_and_switchable(tmp_path: Path) -> None:
    site = bare_site()
    site.add_raw("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add_raw("/private/p.html", page("内部", "<p>x</p>"))
    site.add_raw("/index.html", page("首页", '<a href="/private/p.html">内部</a>'))
    with served(site) as srv:
        audit(srv.main_base + "/index.html", tmp_path / "obey")
        audit(srv.main_base + "/index.html", tmp_path / "ignore", "--ignore-robots")
        base = srv.main_base
    db = sqlite3.connect(tmp_path / "obey" / "s.db")
    assert db.execute("select error, title from pages where url = ?", (base + "/private/p.html",)).fetchone() == (
        "robots", None)
    assert page_titles(tmp_path / "ignore")[base + "/private/p.html"] == "内部"
    # a page skipped by robots.txt is not a broken link
    assert not any(f["check"] == "broken_link" for f in load_findings(tmp_path / "obey")["findings"])


@pytest.mark.parametrize("args,needle", [
    (["audit", "ftp://example.gov.cn/"], "not an http(s) URL"),
    (["audit", "http://127.0.0.1:9/", "--as-of", "2026-13-45"], "bad --as-of"),
    (["page", "/nonexistent/file.html"], "no such file"),
])
def test_bad_input_gives_one_line_error(tmp_path: Path, args: list[str], needle: str) -> None:
    proc = run_cli(*args, "--out", str(tmp_path / "o")) if args[0] == "audit" else run_cli(*args)
    assert proc.returncode != 0
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unwritable_out_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    proc = run_cli("audit", "http://127.0.0.1:9/", "--out", str(blocker / "sub"))
    assert proc.returncode != 0
    assert "cannot write to --out" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unreachable_start_url_is_a_clear_error_and_the_run_is_kept(tmp_path: Path) -> None:
    proc = audit("http://127.0.0.3:9/xxgk/", tmp_path)
    assert proc.returncode != 0
    assert "cannot reach the start URL" in proc.stderr
    assert "Traceback" not in proc.stderr
    db = sqlite3.connect(tmp_path / "s.db")
    assert db.execute("select error from pages where url = 'http://127.0.0.3:9/xxgk/'").fetchone()[0] == "refused"
    assert load_findings(tmp_path)["verdict"]["verdict"] == "不合格"


def test_scrapy_crawl_works_from_the_repo_root(tmp_path: Path) -> None:
    import subprocess
    import sys

    site = bare_site()
    site.add_raw("/index.html", page("首页", '<a href="/a.html">A</a>'))
    site.add_raw("/a.html", page("A页", "<p>x</p>"))
    with served(site) as srv:
        proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "govaudit", "-a", f"url={srv.main_base}/index.html",
                               "-s", f"GOVAUDIT_DB={tmp_path / 'c.db'}", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        base = srv.main_base
    assert proc.returncode == 0, proc.stderr
    db = sqlite3.connect(tmp_path / "c.db")
    assert db.execute("select status from runs").fetchone()[0] == "finished"
    assert db.execute("select title from pages where url = ?", (base + "/a.html",)).fetchone()[0] == "A页"


def test_page_command_reads_a_saved_real_page(tmp_path: Path) -> None:
    import json

    f = REALPAGES / "miit_article.html"
    proc = run_cli("page", str(f), "--url", "https://www.miit.gov.cn/xwdt/gxdt/dfgz/art/2020/art_x.html", "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    for key in ("kind", "title", "published", "published_source", "meta", "site_name", "column", "doc_number", "links"):
        assert key in d
    assert d["kind"] == "article"
    assert d["published"] == "2009-09-30" and d["published_source"] == "visible"
    assert d["meta_date"] == "2023-05-12"
