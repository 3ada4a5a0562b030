"""Distributed mode against a real redis-server: shared claims, reliable queue,
global per-host politeness, and end to end: two workers and a collector find
what one process finds, and a worker killed mid-run loses no page.

Every test starts its own redis-server on 127.0.0.1 (skipped only when the
binary is missing) and a local multi-site province on 127.0.0.21-23.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, run_cli
from .test_distributed_fixtures import Province, RedisServer, needs_redis, province, redis_server  # noqa: F401

pytestmark = needs_redis

NS = "govaudit:audit"


# ---------------------------------------------------------------------------- helpers
def spawn(*args: str, log: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen([sys.executable, "-m", "govaudit", *args], cwd=ROOT, env=env, text=True,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)


def fetched(db: Path) -> dict[str, set[tuple[str, int | None, str | None]]]:
    """site -> {(url, status, error)} of every fetched URL in a store."""
    con = sqlite3.connect(db)
    out: dict[str, set[tuple[str, int | None, str | None]]] = {}
    for site, url, status, error in con.execute(
            "select r.site, p.url, p.status, p.error from pages p join runs r on r.id = p.run_id"):
        out.setdefault(site, set()).add((url, status, error))
    con.close()
    return out


def findings_by_site(out: Path) -> dict[str, set[tuple[str, str, str]]]:
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    sites = doc["sites"] if "sites" in doc else [doc]
    return {s["site"]: {(f["check"], f["url"], f.get("key", "")) for f in s["findings"]} for s in sites}


def wait_for(cond: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def distributed_audit(redis: RedisServer, province: Province, tmp: Path, *, kill_second: bool = False,
                      concurrency: int = 2) -> dict[str, Any]:
    """Coordinator+worker A, worker B and the collector, as separate processes."""
    redis.flush()
    # the first site asks for one request at a time, the others for two
    toml = province.sites_toml(tmp / "sites.toml", concurrency=concurrency, overrides={0: {"per_host_concurrency": 1}})
    province.reset_meter()
    a = spawn("run", str(toml), "--redis", redis.url, "--heartbeat", "2", "--worker-id", "A", log=tmp / "a.log")
    b = spawn("worker", "--redis", redis.url, "--heartbeat", "2", "--worker-id", "B", log=tmp / "b.log")
    killed_with = 0
    try:
        if kill_second:
            r = redis.client()
            wait_for(lambda: r.hlen(f"{NS}:inflight:B") > 0, 60, "worker B to take requests")
            killed_with = int(r.hlen(f"{NS}:inflight:B"))
            b.send_signal(signal.SIGKILL)
        c = run_cli("collect", "--redis", redis.url, "--db", str(tmp / "d.db"), "--out", str(tmp / "out"),
                    "--as-of", "2026-11-22", "--timeout", "90", timeout=150)
        rc_a, rc_b = a.wait(60), b.wait(60)
    finally:
        for p in (a, b):  # never leave a worker behind
            if p.poll() is None:
                p.kill()
                p.wait()
    return {"collect": c, "rc_a": rc_a, "rc_b": rc_b, "killed_with": killed_with, "db": tmp / "d.db",
            "out": tmp / "out", "log_a": (tmp / "a.log").read_text(), "log_b": (tmp / "b.log").read_text(),
            "max_active": dict(province.max_active), "redis": redis.client()}


@pytest.fixture(scope="module")
def single(province: Province, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:  # noqa: F811
    """The same audit in one process, embedded mode (no Redis).

    redis and scrapy_redis are poisoned on the path: embedded mode must not import them.
    """
    tmp = tmp_path_factory.mktemp("single")
    poison = tmp / "poison"
    poison.mkdir()
    for mod in ("redis", "scrapy_redis"):
        (poison / f"{mod}.py").write_text("raise ImportError('embedded mode imported " + mod + "')\n")
    toml = province.sites_toml(tmp / "sites.toml")
    proc = run_cli("run", str(toml), "--db", str(tmp / "s.db"), "--out", str(tmp / "out"), "--as-of", "2026-11-22",
                   env={"PYTHONPATH": str(poison)})
    return {"proc": proc, "db": tmp / "s.db", "out": tmp / "out"}


@pytest.fixture(scope="module")
def two_workers(redis_server: RedisServer, province: Province,  # noqa: F811
                tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return distributed_audit(redis_server, province, tmp_path_factory.mktemp("two"))


# ---------------------------------------------------------------------------- end to end
def test_embedded_mode_needs_no_redis(single: dict[str, Any]) -> None:
    proc = single["proc"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "embedded mode imported" not in proc.stderr
    assert len(fetched(single["db"])) == 3


def test_two_workers_find_what_one_process_finds(single: dict[str, Any], two_workers: dict[str, Any]) -> None:
    c = two_workers["collect"]
    assert c.returncode == 0, c.stdout + c.stderr + two_workers["log_a"][-3000:] + two_workers["log_b"][-3000:]
    assert two_workers["rc_a"] == 0 and two_workers["rc_b"] == 0, two_workers["log_a"][-3000:]
    one = findings_by_site(single["out"])
    two = findings_by_site(two_workers["out"])
    assert set(two) == set(one)
    for site in one:
        assert one[site], f"the fixture should have findings on {site}"
        assert two[site] == one[site], site
    assert fetched(two_workers["db"]) == fetched(single["db"])


def test_both_workers_did_part_of_the_crawl(two_workers: dict[str, Any]) -> None:
    con = sqlite3.connect(two_workers["db"])
    workers = set()
    for (stats,) in con.execute("select stats from runs"):
        workers |= set(json.loads(stats)["workers"])
    assert workers == {"A", "B"}


def test_per_host_concurrency_holds_across_workers(province: Province,  # noqa: F811
                                                   two_workers: dict[str, Any]) -> None:
    # each worker alone may open that many connections per host; together they must not exceed it
    peaks = two_workers["max_active"]
    first, *others = [s.host for s in province.sites]
    assert peaks[first] == 1
    for host in others:
        assert peaks[host] <= 2, f"{host} saw {peaks[host]} requests at once"
    assert max(peaks[h] for h in others) == 2


def test_collected_store_rechecks_like_a_local_one(two_workers: dict[str, Any], tmp_path: Path) -> None:
    proc = run_cli("recheck", "--db", str(two_workers["db"]), "--run", "1", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    again = findings_by_site(tmp_path)
    collected = findings_by_site(two_workers["out"])
    (site,) = again
    assert again[site] == collected[site]


def test_finished_audit_leaves_no_work_in_redis(two_workers: dict[str, Any]) -> None:
    r = two_workers["redis"]
    assert r.llen(f"{NS}:items") == 0
    assert r.exists(f"{NS}:collected")
    assert not list(r.scan_iter(match=f"{NS}:inflight:*"))
    for rid in r.smembers(f"{NS}:done"):
        rid = rid.decode()
        assert r.zcard(f"{NS}:run:{rid}:queue") == 0
        assert int(r.get(f"{NS}:run:{rid}:inflight") or 0) == 0


def test_killed_worker_loses_no_page(single: dict[str, Any], redis_server: RedisServer,  # noqa: F811
                                     province: Province, tmp_path: Path) -> None:  # noqa: F811
    province.latency = 0.1  # slow enough to kill B mid-crawl
    try:
        res = distributed_audit(redis_server, province, tmp_path, kill_second=True)
    finally:
        province.latency = 0.02
    c = res["collect"]
    assert c.returncode == 0, c.stdout + c.stderr + res["log_a"][-3000:]
    assert res["rc_b"] == -signal.SIGKILL
    assert res["killed_with"] > 0
    # worker A or the collector put B's requests back once B's heartbeat expired
    assert "went back to the queue" in res["log_a"] + c.stderr
    assert not res["redis"].exists(f"{NS}:inflight:B")
    assert fetched(res["db"]) == fetched(single["db"])
    assert findings_by_site(res["out"]) == findings_by_site(single["out"])


def test_a_site_whose_seeding_worker_died_is_seeded_again(single: dict[str, Any], redis_server: RedisServer,  # noqa: F811
                                                            province: Province, tmp_path: Path) -> None:  # noqa: F811
    redis_server.flush()
    toml = province.sites_toml(tmp_path / "sites.toml")
    pub = run_cli("run", str(toml), "--redis", redis_server.url, "--no-crawl")
    assert pub.returncode == 0, pub.stderr
    r = redis_server.client()
    r.set(f"{NS}:run:2:seed", "ghost")  # a worker that claimed the seeding and died (no heartbeat)
    w = spawn("worker", "--redis", redis_server.url, "--heartbeat", "2", log=tmp_path / "w.log")
    try:
        c = run_cli("collect", "--redis", redis_server.url, "--db", str(tmp_path / "d.db"), "--out",
                    str(tmp_path / "out"), "--as-of", "2026-11-22", "--timeout", "60", timeout=120)
        w.wait(60)
    finally:
        if w.poll() is None:
            w.kill()
            w.wait()
    assert c.returncode == 0, c.stderr + (tmp_path / "w.log").read_text()[-2000:]
    assert "seeding it here" in (tmp_path / "w.log").read_text()
    assert fetched(tmp_path / "d.db") == fetched(single["db"])


def test_a_worker_that_loses_redis_stops(province: Province, tmp_path: Path) -> None:  # noqa: F811
    from .test_distributed_fixtures import start_redis, stop_redis

    own = start_redis()  # this test stops its Redis
    province.latency = 0.2
    toml = province.sites_toml(tmp_path / "sites.toml")
    w = spawn("run", str(toml), "--redis", own.url, "--heartbeat", "1", "--worker-id", "L", log=tmp_path / "l.log")
    try:
        r = own.client()
        wait_for(lambda: r.hlen(f"{NS}:inflight:L") > 0, 60, "the worker to take requests")
        stop_redis(own)
        rc = w.wait(30)
    finally:
        province.latency = 0.02
        if w.poll() is None:
            w.kill()
            w.wait()
        stop_redis(own)
    assert rc == 75
    assert "lost Redis" in (tmp_path / "l.log").read_text()


# ---------------------------------------------------------------------------- errors
def test_collect_without_a_published_audit_says_so(redis_server: RedisServer, tmp_path: Path) -> None:  # noqa: F811
    redis_server.flush()
    proc = run_cli("collect", "--redis", redis_server.url, "--db", str(tmp_path / "x.db"), "--wait", "0.5")
    assert proc.returncode == 2
    assert "no shared audit" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_worker_with_unreachable_redis_says_so(tmp_path: Path) -> None:
    from .test_distributed_fixtures import free_port

    proc = run_cli("worker", "--redis", f"redis://127.0.0.1:{free_port()}/0", "--wait", "0.5")
    assert proc.returncode == 2
    assert "cannot reach Redis" in proc.stderr
