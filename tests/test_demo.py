"""`govaudit demo` end to end: the README's main job, twice, with 整改 in between."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from .conftest import load_findings, run_cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out1 = tmp_path_factory.mktemp("round1")
    out2 = tmp_path_factory.mktemp("round2")
    db = out1 / "demo.db"
    port = str(free_port())
    p1 = run_cli("demo", "--out", str(out1), "--db", str(db), "--as-of", "2026-11-22", "--port", port)
    p2 = run_cli("demo", "--out", str(out2), "--db", str(db), "--as-of", "2026-11-29", "--port", port, "--round", "2")
    return {"p1": p1, "p2": p2, "out1": out1, "out2": out2, "d1": load_findings(out1), "d2": load_findings(out2)}


def test_demo_writes_all_four_outputs_and_says_where(two_rounds: dict[str, Any]) -> None:
    p1 = two_rounds["p1"]
    assert p1.returncode == 0, p1.stderr
    for name in ("通报.docx", "通报.html", "findings.json", "findings.csv"):
        assert (two_rounds["out1"] / name).stat().st_size > 1000, name
    assert str(two_rounds["out1"] / "通报.html") in p1.stdout


def test_demo_finds_a_planted_defect_of_every_family(two_rounds: dict[str, Any]) -> None:
    checks = {f["check"] for f in two_rounds["d1"]["findings"]}
    expected = {"broken_link", "blocked_link", "stale_column", "empty_column", "guide_incomplete",
                "missing_interpretation", "late_interpretation", "missing_annual_report", "late_annual_report",
                "annual_report_arithmetic"}
    assert expected <= checks, expected - checks


def test_demo_plan_clauses_and_units_are_cited(two_rounds: dict[str, Any]) -> None:
    broken = [f for f in two_rounds["d1"]["findings"] if f["check"] == "broken_link"]
    assert broken
    first = broken[0]["basis"][0]
    assert "分工方案" in first["document"] and first["clause"]
    assert "县政务服务数据管理局" in broken[0]["units"]


def test_second_round_shows_new_open_and_fixed(two_rounds: dict[str, Any]) -> None:
    assert two_rounds["p2"].returncode == 0, two_rounds["p2"].stderr
    d1, d2 = two_rounds["d1"], two_rounds["d2"]
    states = {f["state"] for f in d2["findings"]}
    assert {"new", "open"} <= states
    fixed_urls = {f["url"] for f in d2["fixed"]}
    assert any(u.endswith("/t20250105_404.html") for u in fixed_urls)  # the dead page was restored
    new = [f for f in d2["findings"] if f["state"] == "new"]
    assert any(f["url"].endswith("/xxgk/xbml/index.html") for f in new)  # the link added in round 2
    still = [f for f in d2["findings"] if f["state"] == "open"]
    assert all(f["first_seen"] == "2026-11-22" for f in still)
    assert len(d1["findings"]) > len(fixed_urls)


def test_second_round_report_has_rectification_section(two_rounds: dict[str, Any]) -> None:
    html = (two_rounds["out2"] / "通报.html").read_text(encoding="utf-8")
    assert "整改情况" in html
    heading = re.compile(r"^[一二三四五六七八九十]+、整改情况")
    second = Document(str(two_rounds["out2"] / "通报.docx"))
    assert any(heading.match(p.text) for p in second.paragraphs)
    first = Document(str(two_rounds["out1"] / "通报.docx"))
    assert not any(heading.match(p.text) for p in first.paragraphs)
