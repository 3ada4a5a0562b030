"""The demo's column part, read page by page by the real extractor (no server, no crawler):
the planted stale and empty columns are found, the fresh ones are not, and the verdict
turns from 不合格 to 合格 after the round-2 整改."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest

from checks import run_checks
from checks.base import AuditContext
from checks.columns import site_verdict
from govaudit.extract.encoding import decode_body
from govaudit.extract.page import parse_page
from govaudit.models import Fetch
from govaudit.store import Store

site_mod = pytest.importorskip("govaudit.demo.site")

BASE = "http://127.0.0.1:8000"
AS_OF = _dt.date(2026, 11, 22)
CHECKS = ["stale_column", "empty_column", "homepage_not_updated", "missing_section", "guide_incomplete"]


def audit_demo(tmp_path: Path, round: int) -> tuple[AuditContext, list]:
    site = site_mod.build_demo(AS_OF, round=round)
    store = Store(tmp_path / f"round{round}.db")
    start = BASE + "/xxgk/index.html"
    run_id = store.new_run(start, as_of=AS_OF.isoformat())
    for (host, path), res in site.resources.items():
        if host != "main" or res.behaviour or res.status != 200 or "html" not in res.content_type:
            continue
        charset = res.content_type.partition("charset=")[2] or None
        text, used = decode_body(res.body, charset)
        url = BASE + path
        facts = parse_page(text, url, charset=used)
        store.save_fetch(run_id, Fetch(url=url, status=200, role="page", depth=0 if url == start else 1), facts)
    ctx = AuditContext(store, run_id, as_of=AS_OF)
    findings, errors = run_checks(ctx, select=CHECKS)
    assert errors == []
    return ctx, findings


def titles(findings: list, check: str) -> set[str]:
    return {f.title for f in findings if f.check == check}


def test_round_one_plants_stale_and_empty_columns_and_fails_the_veto(tmp_path: Path) -> None:
    ctx, findings = audit_demo(tmp_path, 1)
    stale = titles(findings, "stale_column")
    assert {"乡镇动态", "图片新闻", "部门动态", "通知通告", "部门文件", "规划计划", "财政预决算"} <= stale
    assert not stale & {"本地要闻", "重点领域信息公开", "机构职能", "工作动态", "公示公告", "人事信息"}
    assert {"执法公示", "建议提案办理"} <= titles(findings, "empty_column")
    assert "本地要闻" not in titles(findings, "empty_column")  # empty first page, items on page 2
    undated = next(f for f in findings if f.check == "stale_column" and f.title == "部门动态")
    assert undated.data["date_source"] == "none"
    guide = [f for f in findings if f.check == "guide_incomplete"]
    assert guide and set(guide[0].data["missing_elements"]) == {"办公时间", "依申请公开程序"}
    verdict = site_verdict(ctx, findings)
    assert verdict["verdict"] == "不合格" and verdict["counts"]["stale_news_notice"] >= 5


def test_round_two_after_rectification(tmp_path: Path) -> None:
    ctx, findings = audit_demo(tmp_path, 2)
    stale = titles(findings, "stale_column")
    assert not stale & {"乡镇动态", "图片新闻", "财政预决算"}
    assert {"部门动态", "通知通告", "部门文件"} <= stale
    assert "执法公示" not in titles(findings, "empty_column")
    assert not [f for f in findings if f.check == "guide_incomplete"]
