"""Crawl benchmark: a large local 政府信息公开专栏, audited by govaudit (and LinkChecker, when installed).

Generates a TRS-style site (columns with paginated listings, articles, PDF
attachments, links to an "external" host), serves it with nginx when it is
installed (``apt-get install nginx-light``) or else a threaded Python server,
audits it with ``govaudit audit --per-host-concurrency 32 --delay 0`` in a
child process and prints URLs/s, CPU ms per URL and peak RSS (the largest sum
over that command's process tree, its page-reading child included).
When ``linkchecker`` is installed in the same environment
(``pip install linkchecker``; a benchmark-only tool, not a dependency of
govaudit) it checks the same site with 32 threads for comparison.

Run from the repository root::

    .venv/bin/python benchmarks/crawl_bench.py                 # 2,000 articles, ≈4,150 URLs
    .venv/bin/python benchmarks/crawl_bench.py --size 100000 --crawl-only --no-linkchecker  # ≈100,000 URLs
    .venv/bin/python benchmarks/crawl_bench.py --profile prof.out   # cProfile the govaudit run
    .venv/bin/python benchmarks/crawl_bench.py --reaudit       # and an unchanged re-audit (304s)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = 20
PER_PAGE = 20
NAV = 30
BODY = "<p>" + "根据《中华人民共和国政府信息公开条例》规定，本机关依法主动公开政府信息。" * 40 + "</p>"


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def articles_for(size: int) -> int:
    """Articles giving about ``size`` URLs (each article brings an attachment or an external link)."""
    return max(PER_PAGE, round((size - COLUMNS - NAV - 1) / (2 + 1 / PER_PAGE)))


def page(title: str, body: str, date: str = "2026-11-02") -> str:
    nav = "".join(f'<li><a href="/xxgk/about{i}.html">栏目说明{i}</a></li>' for i in range(NAV))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="SiteName" content="基准县人民政府"><meta name="PubDate" content="{date} 09:00">'
            f'</head><body><ul class="nav">{nav}</ul><h1>{title}</h1>{body}</body></html>')


def generate(root: Path, articles: int, ext_base: str) -> int:
    """Write the site under root/main and root/ext; return the number of distinct URLs."""
    main, ext = root / "main" / "xxgk", root / "ext" / "ext"
    main.mkdir(parents=True)
    ext.mkdir(parents=True)
    urls = 1
    cols = "".join(f'<li><a href="/xxgk/col{c}/index.html">栏目{c}</a></li>' for c in range(COLUMNS))
    (main / "index.html").write_text(page("政府信息公开", f"<ul>{cols}</ul>"), encoding="utf-8")
    for i in range(NAV):
        (main / f"about{i}.html").write_text(page(f"栏目说明{i}", BODY), encoding="utf-8")
    urls += NAV
    per_col = math.ceil(articles / COLUMNS)
    ident = 100000
    for c in range(COLUMNS):
        col = main / f"col{c}"
        (col / "202611").mkdir(parents=True)
        items = []
        for k in range(min(per_col, articles - c * per_col)):
            ident += 1
            day = 1 + k % 28
            name = f"202611/t202611{day:02d}_{ident}.html"
            if ident % 2:
                extra = f'<p>附件：<a href="/xxgk/col{c}/202611/P0{ident}.pdf">附件{ident}.pdf</a></p>'
                (col / f"202611/P0{ident}.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 200)
            else:
                extra = f'<p>来源：<a href="{ext_base}/ext/{ident}.html">外部链接{ident}</a></p>'
                (ext / f"{ident}.html").write_text(page(f"外部{ident}", "<p>外部页面</p>"), encoding="utf-8")
            (col / name).write_text(page(f"栏目{c}文章{ident}", BODY + extra, f"2026-11-{day:02d}"),
                                    encoding="utf-8")
            items.append(f'<li><a href="./{name}">栏目{c}文章{ident}</a><span>2026-11-{day:02d}</span></li>')
            urls += 2
        n_pages = max(1, math.ceil(len(items) / PER_PAGE))
        for p in range(n_pages):
            rows = "".join(items[p * PER_PAGE:(p + 1) * PER_PAGE])
            script = f'<script>createPageHTML({n_pages}, {p}, "index", "html");</script>'
            fname = "index.html" if p == 0 else f"index_{p}.html"
            (col / fname).write_text(page(f"栏目{c}", f'<ul class="list">{rows}</ul>{script}'), encoding="utf-8")
            urls += 1
    os.chmod(root, 0o755)
    return urls


# ---------------------------------------------------------------------- servers
@dataclass
class Served:
    main_base: str
    ext_base: str
    kind: str
    stop: Any


NGINX_CONF = """
worker_processes {workers};
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    types {{ text/html html; application/pdf pdf; }}
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    # LinkChecker waits 0.1-0.6 s between requests to one host unless the server answers with a
    # "LinkChecker" header (its documented opt-out); govaudit runs with --delay 0, so both run unthrottled
    add_header LinkChecker unthrottled;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    server {{ listen {main_host}:{main_port}; root {root}/main; charset utf-8; }}
    server {{ listen {ext_host}:{ext_port}; root {root}/ext; charset utf-8; }}
}}
"""


def serve_nginx(root: Path, main: tuple[str, int], ext: tuple[str, int]) -> Served | None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx:
        return None
    tmp = root / "nginx"
    tmp.mkdir()
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=1, user="user root;" if os.geteuid() == 0 else "", tmp=tmp, root=root,
                                      main_host=main[0], main_port=main[1], ext_host=ext[0], ext_port=ext[1]))
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(main, timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                print("nginx did not start:", proc.stderr.read().decode()[:300] if proc.stderr else "", file=sys.stderr)
                return None
            time.sleep(0.05)

    def stop() -> None:
        proc.terminate()
        proc.wait(timeout=10)

    return Served(f"http://{main[0]}:{main[1]}", f"http://{ext[0]}:{ext[1]}", "nginx", stop)


def serve_python(root: Path, main: tuple[str, int], ext: tuple[str, int]) -> Served:
    class Quiet(SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def end_headers(self) -> None:
            self.send_header("LinkChecker", "unthrottled")  # see NGINX_CONF
            super().end_headers()

    servers = []
    for (host, port), sub in ((main, "main"), (ext, "ext")):
        handler = type("H", (Quiet,), {"__init__": lambda self, *a, _d=str(root / sub), **k:
                                       SimpleHTTPRequestHandler.__init__(self, *a, directory=_d, **k)})
        srv = ThreadingHTTPServer((host, port), handler)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)

    def stop() -> None:
        for srv in servers:
            srv.shutdown()
            srv.server_close()

    return Served(f"http://{main[0]}:{main[1]}", f"http://{ext[0]}:{ext[1]}", "python ThreadingHTTPServer", stop)


# ---------------------------------------------------------------------- measuring
@dataclass
class Measure:
    name: str
    urls: int
    seconds: float
    cpu: float
    max_rss_mb: float
    bytes: int = 0
    crawl_seconds: float = 0.0
    requests_304: int = 0

    def line(self) -> str:
        rate = self.urls / self.seconds if self.seconds else 0.0
        extra = f", crawl {self.urls / self.crawl_seconds:.0f} URLs/s" if self.crawl_seconds else ""
        extra += f", {self.bytes / 1e6:.1f} MB received" if self.bytes else ""
        extra += f", {self.requests_304} answered 304" if self.requests_304 else ""
        return (f"{self.name:<24} {self.urls:>7} URLs in {self.seconds:7.1f} s = {rate:6.0f} URLs/s{extra}; "
                f"CPU {1000 * self.cpu / max(1, self.urls):.2f} ms/URL; peak RSS {self.max_rss_mb:.0f} MB")


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, summed (from /proc; 0 elsewhere)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int((fields.get("VmRSS", "0 kB").split() or ["0"])[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / 1024


def run_child(cmd: list[str], *, cwd: Path, log: Path) -> tuple[int, float, float, float]:
    """Run cmd; return (exit code, wall seconds, CPU seconds, peak RSS MB).

    CPU counts the child and its descendants (e.g. govaudit's page-reading process); peak RSS is the
    largest sum over the whole process tree, sampled every 100 ms (and never less than the largest
    single process the kernel saw, ru_maxrss)."""
    t0 = time.monotonic()
    peak = 0.0
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT)
        sample = Path("/proc").is_dir()
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if sample else 0)
            if pid:
                break
            peak = max(peak, _tree_rss_mb(proc.pid))
            time.sleep(0.1)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, time.monotonic() - t0, usage.ru_utime + usage.ru_stime, max(peak, usage.ru_maxrss / 1024)


def bench_govaudit(url: str, work: Path, size: int, *, name: str = "govaudit audit", profile: str | None = None,
                   concurrency: int = 32, extra: tuple[str, ...] = ()) -> Measure:
    out = work / name.replace(" ", "-")
    py = [sys.executable] + (["-m", "cProfile", "-o", profile] if profile else [])
    cmd = py + ["-m", "govaudit", "audit", url, "--db", str(work / "bench.db"), "--out", str(out),
                "--as-of", "2026-11-22", "--per-host-concurrency", str(concurrency), "--delay", "0",
                "--timeout", "20", "--retries", "1", "--max-pages", str(size * 2), "--max-urls", str(size * 2),
                "--max-depth", "50", *extra]
    code, wall, cpu, rss = run_child(cmd, cwd=ROOT, log=work / f"{out.name}.log")
    if code not in (0, 3):
        print((work / f"{out.name}.log").read_text(errors="replace")[-3000:], file=sys.stderr)
        raise SystemExit(f"govaudit failed with exit code {code}")
    stats = json.loads((out / "findings.json").read_text(encoding="utf-8"))["stats"]
    return Measure(name, int(stats["urls_checked"]), wall, cpu, rss, int(stats.get("bytes_received", 0)),
                   float(stats.get("seconds") or 0), int(stats.get("requests_304", 0)))


def bench_crawl_only(url: str, work: Path, size: int, concurrency: int = 32) -> Measure:
    """The crawl alone (`scrapy crawl govaudit`, no checks or reports): for very large sites."""
    db = work / "crawl-only.db"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "govaudit", "-a", f"url={url}", "-s", f"GOVAUDIT_DB={db}",
           "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}", "-s", f"CONCURRENT_REQUESTS={concurrency * 4}",
           "-s", "DOWNLOAD_DELAY=0", "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "AUTOTHROTTLE_ENABLED=False",
           "-s", f"GOVAUDIT_MAX_PAGES={size * 2}", "-s", f"GOVAUDIT_MAX_URLS={size * 2}", "-s", "DEPTH_LIMIT=50",
           "-s", "RETRY_TIMES=1", "-s", "LOG_LEVEL=WARNING"]
    code, wall, cpu, rss = run_child(cmd, cwd=ROOT, log=work / "crawl-only.log")
    if code != 0:
        print((work / "crawl-only.log").read_text(errors="replace")[-3000:], file=sys.stderr)
        raise SystemExit(f"scrapy crawl failed with exit code {code}")
    import sqlite3

    conn = sqlite3.connect(db)
    stats = json.loads(conn.execute("select stats from runs order by id desc limit 1").fetchone()[0])
    conn.close()
    return Measure("scrapy crawl (no checks)", int(stats["urls_checked"]), wall, cpu, rss,
                   int(stats.get("bytes_received", 0)), float(stats.get("seconds") or 0))


def bench_linkchecker(url: str, work: Path, threads: int = 32) -> Measure | None:
    exe = shutil.which("linkchecker", path=str(Path(sys.executable).parent)) or shutil.which("linkchecker")
    if not exe:
        print("LinkChecker is not installed (pip install linkchecker): no comparison", file=sys.stderr)
        return None
    # LinkChecker's own limit (maxrequestspersecond=10) is lifted too; see NGINX_CONF for its per-host floor
    rc = work / "linkcheckerrc"
    rc.write_text("[checking]\nmaxrequestspersecond=1000\n", encoding="utf-8")
    os.chmod(rc, 0o644)
    # text output (errors only) ends with "That's it. N links in M URLs checked."
    cmd = [exe, "-f", str(rc), "--no-status", "--check-extern", "-t", str(threads), "--timeout", "20", "-o", "text",
           url]
    code, wall, cpu, rss = run_child(cmd, cwd=work, log=work / "linkchecker.log")
    text = (work / "linkchecker.log").read_text(errors="replace")
    import re

    m = re.search(r"(\d+) links? in (\d+) URLs? checked", text)
    urls = int(m.group(2)) if m else 0
    if urls <= 0:
        print(text[-2000:], file=sys.stderr)
        return None
    return Measure(f"LinkChecker ({threads} thr.)", urls, wall, cpu, rss)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=4150, help="approximate number of URLs (default 4150)")
    ap.add_argument("--server", choices=["auto", "nginx", "python"], default="auto")
    ap.add_argument("--no-linkchecker", action="store_true")
    ap.add_argument("--reaudit", action="store_true", help="also time an unchanged re-audit (conditional requests)")
    ap.add_argument("--profile", default=None, metavar="FILE", help="cProfile the govaudit run into FILE")
    ap.add_argument("--keep", action="store_true", help="keep the generated site and outputs")
    ap.add_argument("--crawl-only", action="store_true",
                    help="time `scrapy crawl govaudit` alone (no checks, no reports), e.g. with --size 100000")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="govaudit-bench-"))
    os.chmod(work, 0o755)  # LinkChecker run as root drops to nobody, which must read its config
    main_addr = ("127.0.0.1", free_port("127.0.0.1"))
    try:
        ext_addr = ("127.0.0.2", free_port("127.0.0.2"))
    except OSError:
        ext_addr = ("127.0.0.1", free_port("127.0.0.1"))
    n_articles = articles_for(args.size)
    t0 = time.monotonic()
    n_urls = generate(work / "site", n_articles, f"http://{ext_addr[0]}:{ext_addr[1]}")
    print(f"site: {n_articles} articles, {n_urls} URLs (generated in {time.monotonic() - t0:.1f} s) in {work}")
    served = None
    if args.server in ("auto", "nginx"):
        served = serve_nginx(work / "site", main_addr, ext_addr)
        if served is None and args.server == "nginx":
            raise SystemExit("nginx is not installed or did not start")
    if served is None:
        served = serve_python(work / "site", main_addr, ext_addr)
    print(f"server: {served.kind}; machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    start = served.main_base + "/xxgk/index.html"
    results = []
    try:
        if args.crawl_only:
            results.append(bench_crawl_only(start, work, args.size))
        else:
            results.append(bench_govaudit(start, work, args.size, profile=args.profile))
        print(results[-1].line(), flush=True)
        if args.reaudit:
            results.append(bench_govaudit(start, work, args.size, name="govaudit re-audit"))
            print(results[-1].line(), flush=True)
        if not args.no_linkchecker:
            lc = bench_linkchecker(start, work)
            if lc is not None:
                results.append(lc)
                print(lc.line(), flush=True)
                ga = results[0]
                print(f"govaudit / LinkChecker URLs/s: {(ga.urls / ga.seconds) / (lc.urls / lc.seconds):.1f}x")
    finally:
        served.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.profile:
        import pstats

        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
