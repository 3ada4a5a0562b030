"""Incremental re-audit: conditional requests against the previous finished run.

The local server answers If-None-Match with 304 (govaudit.demo.site).  A
re-audit of an unchanged site must download a small fraction of the bytes and
report the same findings; a changed page must be downloaded and read again.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from .conftest import bare_site, load_findings, run_cli, served

FILLER = "<p>" + "本机关依法主动公开政府信息，接受社会监督。" * 120 + "</p>"  # ≈ 6 kB of body per page


def page(title: str, body: str) -> str:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title><meta name="SiteName" content="测试县人民政府">'
            f"</head><body><h1>{title}</h1>{body}{FILLER}</body></html>")


def build_site() -> Any:
    site = bare_site()
    rows = "".join(f'<li><a href="/xxgk/gzdt/t2026110{k}_{k}.html">动态{k}</a><span>2026-11-0{k}</span></li>'
                   for k in range(1, 9))
    site.add_raw("/xxgk/index.html", page("政府信息公开", '<a href="/xxgk/gzdt/index.html">工作动态</a>'
                                                   '<a href="/files/gone.pdf">已删除附件</a>'
                                                   '<a href="/files/ok.pdf">附件</a>'))
    site.add_raw("/xxgk/gzdt/index.html", page("工作动态", f"<ul>{rows}</ul>"))
    for k in range(1, 9):
        site.add_raw(f"/xxgk/gzdt/t2026110{k}_{k}.html",
                     page(f"动态{k}", f'<p>正文{k}</p><a href="/xxgk/dead{k % 3}.html">相关</a>'))
    site.add_raw("/files/ok.pdf", b"%PDF-1.4\n" + b"x" * 2000, content_type="application/pdf")
    return site


def audit(url: str, out: Path, db: Path, *extra: str) -> Any:
    return run_cli("audit", url, "--out", str(out), "--db", str(db), "--as-of", "2026-11-22", "--delay", "0",
                   "--per-host-concurrency", "4", "--timeout", "3", "--retries", "0", "--no-external", *extra)


def fingerprints(out: Path) -> set[tuple[str, str, str]]:
    return {(f["code"], f["url"], f.get("key") or "") for f in load_findings(out)["findings"]}


def test_unchanged_site_reaudit_downloads_under_a_tenth_and_reports_the_same(tmp_path: Path) -> None:
    site = build_site()
    db = tmp_path / "s.db"
    with served(site) as srv:
        url = srv.main_base + "/xxgk/index.html"
        first = audit(url, tmp_path / "r1", db)
        assert first.returncode == 0, first.stderr
        n_first = len(site.request_log)
        second = audit(url, tmp_path / "r2", db)
        assert second.returncode == 0, second.stderr
        log2 = site.request_log[n_first:]
    s1, s2 = load_findings(tmp_path / "r1")["stats"], load_findings(tmp_path / "r2")["stats"]
    assert s1["requests_304"] == 0
    assert s2["bytes_received"] <= 0.10 * s1["bytes_received"], (s1["bytes_received"], s2["bytes_received"])
    assert s2["requests_304"] == 10  # the 专栏 home, the listing and its 8 articles
    assert s2["pages"] == s1["pages"] and s2["urls_checked"] == s1["urls_checked"]
    assert fingerprints(tmp_path / "r2") == fingerprints(tmp_path / "r1")
    assert any(f["code"].startswith("GA1") for f in load_findings(tmp_path / "r2")["findings"])
    # every page was asked again (listings too): conditionally, never skipped
    page_gets = [(path, h) for key, method, path, h in log2 if method == "GET" and path.startswith("/xxgk/")
                 and "dead" not in path and "probe" not in path]
    assert len(page_gets) == 10
    assert all(h.get("If-None-Match") and h.get("If-Modified-Since") for _, h in page_gets)
    db_conn = sqlite3.connect(db)
    run2 = max(r for (r,) in db_conn.execute("select id from runs"))
    titles = dict(db_conn.execute("select url, title from pages where run_id = ? and revalidated = 1", [run2]))
    assert len(titles) == 10 and "动态3" in titles.values()


def test_changed_page_is_downloaded_and_read_again(tmp_path: Path) -> None:
    site = build_site()
    db = tmp_path / "s.db"
    with served(site) as srv:
        url = srv.main_base + "/xxgk/index.html"
        assert audit(url, tmp_path / "r1", db).returncode == 0
        # between the audits the listing gains an article and one article gets a new broken link
        rows = "".join(f'<li><a href="/xxgk/gzdt/t2026110{k}_{k}.html">动态{k}</a><span>2026-11-0{k}</span></li>'
                       for k in range(1, 10))
        site.add_raw("/xxgk/gzdt/index.html", page("工作动态", f"<ul>{rows}</ul>"))
        site.add_raw("/xxgk/gzdt/t20261109_9.html", page("动态9", "<p>新文章</p>"))
        site.add_raw("/xxgk/gzdt/t20261101_1.html", page("动态1改", '<p>改</p><a href="/xxgk/newdead.html">新</a>'))
        second = audit(url, tmp_path / "r2", db)
        assert second.returncode == 0, second.stderr
    s2 = load_findings(tmp_path / "r2")["stats"]
    assert s2["requests_304"] == 8  # home and 7 unchanged articles
    conn = sqlite3.connect(db)
    run2 = max(r for (r,) in conn.execute("select id from runs"))
    titles = {t for (t,) in conn.execute("select title from pages where run_id = ?", [run2])}
    assert {"动态9", "动态1改"} <= titles and "动态1" not in titles
    new_urls = {f["url"] for f in load_findings(tmp_path / "r2")["findings"]}
    assert any(u.endswith("/xxgk/newdead.html") for u in new_urls)


def test_full_reaudit_downloads_everything_again(tmp_path: Path) -> None:
    site = build_site()
    db = tmp_path / "s.db"
    with served(site) as srv:
        url = srv.main_base + "/xxgk/index.html"
        assert audit(url, tmp_path / "r1", db).returncode == 0
        assert audit(url, tmp_path / "r2", db, "--full").returncode == 0
    s1, s2 = load_findings(tmp_path / "r1")["stats"], load_findings(tmp_path / "r2")["stats"]
    assert s2["requests_304"] == 0
    assert s2["bytes_received"] >= 0.9 * s1["bytes_received"]
