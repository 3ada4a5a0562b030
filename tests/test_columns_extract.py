"""Column checks over pages read by the real extractor: a saved real listing page and
TRS createPageHTML / Hanweb datastore listings as the CMSes write them."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from checks import run_checks
from checks.base import AuditContext
from checks.columns import empty_column, load_column_table, site_verdict, stale_column
from govaudit.columns import build_columns
from govaudit.extract.page import parse_page
from govaudit.models import Fetch
from govaudit.store import Store

DATA = Path(__file__).parent / "data" / "realpages"
TABLE = load_column_table()["classes"]


def save(tmp_path: Path, site: str, pages: dict[str, str], as_of: _dt.date) -> AuditContext:
    store = Store(tmp_path / "audit.db")
    run_id = store.new_run(site, as_of=as_of.isoformat())
    for url, html in pages.items():
        depth = 0 if url == site else 1
        store.save_fetch(run_id, Fetch(url=url, status=200, role="page", depth=depth), parse_page(html, url))
    return AuditContext(store, run_id, as_of=as_of)


def trs_page(rows: list[tuple[str, str]], count: int, current: int) -> str:
    lis = "".join(f'<li><a href="./{d[:7].replace("-", "")}/t{d.replace("-", "")}_{i}.html">{t}</a>'
                  f"<span>{d}</span></li>" for i, (t, d) in enumerate(rows))
    return ('<html><head><meta name="ColumnName" content="通知公告"><title>通知公告</title></head><body>'
            f'<div class="list"><ul>{lis}</ul>'
            f'<script>createPageHTML({count}, {current}, "index", "html");</script></div></body></html>')


def test_real_pingtan_annual_report_listing(tmp_path: Path) -> None:
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    html = (DATA / "pingtan_zfxxgknb_list.html").read_text(encoding="utf-8")
    ctx = save(tmp_path, "https://www.pingtan.gov.cn/", {url: html}, _dt.date(2026, 11, 22))
    cols = build_columns(ctx.pages(), table=TABLE, start_url="https://www.pingtan.gov.cn/")
    col = next(c for c in cols if c.url == url)
    assert col.cls == "annual_report" and col.name == "政府信息公开年报"
    assert col.newest().date == "2026-03-10" and col.newest().source == "list"
    # the JS pager announces 20 records on 2 pages: more than the 10 rows seen; never stale, not empty
    assert col.record_count == 20
    assert list(stale_column(ctx)) == [] and list(empty_column(ctx)) == []


def test_trs_createpagehtml_listing_with_empty_first_page(tmp_path: Path) -> None:
    base = "http://www.x.gov.cn/xxgk/tzgg/"
    pages = {
        base + "index.html": trs_page([], 3, 0),  # CMS fault: page 1 lost its rows
        base + "index_1.html": trs_page([("通知甲", "2026-10-01"), ("通知乙", "2026-09-01")], 3, 1),
        base + "index_2.html": trs_page([("通知丙", "2026-03-01")], 3, 2),
    }
    ctx = save(tmp_path, "http://www.x.gov.cn/", pages, _dt.date(2026, 11, 22))
    cols = build_columns(ctx.pages(), table=TABLE, start_url="http://www.x.gov.cn/")
    assert [(c.name, c.url, len(c.pages), len(c.items)) for c in cols] == [("通知公告", base + "index.html", 3, 3)]
    assert list(empty_column(ctx)) == [] and list(stale_column(ctx)) == []
    # eight months later the same column is stale by 6 months
    later = AuditContext(ctx.store, ctx.run_id, as_of=_dt.date(2027, 4, 2))
    found = list(stale_column(later))
    assert [f.url for f in found] == [base + "index.html"] and found[0].data["newest_date"] == "2026-10-01"


def test_hanweb_datastore_listing(tmp_path: Path) -> None:
    rec = ('<record><![CDATA[<li><a href="/art/2026/{m}/{d}/art_4712_{n}.html" title="动态{n}">动态{n}</a>'
           "<span>2026-{m:02d}-{d:02d}</span></li>]]></record>")
    records = "".join(rec.format(m=10, d=20 - n, n=n) for n in range(3))
    html = ('<html><head><meta name="ColumnName" content="工作动态"><title>工作动态</title></head><body>'
            f'<div id="4712"><script type="text/xml"><datastore><recordset>{records}</recordset></datastore></script>'
            "<script>var totalRecord=45; var perpage=15;</script></div></body></html>")
    url = "http://www.x.gov.cn/col/col4712/index.html"
    ctx = save(tmp_path, "http://www.x.gov.cn/", {url: html}, _dt.date(2026, 11, 22))
    found = list(stale_column(ctx))
    assert [f.title for f in found] == ["工作动态"]
    assert found[0].data["newest_date"] == "2026-10-20" and found[0].data["days_over"] == 33 - 14


def test_column_checks_run_through_the_registry(tmp_path: Path) -> None:
    base = "http://www.x.gov.cn/xxgk/tzgg/"
    home = ('<html><head><title>示例县人民政府</title></head><body><div class="news"><ul>'
            '<li><a href="/xxgk/gzdt/202611/t20261115_1.html">新闻</a><span>2026-11-15</span></li>'
            '<li><a href="/xxgk/gzdt/202611/t20261112_2.html">新闻二</a><span>2026-11-12</span></li>'
            '<li><a href="/xxgk/gzdt/202611/t20261110_3.html">新闻三</a><span>2026-11-10</span></li>'
            '</ul></div></body></html>')
    pages = {"http://www.x.gov.cn/": home, base + "index.html": trs_page([("通知", "2025-01-01")], 1, 0)}
    ctx = save(tmp_path, "http://www.x.gov.cn/", pages, _dt.date(2026, 11, 22))
    findings, errors = run_checks(ctx, select=["stale_column", "empty_column", "homepage_not_updated"])
    assert errors == []
    assert [(f.code, f.url) for f in findings] == [("GA201", base + "index.html")]
    assert site_verdict(ctx, findings)["verdict"] == "合格"
    # the same crawl read 15 days later: the home page is 18 days old and vetoes the site
    later = AuditContext(ctx.store, ctx.run_id, as_of=_dt.date(2026, 12, 3))
    findings, _ = run_checks(later, select=["stale_column", "empty_column", "homepage_not_updated"])
    verdict = site_verdict(later, findings)
    assert verdict["verdict"] == "不合格" and verdict["counts"]["homepage_not_updated"] == 1
