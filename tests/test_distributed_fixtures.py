"""Fixtures of the distributed-mode tests: a real redis-server and a local multi-site "province".

Each site of the province is served on its own loopback address (127.0.0.21,
127.0.0.22 …), so each is its own host for per-host politeness.  The server
records, per host, how many requests were being answered at once.

The tests in this file check the fixtures themselves (that the concurrency
meter can see parallel requests), the others use them.
"""

from __future__ import annotations

import datetime as _dt
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest

REDIS_SERVER = shutil.which("redis-server")
needs_redis = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed (apt install redis-server)")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class RedisServer:
    port: int
    proc: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> Any:
        import redis

        return redis.Redis.from_url(self.url)

    def flush(self) -> None:
        self.client().flushall()


def start_redis() -> RedisServer:
    assert REDIS_SERVER is not None
    port = free_port()
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--daemonize", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return RedisServer(port, proc)
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def stop_redis(server: RedisServer) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(5)
    except subprocess.TimeoutExpired:
        server.proc.kill()


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    if REDIS_SERVER is None:
        # the README's test command installs it first (scripts/install-system-deps.sh): never skipped
        pytest.fail("redis-server is not installed: run scripts/install-system-deps.sh (apt install redis-server)")
    server = start_redis()
    try:
        yield server
    finally:
        stop_redis(server)


# ---------------------------------------------------------------------------- the province
def _page(title: str, body: str, site: str, date: str | None = None) -> bytes:
    meta = f'<meta name="PubDate" content="{date}">' if date else ""
    return (f'<html><head><meta charset="utf-8"><title>{title}</title><meta name="SiteName" content="{site}">'
            f'{meta}</head><body><h1>{title}</h1>{body}</body></html>').encode()


@dataclass
class Site:
    index: int
    host: str
    port: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def start_url(self) -> str:
        return self.base + "/xxgk/index.html"


@dataclass
class Province:
    """``n_sites`` sites of ``pages`` articles; every site has some dead links
    and links to the next site (checked, not crawled)."""

    n_sites: int = 3
    pages: int = 12
    latency: float = 0.02  # seconds each answer takes
    sites: list[Site] = field(default_factory=list)
    active: dict[str, int] = field(default_factory=dict)
    max_active: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def resource(self, site: Site, path: str) -> tuple[int, str, bytes]:
        name = f"测试县第{site.index}部门"
        nxt = self.sites[(site.index + 1) % len(self.sites)]
        d = _dt.date(2026, 11, 20) - _dt.timedelta(days=site.index)
        if path == "/xxgk/index.html":
            rows = "".join(f'<li><a href="/xxgk/p{j}.html">第{j}号公告</a><span>{d.isoformat()}</span></li>'
                           for j in range(self.pages))
            return 200, "text/html; charset=utf-8", _page("政府信息公开", f"<ul>{rows}</ul>", name)
        if path.startswith("/xxgk/p") and path.endswith(".html"):
            try:
                j = int(path[len("/xxgk/p"):-len(".html")])
            except ValueError:
                j = -1
            if 0 <= j < self.pages:
                links = [f'<a href="/xxgk/p{(j + 1) % self.pages}.html">下一篇</a>',
                         f'<a href="/files/f{j}.pdf">附件{j}</a>',
                         f'<a href="{nxt.base}/xxgk/p{j}.html">兄弟单位</a>']
                if j % 4 == 1:
                    links.append(f'<a href="/xxgk/dead{j}.html">失效页面{j}</a>')
                if j % 5 == 2:
                    links.append(f'<a href="{nxt.base}/gone{j}.html">外部失效</a>')
                body = f"<p>发布日期：{d.isoformat()}</p><p>正文{j}</p>" + " ".join(links)
                return 200, "text/html; charset=utf-8", _page(f"第{j}号公告", body, name, d.isoformat())
        if path.startswith("/files/f") and path.endswith(".pdf"):
            j = int(path[len("/files/f"):-len(".pdf")])
            if j % 3 == 0:
                return 404, "text/html", b"not found"
            return 200, "application/pdf", b"%PDF-1.4\n" + b"x" * 500
        return 404, "text/html; charset=utf-8", _page("404", "页面不存在", name)

    def handler(self, site: Site) -> type[BaseHTTPRequestHandler]:
        province = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self, head: bool) -> None:
                host = site.host
                with province.lock:
                    province.active[host] = province.active.get(host, 0) + 1
                    province.max_active[host] = max(province.max_active.get(host, 0), province.active[host])
                    province.requests[host] = province.requests.get(host, 0) + 1
                try:
                    time.sleep(province.latency)
                    status, ctype, body = province.resource(site, self.path.split("?")[0])
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if not head:
                        self.wfile.write(body)
                finally:
                    with province.lock:
                        province.active[host] -= 1

            def do_GET(self) -> None:
                self._serve(False)

            def do_HEAD(self) -> None:
                self._serve(True)

        return H

    def start(self) -> "Province":
        for i in range(self.n_sites):
            self.sites.append(Site(i, f"127.0.0.{21 + i}"))
        for site in self.sites:
            srv = ThreadingHTTPServer((site.host, 0), self.handler(site))
            srv.daemon_threads = True
            site.server, site.port = srv, srv.server_address[1]
            threading.Thread(target=srv.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for site in self.sites:
            if site.server is not None:
                site.server.shutdown()
                site.server.server_close()

    def reset_meter(self) -> None:
        with self.lock:
            self.max_active.clear()
            self.requests.clear()

    def sites_toml(self, path: Path, *, concurrency: int = 2, delay: float = 0.0,
                   overrides: dict[int, dict[str, Any]] | None = None) -> Path:
        """A SITES.toml of the province; ``overrides`` {site index: {key: value}} per [[sites]] entry."""
        lines = ["[defaults]", f"per_host_concurrency = {concurrency}", f"delay = {delay}", "timeout = 5",
                 "retries = 0", "obey_robots = false", ""]
        for s in self.sites:
            lines += ["[[sites]]", f'name = "测试县第{s.index}部门"', f'url = "{s.start_url}"']
            lines += [f"{k} = {v!r}" for k, v in (overrides or {}).get(s.index, {}).items()] + [""]
        path.write_text("\n".join(lines), encoding="utf-8")
        return path


@pytest.fixture(scope="module")
def province() -> Iterator[Province]:
    p = Province().start()
    try:
        yield p
    finally:
        p.stop()


def test_province_meter_sees_parallel_requests(province: Province) -> None:
    province.reset_meter()
    url = province.sites[0].start_url
    threads = [threading.Thread(target=lambda: urlopen(url, timeout=5).read()) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert province.requests[province.sites[0].host] == 3
    assert province.max_active[province.sites[0].host] >= 2


@needs_redis
def test_redis_fixture_answers(redis_server: RedisServer) -> None:
    r = redis_server.client()
    r.set("k", "v")
    assert r.get("k") == b"v"
