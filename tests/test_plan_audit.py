"""`govaudit audit --plan`: a reviewed plan (YAML) drives parameters, citations and units."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from checks import AuditContext
from govaudit.plan import import_plan, load_plan
from govaudit.store import Store

from .conftest import PLANS, bare_site, load_findings, run_cli, served

BAICHENG = PLANS / "000_d95fd244d5190ee7.txt"
PANZHIHUA = PLANS / "001_29682c494441ef65.txt"


def test_plan_parameters_override_the_national_defaults(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.db")
    run_id = store.new_run("http://a.gov.cn/", as_of="2026-11-22")
    plain = AuditContext(store, run_id, as_of=_dt.date(2026, 11, 22))
    assert plain.param("interpretation_working_days") == 3
    yaml_file = tmp_path / "plan.yaml"
    yaml_file.write_text(import_plan(PANZHIHUA).to_yaml(), encoding="utf-8")
    planned = AuditContext(store, run_id, as_of=_dt.date(2026, 11, 22), plan=load_plan(yaml_file))
    assert planned.param("interpretation_working_days") == 10
    assert planned.param("annual_report_due_government") == "03-31"


def test_audit_with_a_yaml_plan_cites_its_clauses_first_and_names_its_units(tmp_path: Path) -> None:
    plan_yaml = tmp_path / "plan.yaml"
    proc = run_cli("plan", "import", str(BAICHENG), "--out", str(plan_yaml))
    assert proc.returncode == 0, proc.stderr
    site = bare_site()
    site.add_raw("/xxgk/index.html", "<html><head><meta charset='utf-8'><title>政府信息公开</title></head><body>"
                                     "<a href='/xxgk/gone.html'>失效页面</a></body></html>")
    with served(site) as srv:
        proc = run_cli("audit", srv.main_base + "/xxgk/index.html", "--plan", str(plan_yaml), "--out",
                       str(tmp_path / "out"), "--db", str(tmp_path / "a.db"), "--delay", "0", "--as-of", "2026-11-22")
        dead = srv.main_base + "/xxgk/gone.html"
    assert proc.returncode == 0, proc.stderr
    finding = next(f for f in load_findings(tmp_path / "out")["findings"] if f["url"] == dead)
    plan_title = load_plan(plan_yaml).title
    assert finding["basis"][0]["document"] == plan_title
    assert finding["basis"][0]["clause"] == "1"
    assert "错链" in finding["basis"][0]["text"]
    assert any("国办" in b["document"] for b in finding["basis"][1:])  # the national rule follows
    assert "管委会办公室" in finding["units"]
    html = (tmp_path / "out" / "通报.html").read_text(encoding="utf-8")
    assert "管委会办公室" in html and plan_title in html


def test_a_bad_plan_stops_the_audit_with_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    proc = run_cli("audit", "http://127.0.0.1:9/", "--plan", str(empty), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "empty.txt" in proc.stderr and "Traceback" not in proc.stderr
