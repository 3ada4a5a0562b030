"""The collector of a shared audit can be killed and started again: nothing is lost or doubled."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from .conftest import run_cli
from .test_distributed import NS, spawn, wait_for
from .test_distributed_fixtures import Province, RedisServer, needs_redis, province, redis_server  # noqa: F401

pytestmark = needs_redis


def pages_in(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("select count(*) from pages").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_a_killed_collector_goes_on_where_it_stopped(redis_server: RedisServer, province: Province,  # noqa: F811
                                                     tmp_path: Path) -> None:
    redis_server.flush()
    province.latency = 0.1
    db = tmp_path / "d.db"
    toml = province.sites_toml(tmp_path / "sites.toml")
    worker = spawn("run", str(toml), "--redis", redis_server.url, "--heartbeat", "2", log=tmp_path / "w.log")
    first = spawn("collect", "--redis", redis_server.url, "--db", str(db), "--no-report", log=tmp_path / "c1.log")
    try:
        wait_for(lambda: pages_in(db) > 0, 60, "the first collector to write")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        again = run_cli("collect", "--redis", redis_server.url, "--db", str(db), "--out", str(tmp_path / "out"),
                        "--timeout", "90", timeout=150)
        worker.wait(60)
    finally:
        province.latency = 0.02
        for p in (worker, first):
            if p.poll() is None:
                p.kill()
                p.wait()
    assert again.returncode == 0, again.stderr
    con = sqlite3.connect(db)
    runs = list(con.execute("select id, site, status from runs"))
    assert len(runs) == 3  # the second collector found the first one's runs
    assert {status for _, _, status in runs} == {"finished"}
    for run_id, site, _ in runs:
        paths = {urlsplit(u).path for (u,) in con.execute("select url from pages where run_id = ?", [run_id])}
        expected = {"/xxgk/index.html"} | {f"/xxgk/p{j}.html" for j in range(province.pages)}
        assert expected <= paths, site
        # a batch written twice (killed before it was taken off the list) must not double the links
        (dupes,) = con.execute("select count(*) from (select source, target from links where run_id = ? "
                               "group by source, target having count(*) > 1)", [run_id]).fetchone()
        assert dupes == 0
    assert redis_server.client().llen(f"{NS}:items") == 0
