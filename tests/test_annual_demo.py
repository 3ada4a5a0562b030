"""The demo site's 年报 part: a missing year, a late report and a report that does not add up."""

from __future__ import annotations

from datetime import date

import pytest

from checks.annual_report import (
    annual_report_arithmetic,
    annual_report_copied,
    annual_report_format,
    annual_report_unreadable,
    late_annual_report,
    missing_annual_report,
)
from checks.base import AuditContext
from govaudit.models import Fetch
from govaudit.store import Store

extract_mod = pytest.importorskip("govaudit.extract")
site_mod = pytest.importorskip("govaudit.demo.site")

BASE = "http://127.0.0.1:8000"
SPECS = (missing_annual_report, late_annual_report, annual_report_format, annual_report_arithmetic,
         annual_report_copied, annual_report_unreadable)


def _findings(tmp_path, as_of: date, round_: int) -> dict[str, dict[str, object]]:
    site = site_mod.build_demo(as_of, round=round_)
    store = Store(tmp_path / f"demo{round_}.db")
    run_id = store.new_run(BASE + "/", as_of=as_of.isoformat())
    for (host, path), res in site.resources.items():
        if host == "main" and not res.behaviour and res.status == 200 and res.content_type.startswith("text/html"):
            store.save_fetch(run_id, Fetch(url=BASE + path, status=200), extract_mod.extract(res.body, BASE + path))
    ctx = AuditContext(store, run_id, as_of=as_of)
    out: dict[str, dict[str, object]] = {}
    for spec in SPECS:
        for f in spec(ctx):
            out.setdefault(f.check, {})[f.key] = f
    return out


@pytest.mark.parametrize("as_of, years", [(date(2026, 11, 22), (2025, 2024, 2023)),
                                          (date(2026, 4, 1), (2025, 2024, 2023)),
                                          (date(2026, 3, 31), (2024, 2023, 2022))])
def test_round_one_plants(tmp_path, as_of, years):
    y1, y2, y3 = years
    found = _findings(tmp_path, as_of, 1)
    assert set(found) == {"missing_annual_report", "late_annual_report", "annual_report_arithmetic"}
    (miss,) = found["missing_annual_report"].values()
    assert miss.key == str(y3) and miss.url == BASE + "/xxgk/nb/index.html"
    assert set(miss.data["other_reports"]) == {"示范县教育局"}
    (late,) = found["late_annual_report"].values()
    assert late.key == str(y1) and late.data["days_late"] == min(15, (as_of - date(y1 + 1, 3, 31)).days)
    (arith,) = found["annual_report_arithmetic"].values()
    assert arith.key == str(y2)
    rules = {i["rule"] for i in arith.data["issues"]}
    assert rules == {"balance", "result_total"}


def test_round_two_fixes(tmp_path):
    found = _findings(tmp_path, date(2026, 11, 22), 2)
    assert "missing_annual_report" not in found and "annual_report_arithmetic" not in found
    assert set(found["late_annual_report"]) == {"2025", "2023"}  # the 2023 report came out late, in round 2
