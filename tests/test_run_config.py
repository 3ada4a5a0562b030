"""`govaudit run SITES.toml`: the site list, exit codes for cron, the database lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from govaudit.sites import SiteConfigError, load_sites, parse_sites

from .conftest import ROOT, bare_site, run_cli, served

EXAMPLE = ROOT / "docs" / "sites.example.toml"


def page(title: str, body: str) -> str:
    return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>'


def small_site(label: str) -> Any:
    site = bare_site()
    site.add_raw("/xxgk/index.html", page(f"{label}信息公开", '<a href="/xxgk/a.html">文章</a><a href="/gone.html">旧</a>'))
    site.add_raw("/xxgk/a.html", page(f"{label}文章", "<p>正文</p>"))
    return site


def fast(*extra: str) -> list[str]:
    return ["--as-of", "2026-11-22", "--delay", "0", "--per-host-concurrency", "4", "--timeout", "3",
            "--retries", "0", "--no-external", *extra]


def test_example_config_parses_into_sites_with_their_own_politeness() -> None:
    cfg = load_sites(EXAMPLE)
    assert cfg.errors == []
    assert len(cfg.sites) >= 2
    by_name = {e.spec.name: e for e in cfg.sites}
    assert all(e.spec.url.startswith("http") for e in cfg.sites)
    assert len({e.slug for e in cfg.sites}) == len(cfg.sites)
    # a per-site value beats [defaults]
    delays = {e.options.delay for e in by_name.values()}
    assert len(delays) > 1


def test_semantic_errors_name_the_line_of_the_entry_and_spare_the_others() -> None:
    text = ('[defaults]\ndelay = 1\n\n'
            '[[sites]]\nname = "好站"\nurl = "http://a.example.gov.cn/xxgk/"\n\n'
            '[[sites]]\nname = "坏站"\nurl = "ftp://b.example.gov.cn/"\n\n'
            '[[sites]]\nname = "缺网址"\nowner = "某局"\n\n'
            '[[sites]]\nname = "拼错"\nurl = "http://c.example.gov.cn/"\ndelya = 2\n')
    cfg = parse_sites(text, source="county.toml")
    assert [e.spec.name for e in cfg.sites] == ["好站"]
    assert len(cfg.errors) == 3
    assert cfg.errors[0].startswith("county.toml line 8:") and "http" in cfg.errors[0]
    assert cfg.errors[1].startswith("county.toml line 12:") and "url" in cfg.errors[1]
    assert cfg.errors[2].startswith("county.toml line 16:") and "delya" in cfg.errors[2]


def test_toml_syntax_error_is_reported_with_its_line() -> None:
    with pytest.raises(SiteConfigError, match=r"line 3"):
        parse_sites('[[sites]]\nurl = "http://a/"\nname = "未闭合\n', source="x.toml")


def test_bad_config_file_exits_with_the_config_code_and_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "sites.toml"
    bad.write_text('[[sites]]\nname = "x"\nurl = http://a.example.gov.cn/\n', encoding="utf-8")
    proc = run_cli("run", str(bad), "--db", str(tmp_path / "a.db"), "--out", str(tmp_path / "out"), *fast())
    assert proc.returncode == 2, proc.stderr
    assert "line 3" in proc.stderr and "sites.toml" in proc.stderr
    missing = run_cli("run", str(tmp_path / "none.toml"), "--db", str(tmp_path / "a.db"), *fast())
    assert missing.returncode == 2 and "none.toml" in missing.stderr


def test_run_with_a_broken_entry_audits_the_other_sites_and_exits_partial(tmp_path: Path) -> None:
    with served(small_site("甲")) as a, served(small_site("乙")) as b:
        cfg = tmp_path / "sites.toml"
        cfg.write_text(
            '[report]\nissuer = "示范县人民政府办公室"\n\n'
            f'[[sites]]\nname = "甲局"\nurl = "{a.main_base}/xxgk/index.html"\nunit = "甲局"\nowner_type = "department"\n\n'
            '[[sites]]\nname = "坏的"\nurl = "not a url"\n\n'
            f'[[sites]]\nname = "乙局"\nurl = "{b.main_base}/xxgk/index.html"\ndelay = 0\n',
            encoding="utf-8")
        out = tmp_path / "out"
        proc = run_cli("run", str(cfg), "--db", str(tmp_path / "county.db"), "--out", str(out), *fast())
    assert proc.returncode == 3, proc.stderr
    assert "line 10" in proc.stderr and "坏的" in proc.stderr
    combined = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert {s["site_name"] for s in combined["sites"]} == {"甲局", "乙局"}
    assert (out / "通报.html").exists() and (out / "通报.docx").exists()
    for name in ("甲局", "乙局"):
        own = json.loads((out / "sites" / name / "findings.json").read_text(encoding="utf-8"))
        assert own["site_name"] == name
        assert any(f["url"].endswith("/gone.html") for f in own["findings"])
        assert own["stats"]["pages"] >= 2
    log = (tmp_path / "county.log").read_text(encoding="utf-8")
    assert "坏的" in log and "甲局: ok" in log
    assert "progress 乙局" in log  # under cron the progress goes to the log, line by line
    assert not (tmp_path / "county.db.lock").exists()


def test_second_run_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    site = small_site("甲")
    site.add_raw("/xxgk/slow.html", page("慢", "<p>慢</p>"), behaviour="slow", seconds=3)
    site.add_raw("/xxgk/index.html", page("甲信息公开", '<a href="/xxgk/slow.html">慢</a>'))
    with served(site) as srv:
        cfg = tmp_path / "sites.toml"
        cfg.write_text(f'[[sites]]\nname = "甲"\nurl = "{srv.main_base}/xxgk/index.html"\n', encoding="utf-8")
        db = tmp_path / "c.db"
        args = ["run", str(cfg), "--db", str(db), "--out", str(tmp_path / "o1"), *fast()]
        first = subprocess.Popen([sys.executable, "-m", "govaudit", *args], cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        try:
            lock = Path(str(db) + ".lock")
            deadline = time.monotonic() + 20
            while not lock.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert lock.read_text().split()[0] == str(first.pid)
            second = run_cli("run", str(cfg), "--db", str(db), "--out", str(tmp_path / "o2"), *fast())
            assert second.returncode == 75
            assert f"pid {first.pid}" in second.stderr and "lock" in second.stderr
        finally:
            first.wait(timeout=60)
    assert first.returncode == 0, first.stderr
    assert not lock.exists()


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    db = tmp_path / "c.db"
    Path(str(db) + ".lock").write_text(f"{dead.pid}\n")
    with served(small_site("甲")) as srv:
        cfg = tmp_path / "sites.toml"
        cfg.write_text(f'[[sites]]\nname = "甲"\nurl = "{srv.main_base}/xxgk/index.html"\n', encoding="utf-8")
        proc = run_cli("run", str(cfg), "--db", str(db), "--out", str(tmp_path / "o"), *fast())
    assert proc.returncode == 0, proc.stderr
    assert "stale lock" in (tmp_path / "c.log").read_text(encoding="utf-8")
    assert not os.path.exists(str(db) + ".lock")


def test_a_sites_own_options_outrank_the_command_line(tmp_path: Path) -> None:
    """Scrapy merges the process settings into each crawler: a site's obey_robots must survive that."""
    site = bare_site()
    site.add_raw("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add_raw("/index.html", page("首页", '<a href="/private/p.html">内部</a>'))
    site.add_raw("/private/p.html", page("内部页面", "<p>x</p>"))
    with served(site) as srv:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[sites]]\nname = "甲"\nurl = "{srv.main_base}/index.html"\nobey_robots = false\n',
                         encoding="utf-8")
        proc = run_cli("run", str(sites), "--db", str(tmp_path / "r.db"), "--out", str(tmp_path / "out"),
                       "--delay", "0", "--as-of", "2026-11-22")
    assert proc.returncode == 0, proc.stderr
    import sqlite3

    db = sqlite3.connect(tmp_path / "r.db")
    assert db.execute("select title from pages where url like '%/private/p.html'").fetchone() == ("内部页面",)
