"""Benchmark: one worker vs two workers of a shared audit on this machine (URLs/s).

Starts a redis-server on a free port and a local province (N sites on
127.0.0.21…, each answer delayed by --latency seconds), then for 1 and 2
workers runs ``govaudit run SITES.toml --redis …`` (+ ``govaudit worker``)
and ``govaudit collect`` as separate processes and prints the fetched URLs per
second, measured from the first process start to the collector's end.

    .venv/bin/python benchmarks/distributed.py                  # both presets
    .venv/bin/python benchmarks/distributed.py --preset cpu --workers 1,2,1,2
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_distributed_fixtures import Province, start_redis, stop_redis  # noqa: E402


def govaudit(*args: str, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "govaudit", *args], cwd=ROOT, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def one_round(workers: int, province: Province, redis_url: str, tmp: Path, *, concurrency: int,
              parallel: int) -> tuple[int, float]:
    """(URLs fetched, seconds) of one shared audit with ``workers`` workers."""
    toml = province.sites_toml(tmp / "sites.toml", concurrency=concurrency)
    db = tmp / f"w{workers}.db"
    t0 = time.monotonic()
    procs = [govaudit("run", str(toml), "--redis", redis_url, "--init", "--parallel", str(parallel),
                      log=tmp / "w0.log")]
    for i in range(1, workers):
        procs.append(govaudit("worker", "--redis", redis_url, "--parallel", str(parallel), log=tmp / f"w{i}.log"))
    collector = govaudit("collect", "--redis", redis_url, "--db", str(db), "--no-report", log=tmp / "c.log")
    if collector.wait(900) != 0:
        raise SystemExit((tmp / "c.log").read_text()[-3000:])
    seconds = time.monotonic() - t0
    for p in procs:
        p.wait(60)
    con = sqlite3.connect(db)
    (urls,) = con.execute("select count(*) from pages").fetchone()
    con.close()
    return int(urls), seconds


def embedded_round(province: Province, tmp: Path, *, concurrency: int, parallel: int) -> tuple[int, float]:
    """(URLs fetched, seconds) of the same audit in one process without Redis (``govaudit run``)."""
    toml = province.sites_toml(tmp / "sites.toml", concurrency=concurrency)
    db = tmp / "embedded.db"
    t0 = time.monotonic()
    # the same politeness on the command line too (Scrapy 2.19 lets the base options override a site's)
    proc = govaudit("run", str(toml), "--db", str(db), "--out", str(tmp / "out"), "--parallel", str(parallel),
                    "--delay", "0", "--per-host-concurrency", str(concurrency), "--ignore-robots", "--retries", "0",
                    "--timeout", "5", log=tmp / "e.log")
    proc.wait(900)
    seconds = time.monotonic() - t0
    con = sqlite3.connect(db)
    (urls,) = con.execute("select count(*) from pages").fetchone()
    con.close()
    return int(urls), seconds


PRESETS = {
    # many sites, slow polite hosts: a worker is bounded by the sites it runs at once (--parallel)
    "polite": {"sites": 12, "pages": 20, "latency": 0.1, "concurrency": 2, "parallel": 3},
    # few fast sites, all at once: a worker is bounded by its CPU (parsing, Scrapy)
    "cpu": {"sites": 8, "pages": 100, "latency": 0.05, "concurrency": 4, "parallel": 8},
}


def scenario(name: str, conf: dict[str, Any], counts: list[int]) -> None:
    province = Province(n_sites=conf["sites"], pages=conf["pages"], latency=conf["latency"]).start()
    redis = start_redis()
    print(f"[{name}] {conf['sites']} sites x {conf['pages']} articles, {conf['latency'] * 1000:.0f} ms per answer, "
          f"per-host concurrency {conf['concurrency']}, {conf['parallel']} sites per worker at once, "
          f"{os.cpu_count()} CPUs")
    try:
        with tempfile.TemporaryDirectory() as d:
            urls, seconds = embedded_round(province, Path(d), concurrency=conf["concurrency"],
                                           parallel=conf["parallel"])
        print(f"  embedded, no Redis (incl. report): {urls} URLs in {seconds:6.2f} s = {urls / seconds:6.1f} URLs/s")
        province.reset_meter()
        base = None
        for n in counts:
            with tempfile.TemporaryDirectory() as d:
                urls, seconds = one_round(n, province, redis.url, Path(d), concurrency=conf["concurrency"],
                                          parallel=conf["parallel"])
            rate = urls / seconds
            base = base or rate
            print(f"  {n} worker{'s' if n > 1 else ' '}: {urls} URLs in {seconds:6.2f} s = {rate:6.1f} URLs/s "
                  f"(x{rate / base:.2f}); peak per-host concurrency {max(province.max_active.values())}")
            province.reset_meter()
    finally:
        stop_redis(redis)
        province.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=[*PRESETS, "all"], default="all")
    ap.add_argument("--sites", type=int, default=None)
    ap.add_argument("--pages", type=int, default=None, help="articles per site")
    ap.add_argument("--latency", type=float, default=None, help="seconds each answer takes")
    ap.add_argument("--concurrency", type=int, default=None, help="per-host concurrency (global)")
    ap.add_argument("--parallel", type=int, default=None, help="sites each worker crawls at once")
    ap.add_argument("--workers", default="1,2", help="worker counts to compare")
    args = ap.parse_args(argv)
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed (apt install redis-server)")
    counts = [int(x) for x in args.workers.split(",")]
    for name in (PRESETS if args.preset == "all" else [args.preset]):
        conf = {k: (getattr(args, k) if getattr(args, k) is not None else v) for k, v in PRESETS[name].items()}
        scenario(name, conf, counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
