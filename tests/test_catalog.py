"""The check catalogue: every check has a stable code, a name, a 依据, a remedy
and a documentation page; the README lists every check and every command."""

from __future__ import annotations

import re

from checks import load_all

from .conftest import ROOT, run_cli

DOCS = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "checks" / "docs").glob("*.md"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_codes_are_stable_unique_and_shaped() -> None:
    specs = load_all()
    codes = [s.code for s in specs.values()]
    assert len(codes) == len(set(codes))
    for name, spec in specs.items():
        assert re.fullmatch(r"GA[1-9]\d\d", spec.code), spec.code
        assert re.fullmatch(r"[a-z_]+", name)


def test_every_check_explains_itself_and_cites_its_basis() -> None:
    for name, spec in load_all().items():
        assert len(spec.doc) > 40, f"{name} has no explanation"
        assert spec.basis and all(b.document for b in spec.basis), f"{name} has no 依据"
        assert spec.remedy, f"{name} has no 整改要求"
        assert spec.title and spec.severity in ("high", "medium", "low")


def test_every_check_has_a_docs_page_and_a_readme_row() -> None:
    for name, spec in load_all().items():
        assert name in DOCS and spec.code in DOCS, f"{name} ({spec.code}) missing from checks/docs"
        assert f"`{name}`" in README and spec.code in README, f"{name} missing from the README catalogue"


def test_every_command_is_in_the_readme_and_has_help() -> None:
    from govaudit.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for cmd, p in sub.choices.items():
        assert f"govaudit {cmd}" in README, f"`govaudit {cmd}` is not in the README"
        assert p.format_help().strip()


def test_rule_command_prints_the_basis() -> None:
    proc = run_cli("rule", "GA101")
    assert proc.returncode == 0
    assert "broken_link" in proc.stdout and "国办秘函〔2019〕19号" in proc.stdout
    bad = run_cli("rule", "no_such_check")
    assert bad.returncode == 2 and "no check named" in bad.stderr
