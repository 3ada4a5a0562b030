"""Pages read in a child process (--read-processes): the same facts as reading them in the crawl,
and a child that dies mid-crawl costs no page."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .conftest import ROOT, run_cli

ARTICLES = 120


def _page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="gbk"><title>{title}_测试县人民政府</title>'
            f'<meta name="PubDate" content="2026-11-02 09:00"></head><body><div class="nav">'
            f'<a href="/xxgk/index.html">首页</a> <a href="/xxgk/gknb/index.html">政府信息公开年报</a></div>'
            f'<h1>{title}</h1>{body}<div class="footer">主办单位：测试县人民政府</div></body></html>'
            ).encode("gbk")


class _Site(BaseHTTPRequestHandler):
    """A GBK column of ARTICLES articles (each slightly slow, so the crawl outlives the child's start)."""

    hits = 0
    on_hit = None  # called with the hit count (to kill the child mid-crawl)

    def do_GET(self) -> None:  # noqa: N802
        cls = type(self)
        cls.hits += 1
        if cls.on_hit is not None:
            cls.on_hit(cls.hits)
        time.sleep(0.02)
        path = self.path
        if path in ("/xxgk/index.html", "/xxgk/"):
            rows = "".join(f'<li><a href="/xxgk/tzgg/t{i}.html">关于第{i}项工作的通知</a><span>2026-11-{1 + i % 20:02d}</span></li>'
                           for i in range(ARTICLES))
            body = _page("通知公告", f'<ul class="list">{rows}</ul>')
        elif path.startswith("/xxgk/tzgg/t"):
            i = int(path[len("/xxgk/tzgg/t"):].split(".")[0])
            body = _page(f"关于第{i}项工作的通知",
                         f'<div class="TRS_Editor"><p>{"各单位要按照要求认真落实。" * 20}</p>'
                         f'<p><a href="/files/f{i}.pdf">附件{i}</a> <a href="/xxgk/missing{i % 7}.html">相关文件</a></p></div>')
        elif path.startswith("/files/"):
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        elif path == "/xxgk/gknb/index.html":
            body = _page("政府信息公开年报", "<p>暂无信息</p>")
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")  # no charset: the page's meta says GBK
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 drops connections under a crawl: 1 s SYN retries


def _serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    srv = _Server(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def _stored(db: Path) -> tuple[dict[str, str], dict[str, list[tuple]], dict[str, object]]:
    conn = sqlite3.connect(db)
    facts = {u: f for u, f in conn.execute("select url, facts from pages where facts is not null")}
    links: dict[str, list[tuple]] = {}
    for row in conn.execute("select source, target, text, kind, context, tag from links order by rowid"):
        links.setdefault(row[0], []).append(row[1:])
    stats = json.loads(conn.execute("select stats from runs").fetchone()[0])
    conn.close()
    return facts, links, stats


def _audit(base: str, tmp: Path, name: str, processes: int) -> tuple[dict[str, str], dict[str, list[tuple]], dict]:
    r = run_cli("audit", f"{base}/xxgk/index.html", "--db", str(tmp / f"{name}.db"), "--out", str(tmp / name),
                "--as-of", "2026-11-22", "--delay", "0", "--per-host-concurrency", "4", "--no-external",
                "--read-processes", str(processes))
    assert r.returncode == 0, r.stderr[-2000:]
    return _stored(tmp / f"{name}.db")


def test_pages_read_in_a_child_give_the_same_facts_links_and_findings(tmp_path: Path) -> None:
    srv = _serve(type("Site", (_Site,), {}))
    try:
        base = f"http://127.0.0.1:{srv.server_address[1]}"
        here_facts, here_links, here_stats = _audit(base, tmp_path, "in-process", 0)
        child_facts, child_links, child_stats = _audit(base, tmp_path, "child", 1)
    finally:
        srv.shutdown()
        srv.server_close()
    assert here_stats["pages_read_in_child"] == 0
    assert child_stats["pages_read_in_child"] > ARTICLES // 2  # most pages went to the child
    assert len(here_facts) == ARTICLES + 2
    assert child_facts == here_facts  # facts JSON identical, page by page (GBK decoded alike)
    assert child_links == here_links
    assert "关于第7项工作的通知" in child_facts[f"{base}/xxgk/tzgg/t7.html"]

    def findings(name: str) -> list[tuple[str, str | None]]:
        doc = json.loads((tmp_path / name / "findings.json").read_text(encoding="utf-8"))
        return sorted((f["code"], f["url"]) for f in doc["findings"])

    assert findings("child") == findings("in-process")
    assert ("GA101", f"{base}/xxgk/missing3.html") in findings("child")


def _reading_children(parent: int) -> list[int]:
    """The pids of `parent`'s page-reading children (multiprocessing spawn children, not the
    resource tracker)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        ppid = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:")), None)
        if ppid == parent and b"spawn_main" in cmdline:
            out.append(int(entry))
    return out


def _reading_child(parent: int) -> int | None:
    found = _reading_children(parent)
    return found[0] if found else None


def test_a_child_killed_mid_crawl_costs_no_page(tmp_path: Path) -> None:
    site = type("Site", (_Site,), {"hits": 0})
    srv = _serve(site)
    proc: subprocess.Popen[str] | None = None
    killed: list[int] = []

    def kill_child(hits: int) -> None:
        if hits == 60 and proc is not None:
            pid = _reading_child(proc.pid)
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    site.on_hit = staticmethod(kill_child)
    try:
        base = f"http://127.0.0.1:{srv.server_address[1]}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "govaudit", "audit", f"{base}/xxgk/index.html", "--db", str(tmp_path / "k.db"),
             "--out", str(tmp_path / "k"), "--as-of", "2026-11-22", "--delay", "0", "--per-host-concurrency", "2",
             "--no-external", "--read-processes", "1", "-v"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        _, err = proc.communicate(timeout=180)
    finally:
        srv.shutdown()
        srv.server_close()
    assert proc.returncode == 0, err[-2000:]
    assert killed, "the reading child was not found to kill"
    assert "page-reading process stopped" in err
    facts, _, stats = _stored(tmp_path / "k.db")
    assert len(facts) == ARTICLES + 2  # every page read, before and after the child died
    assert stats["pages"] == ARTICLES + 2 + 7  # and the 7 dead 相关文件 pages
    assert 0 < stats["pages_read_in_child"] < ARTICLES + 2
    conn = sqlite3.connect(tmp_path / "k.db")
    failed = conn.execute("select count(*) from pages where error_detail like 'extract failed%'").fetchone()[0]
    assert failed == 0


def test_sites_crawled_at_once_share_one_reading_child(tmp_path: Path) -> None:
    seen: list[int] = []
    proc: subprocess.Popen[str] | None = None

    def count_children(hits: int) -> None:
        if hits % 20 == 0 and proc is not None:
            seen.append(sum(1 for _ in _reading_children(proc.pid)))

    a = type("SiteA", (_Site,), {"hits": 0, "on_hit": staticmethod(count_children)})
    b = type("SiteB", (_Site,), {"hits": 0, "on_hit": staticmethod(count_children)})
    srv_a, srv_b = _serve(a), _serve(b)
    try:
        cfg = tmp_path / "sites.toml"
        cfg.write_text(
            "[defaults]\ndelay = 0\nper_host_concurrency = 2\ncheck_external = false\n"
            f'[[sites]]\nname = "甲局"\nurl = "http://127.0.0.1:{srv_a.server_address[1]}/xxgk/index.html"\n'
            f'[[sites]]\nname = "乙局"\nurl = "http://127.0.0.1:{srv_b.server_address[1]}/xxgk/index.html"\n',
            encoding="utf-8")
        proc = subprocess.Popen(
            [sys.executable, "-m", "govaudit", "run", str(cfg), "--db", str(tmp_path / "c.db"), "--out",
             str(tmp_path / "out"), "--as-of", "2026-11-22", "--read-processes", "1"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        _, err = proc.communicate(timeout=180)
    finally:
        for srv in (srv_a, srv_b):
            srv.shutdown()
            srv.server_close()
    assert proc.returncode == 0, err[-2000:]
    assert seen and max(seen) == 1, seen  # one child for both sites, never one each
    conn = sqlite3.connect(tmp_path / "c.db")
    stats = [json.loads(s) for (s,) in conn.execute("select stats from runs order by id")]
    assert len(stats) == 2 and all(s["pages_read_in_child"] > 0 for s in stats)
