"""Resume: a crawl killed with SIGKILL continues with --resume, losing nothing and fetching nothing twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .conftest import ROOT, bare_site, load_findings, run_cli, served

N_FAST = 20
N_SLOW = 3


def page(title: str, body: str) -> str:
    return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>'


def build_site() -> Any:
    site = bare_site()
    links = "".join(f'<a href="/xxgk/f{k}.html">快{k}</a>' for k in range(N_FAST))
    links += "".join(f'<a href="/xxgk/s{k}.html">慢{k}</a>' for k in range(N_SLOW))
    site.add_raw("/xxgk/index.html", page("信息公开", links))
    for k in range(N_FAST):
        site.add_raw(f"/xxgk/f{k}.html", page(f"快{k}", f'<p>正文</p><a href="/files/a{k}.pdf">附件{k}</a>'))
        site.add_raw(f"/files/a{k}.pdf", b"%PDF-1.4\n" + b"x" * 100, content_type="application/pdf")
    for k in range(N_SLOW):
        # slow only while the first crawl runs (the test sets seconds to 0 before resuming)
        site.add_raw(f"/xxgk/s{k}.html", page(f"慢{k}", f'<a href="/xxgk/t{k}.html">后{k}</a>'), behaviour="slow",
                     seconds=30)
        site.add_raw(f"/xxgk/t{k}.html", page(f"后{k}", "<p>正文</p>"))
    return site


def stored(db: Path) -> set[str]:
    if not db.exists():
        return set()
    try:
        conn = sqlite3.connect(db, timeout=5)
        try:
            return {u for (u,) in conn.execute("select url from pages")}
        finally:
            conn.close()
    except sqlite3.OperationalError:  # schema not there yet
        return set()


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_sigkilled_crawl_resumes_without_losing_or_refetching(tmp_path: Path) -> None:
    site = build_site()
    db = tmp_path / "s.db"
    with served(site) as srv:
        url = srv.main_base + "/xxgk/index.html"
        args = ["audit", url, "--out", str(tmp_path / "r"), "--db", str(db), "--as-of", "2026-11-22", "--delay", "0",
                "--per-host-concurrency", "8", "--timeout", "60", "--retries", "0", "--no-external"]
        proc = subprocess.Popen([sys.executable, "-m", "govaudit", *args], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        fast = {f"{srv.main_base}/xxgk/f{k}.html" for k in range(N_FAST)} | {url}
        deadline = time.monotonic() + 40
        while not fast <= stored(db):
            assert proc.poll() is None and time.monotonic() < deadline, "the crawl did not store the fast pages"
            time.sleep(0.05)
        time.sleep(1.5)  # what was fetched by now is committed (the store flushes every second)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        before = stored(db)
        n_log = len(site.request_log)
        conn = sqlite3.connect(db)
        ((run_id, status, pid),) = conn.execute("select id, status, pid from runs").fetchall()
        conn.close()
        assert status == "running" and pid == proc.pid  # killed: nobody could mark it
        assert not any("/xxgk/s" in u for u in before)  # the slow pages were in flight

        # the killed run shows as interrupted in a report made from it
        report = run_cli("recheck", "--db", str(db), "--run", str(run_id), "--out", str(tmp_path / "killed"))
        assert report.returncode == 0, report.stderr
        assert load_findings(tmp_path / "killed")["interrupted"] is True
        assert "抓取未完成" in (tmp_path / "killed" / "通报.html").read_text(encoding="utf-8")

        for k in range(N_SLOW):
            site.resources[("main", f"/xxgk/s{k}.html")].options["seconds"] = 0
        resumed = run_cli(*args, "--resume", timeout=120)
        after_log = site.request_log[n_log:]
    assert resumed.returncode == 0, resumed.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from runs").fetchone()[0] == 1  # the same run, continued
    assert conn.execute("select status from runs").fetchone()[0] == "finished"
    final = {u for (u,) in conn.execute("select url from pages where run_id = ?", [run_id])}
    # nothing lost: everything stored before the kill is still there, and the crawl is complete
    assert before <= final
    expected = fast | {f"{srv.main_base}/xxgk/{p}{k}.html" for p in "st" for k in range(N_SLOW)}
    expected |= {f"{srv.main_base}/files/a{k}.pdf" for k in range(N_FAST)}
    assert expected <= final
    # nothing fetched twice: no URL stored before the kill was requested again
    again = {path for _, _, path, _ in after_log} & {path_of(u) for u in before}
    assert again == set()
    findings = load_findings(tmp_path / "r")
    assert findings["interrupted"] is False
    assert findings["stats"]["pages"] == 1 + N_FAST + 2 * N_SLOW
    assert findings["stats"]["resumed"] is True
