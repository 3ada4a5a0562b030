"""The demo site's 解读 part: each planted defect is found, the correct pair and the 任免 notice are not."""

from __future__ import annotations

from datetime import date

import pytest

from checks.base import AuditContext
from checks.interpretation import (
    formal_interpretation,
    late_interpretation,
    missing_interpretation,
    unlinked_interpretation,
)
from govaudit.models import Fetch
from govaudit.store import Store

extract_mod = pytest.importorskip("govaudit.extract")
site_mod = pytest.importorskip("govaudit.demo.site")

BASE = "http://127.0.0.1:8000"
AS_OF = date(2026, 11, 22)
SPECS = (missing_interpretation, late_interpretation, unlinked_interpretation, formal_interpretation)


def _findings(tmp_path, round_: int) -> dict[str, list[tuple[str, str, str]]]:
    """(check -> [(severity, path, reason)]) for the pages of the 解读 part, from the built demo site."""
    site = site_mod.build_demo(AS_OF, round=round_)
    store = Store(tmp_path / f"demo{round_}.db")
    run_id = store.new_run(BASE + "/", as_of=AS_OF.isoformat())
    for (host, path), res in site.resources.items():
        if host == "main" and not res.behaviour and res.status == 200 and res.content_type.startswith("text/html"):
            store.save_fetch(run_id, Fetch(url=BASE + path, status=200), extract_mod.extract(res.body, BASE + path))
    ctx = AuditContext(store, run_id, as_of=AS_OF)
    out: dict[str, list[tuple[str, str, str]]] = {}
    for spec in SPECS:
        for f in spec(ctx):
            path = f.url.replace(BASE, "")
            if path.startswith(("/xxgk/gfxwj/", "/xxgk/zcjd/")):
                out.setdefault(f.check, []).append((f.severity, path, f.reason))
    return out


def test_round_one_finds_each_planted_defect_once(tmp_path):
    found = _findings(tmp_path, 1)
    missing = sorted(found["missing_interpretation"])
    assert [(s, "垃圾治理" in r, "燃气" in r) for s, _, r in missing] == [("low", False, True), ("medium", True, False)]
    [(_, _, late)] = found["late_interpretation"]
    assert "城区停车管理办法" in late and "23个工作日" in late  # 2026-08-24 -> 09-23: 22 weekdays + make-up Sunday 09-20
    [(_, _, unlinked)] = found["unlinked_interpretation"]
    assert "民营经济" in unlinked and "文件页未链接解读" in unlinked and "解读页未链接原文件" in unlinked
    [(_, path, formal)] = found["formal_interpretation"]
    assert path.startswith("/xxgk/zcjd/") and "政府信息公开办法" in formal
    everything = " ".join(r for v in found.values() for _, _, r in v)
    assert "公共资源交易" not in everything and "任免" not in everything


def test_round_two_shows_the_fixes(tmp_path):
    found = _findings(tmp_path, 2)
    assert not any("民营经济" in r for _, _, r in found.get("unlinked_interpretation", []))
    assert not any("垃圾治理" in r for _, _, r in found.get("missing_interpretation", []))
    assert any("垃圾治理" in r for _, _, r in found["late_interpretation"])
