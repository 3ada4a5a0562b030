"""Column checks (GA2xx): stale and empty columns, the home page, the platform's
standard sections, the 指南 — and the site's 国办秘函〔2019〕19号 单项否决 verdict.

The column model comes from :mod:`govaudit.columns`; the update rules per column
class are data (checks/columns.toml), overridable through params
``column_max_age_days`` / ``column_max_age_months`` ({class: number}) and the site
config's ``columns`` table (column name -> class).

Example::

    from checks.base import AuditContext
    from checks.columns import stale_column, site_verdict
    ctx = AuditContext(store, run_id, as_of=date(2026, 11, 22))
    found = list(stale_column(ctx))
    print(site_verdict(ctx, found)["verdict"])
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from govaudit.columns import COLUMN_CLASSES, Column, ColumnModelError, build_columns, homepage_items
from govaudit.models import Basis, Finding

from .base import AuditContext, check

COLUMNS_FILE = Path(__file__).with_name("columns.toml")

#: Classes whose stale columns count for 19号 veto (1) (动态/要闻 + 通知公告/政策文件).
VETO_STALE_CLASSES = ("news", "notice")

# ---------------------------------------------------------------------------
# 依据
# ---------------------------------------------------------------------------

B_VETO_COLUMNS = Basis(
    "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》",
    "单项否决指标·栏目不更新",
    "动态、要闻类栏目检查时间点前2周内无更新，通知公告、政策文件类栏目6个月内无更新，累计超过5个（含）；"
    "应更新但长期未更新的栏目数量超过10个（含）；空白栏目数量超过5个（含）。以上任一情形即单项否决。",
)
B_VETO_HOME = Basis(
    "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》",
    "单项否决指标·首页不更新",
    "监测2周时间，首页无信息更新的，单项否决；首页仅为栏目导航入口的，监测其二级页面信息更新情况。",
)
B_INTERVAL = Basis(
    "第一次全国政府网站普查评分表（国办发〔2015〕15号）",
    "扣分指标·基本信息（栏目更新要求，开普云监测规则同）",
    "动态、要闻类栏目2周内、通知公告和政策文件类栏目6个月内、人事和规划计划类栏目1年内应有更新；"
    "未注明信息发布时间的视为不更新。",
)
B_EMPTY_DEF = Basis(
    "第一次全国政府网站普查说明",
    "空白栏目",
    "空白栏目指栏目开设以来从未发布过信息内容的栏目；应更新未更新栏目包括空白栏目和未按更新要求更新的栏目。",
)
B_REG_20_26 = Basis(
    "《中华人民共和国政府信息公开条例》（国务院令第711号）",
    "第二十条、第二十六条",
    "行政机关应当依照第二十条主动公开本行政机关的政府信息；属于主动公开范围的政府信息，"
    "应当自该政府信息形成或者变更之日起20个工作日内及时公开。",
)
B_REG_24 = Basis(
    "《中华人民共和国政府信息公开条例》（国务院令第711号）",
    "第二十四条",
    "各级人民政府应当加强依托政府门户网站公开政府信息的工作，利用统一的政府信息公开平台集中发布主动公开的政府信息。",
)
B_PLATFORM = Basis(
    "国办公开办函〔2019〕61号《关于规范政府信息公开平台有关事项的通知》",
    "平台名称与栏目设置",
    "政府信息公开平台以统一名称、统一格式集中发布法定主动公开内容；"
    "一级栏目为政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报。",
)
B_REG_12_53 = Basis(
    "《中华人民共和国政府信息公开条例》（国务院令第711号）",
    "第十二条、第五十三条",
    "政府信息公开指南应当包括政府信息的分类、编排体系、获取方式和政府信息公开工作机构的名称、办公地址、"
    "办公时间、联系电话、传真号码、互联网联系方式等内容，并及时更新；不及时更新指南的，由上一级行政机关责令改正。",
)
B_REG_36 = Basis(
    "《中华人民共和国政府信息公开条例》（国务院令第711号）",
    "第二十九条至第三十六条",
    "依申请公开的申请方式、补正、答复期限和答复形式。",
)

# ---------------------------------------------------------------------------
# The rule table and the model of one run
# ---------------------------------------------------------------------------


def load_column_table(path: Path = COLUMNS_FILE) -> dict[str, Any]:
    """checks/columns.toml, checked: every class known, limits numbers."""
    try:
        with Path(path).open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ColumnModelError(f"cannot read the column table {path}: {exc}") from exc
    classes = data.get("classes") or {}
    for name, spec in classes.items():
        if name not in COLUMN_CLASSES:
            raise ColumnModelError(f"unknown column class {name!r} in {path}")
        for k in ("max_age_days", "max_age_months"):
            if k in spec and (not isinstance(spec[k], int) or spec[k] <= 0):
                raise ColumnModelError(f"{k} of class {name!r} in {path} must be a positive integer")
    return data


def _table(ctx: AuditContext) -> dict[str, Any]:
    return ctx.memo("column_table", load_column_table)


def columns_of(ctx: AuditContext) -> list[Column]:
    """The column model of the run (built once per context)."""
    explicit = (ctx.site_config or {}).get("columns") or None
    return ctx.memo("column_model", lambda: build_columns(
        ctx.pages(), table=_table(ctx)["classes"], start_url=ctx.run.get("start_url"), fetches=ctx.fetches(),
        explicit=explicit))


def _minus_months(d: _dt.date, months: int) -> _dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return _dt.date(y, m, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def column_limit(ctx: AuditContext, cls: str) -> tuple[_dt.date, int, str] | None:
    """(cutoff date, limit in days, limit as said in Chinese) for a class, or None (never stale).

    Params ``column_max_age_days`` / ``column_max_age_months`` ({class: n}) override the table.
    """
    spec = _table(ctx)["classes"].get(cls) or {}
    days_over = (ctx.param("column_max_age_days") or {}).get(cls)
    months_over = (ctx.param("column_max_age_months") or {}).get(cls)
    if days_over is not None:
        days, months = int(days_over), None
    elif months_over is not None:
        days, months = None, int(months_over)
    else:
        days, months = spec.get("max_age_days"), spec.get("max_age_months")
    if days:
        cutoff = ctx.as_of - _dt.timedelta(days=days)
        return cutoff, days, f"{days}天"
    if months:
        cutoff = _minus_months(ctx.as_of, months)
        said = "1年" if months == 12 else f"{months}个月"
        return cutoff, (ctx.as_of - cutoff).days, said
    return None


def _basis_for(cls: str) -> list[Basis]:
    if cls in VETO_STALE_CLASSES:
        return [B_VETO_COLUMNS, B_INTERVAL]
    if cls == "personnel":
        return [B_INTERVAL, B_VETO_COLUMNS]
    return [B_REG_20_26, B_INTERVAL, B_VETO_COLUMNS]


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


@check(code="GA201", name="stale_column", title="栏目不更新",
       basis=[B_VETO_COLUMNS, B_INTERVAL],
       remedy="按栏目更新要求及时发布信息（动态、要闻类2周内，通知公告、政策文件类6个月内，人事、规划计划类1年内），"
              "每条信息注明发布时间；确无信息可发布的栏目应整合或关停，并在整改报告中说明。",
       severity="high")
def stale_column(ctx: AuditContext) -> Iterable[Finding]:
    """Columns whose newest item is older than the limit of their class.

    Limits (checks/columns.toml): 动态/要闻 14 days; 通知公告/政策文件 and other dated
    columns (重点领域, 财政, 执法公示 …) 6 calendar months; 人事/规划计划 1 year.
    Fixed-content columns, the annual-report column, interaction and unclassified
    columns are never stale.  The newest date is read from the list rows, else from
    the article (visible, meta, URL date); a column whose items carry no date at all
    is not updated (2015 普查: 未注明信息发布时间的视为不更新).
    """
    for col in columns_of(ctx):
        if col.cls == "homepage" or col.kind not in ("listing", "page") or col.is_empty:
            continue
        limit = column_limit(ctx, col.cls)
        if limit is None:
            continue
        cutoff, limit_days, said = limit
        newest = col.newest(ctx.as_of)
        if col.kind == "page" and newest is None:
            continue  # a single page without a date: not a listing to judge
        if not col.items:
            continue  # content announced by the pager lies beyond the crawl: nothing to date
        if newest is not None and _dt.date.fromisoformat(newest.date or "") >= cutoff:
            continue
        undated = len(col.undated_items())
        base = dict(
            key="", title=col.name, basis=_basis_for(col.cls), pages=list(col.pages[:1]),
            column_class=col.cls, column_label=col.label, parent=col.parent, limit_days=limit_days,
            limit=said, as_of=ctx.as_of.isoformat(), items=len(col.items), undated_items=undated,
            listing_pages=len(col.pages), missing_pages=list(col.missing_pages),
        )
        if newest is None:
            yield stale_column.finding(
                url=col.url,
                reason=f"栏目「{col.name}」（{col.label}）共{len(col.items)}条信息均未注明发布时间，"
                       f"按“未注明信息发布时间的视为不更新”计为{said}内未更新",
                newest_date=None, date_source="none", newest_url=None, age_days=None, days_over=None,
                note="未注明信息发布时间的视为不更新", **base)
            continue
        age = (ctx.as_of - _dt.date.fromisoformat(newest.date or "")).days
        reason = (f"栏目「{col.name}」（{col.label}）最新信息发布于{newest.date}，距检查日{age}天，"
                  f"超过{said}更新要求{age - limit_days}天")
        if undated:
            reason += f"；另有{undated}条信息未注明发布时间，视为不更新"
        yield stale_column.finding(
            url=col.url, reason=reason, newest_date=newest.date, date_source=newest.source,
            newest_url=newest.url, age_days=age, days_over=age - limit_days,
            note="未注明信息发布时间的视为不更新" if undated else "", **base)


@check(code="GA202", name="empty_column", title="空白栏目",
       basis=[B_VETO_COLUMNS, B_EMPTY_DEF],
       remedy="空白栏目应及时补充内容；确无信息可发布的栏目应予以整合或删除，不得保留“暂无信息”的空栏目。",
       severity="high")
def empty_column(ctx: AuditContext) -> Iterable[Finding]:
    """Named columns with no content: no list item on any crawled page of the listing
    (and no further pages or records announced by the pager), or a page that says 暂无信息.

    A listing whose first page is empty (CMS fault) but whose later pages hold items
    is not empty.
    """
    for col in columns_of(ctx):
        if col.cls == "homepage" or not col.is_empty:
            continue
        if col.kind == "listing":
            how = f"栏目列表共{len(col.pages)}页均无任何信息"
            if col.empty_notice:
                how += "，页面显示“暂无信息”"
        else:
            how = "栏目页面显示“暂无信息”，无任何内容"
        yield empty_column.finding(
            url=col.url, title=col.name, reason=f"栏目「{col.name}」为空白栏目：{how}",
            column_class=col.cls, column_label=col.label, parent=col.parent, listing_pages=len(col.pages),
            empty_notice=col.empty_notice, newest_date=None, date_source="none", as_of=ctx.as_of.isoformat())


@check(code="GA203", name="homepage_not_updated", title="首页不更新",
       basis=[B_VETO_HOME], severity="high",
       remedy="首页应持续更新，2周内须有新信息发布，且每条信息注明发布时间；建立首页信息日常保障机制。")
def homepage_not_updated(ctx: AuditContext) -> Iterable[Finding]:
    """The start page has no item newer than ``homepage_max_age_days`` (14) days.

    Dates: the start page's list rows and the articles it links to.  A start page
    that is only a navigation portal (no dated entry) is judged by its second-level
    pages: the newest item of any column.  No date at all counts as not updated.
    """
    start_url = ctx.run.get("start_url") or ctx.site
    home_url, items = homepage_items(ctx.pages(), start_url)
    if home_url is None:
        return
    limit = int(ctx.param("homepage_max_age_days", 14))
    as_of = ctx.as_of
    dated = [it for it in items if it.date and _dt.date.fromisoformat(it.date) <= as_of]
    judged_on = "首页"
    if not dated:
        judged_on = "首页二级页面"
        for col in columns_of(ctx):
            dated.extend(it for it in col.dated_items(as_of))
    if not dated and not items and not columns_of(ctx):
        return  # nothing on the crawl to judge by
    newest = max(dated, key=lambda it: it.date or "") if dated else None
    if newest is not None:
        age = (as_of - _dt.date.fromisoformat(newest.date or "")).days
        if age <= limit:
            return
        reason = (f"{judged_on}最新信息发布于{newest.date}，距检查日{age}天，超过{limit}天未更新")
        extra = dict(newest_date=newest.date, date_source=newest.source, newest_url=newest.url,
                     age_days=age, days_over=age - limit)
    else:
        reason = f"{judged_on}信息均未注明发布时间（视为不更新），无法确认{limit}天内有更新"
        extra = dict(newest_date=None, date_source="none", newest_url=None, age_days=None, days_over=None,
                     note="未注明信息发布时间的视为不更新")
    yield homepage_not_updated.finding(
        url=home_url, title="首页", reason=reason, column_class="homepage", column_label="首页",
        limit_days=limit, as_of=as_of.isoformat(), judged_on=judged_on, items=len(items), **extra)


def _failed(fetch: Mapping[str, Any] | None) -> bool:
    if fetch is None:
        return False
    status = fetch.get("status")
    return bool(fetch.get("error")) or status is None or int(status) >= 400


@check(code="GA204", name="missing_section", title="平台栏目缺失",
       basis=[B_PLATFORM, B_REG_24], severity="medium",
       remedy="按国办公开办函〔2019〕61号规范政府信息公开平台，设置政府信息公开指南、政府信息公开制度、"
              "法定主动公开内容、政府信息公开年报等栏目，并确保栏目链接可正常访问。")
def missing_section(ctx: AuditContext) -> Iterable[Finding]:
    """One of the four standard sections of the 政府信息公开 platform (指南, 制度,
    法定主动公开内容, 年报) is absent from navigation, columns and breadcrumbs, or every
    link to it fails (HTTP error or no response)."""
    pages = ctx.pages()
    if not pages:
        return
    fetches = ctx.fetches()
    sections = _table(ctx).get("sections") or {}
    nav: dict[tuple[str, str], None] = {}  # (text, url) of nav links, each once, in crawl order
    named_on: dict[str, None] = {}
    for _, facts in pages:
        for ln in facts.links:
            if ln.context == "nav" and ln.kind == "page":
                nav[(ln.text or "", ln.url)] = None
        named_on[facts.column] = None
        named_on.update((c.get("text", ""), None) for c in facts.breadcrumbs)
    targets = [(re.sub(r"\s+", "", t), u) for t, u in nav]  # (text, url) of nav links and columns
    names = list(named_on)
    for col in columns_of(ctx):
        targets.append((col.name, col.url))
    for key, spec in sections.items():
        pats = spec.get("patterns") or []
        label = spec.get("label", key)
        hits = [(t, u) for t, u in targets if any(p in t for p in pats)]
        named = any(any(p in n for p in pats) for n in names if n)
        if not hits and not named:
            yield missing_section.finding(
                url=ctx.run.get("start_url") or ctx.site, key=key, title=label,
                reason=f"政府信息公开平台未设置「{label}」栏目（导航、栏目名称和位置导航中均未找到）",
                section=key, section_label=label, problem="absent", as_of=ctx.as_of.isoformat())
            continue
        if named:
            continue  # some page of the section itself was crawled
        failed = [(t, u) for t, u in hits if _failed(fetches.get(u))]
        if hits and len(failed) == len(hits):
            t, u = failed[0]
            f = fetches.get(u) or {}
            said = f"HTTP {f.get('status')}" if f.get("status") else (f.get("error") or "无响应")
            yield missing_section.finding(
                url=u, key=key, title=label,
                reason=f"「{label}」栏目链接无法访问（{said}）",
                section=key, section_label=label, problem="unreachable", link_text=t,
                status=f.get("status"), error=f.get("error"), as_of=ctx.as_of.isoformat())


def _guide_texts(ctx: AuditContext) -> list[tuple[str, str, str]]:
    """(url, column name, text) of each 指南 page the crawl holds."""
    pats = ((_table(ctx).get("sections") or {}).get("guide") or {}).get("patterns") or ["指南"]
    by_url = ctx.facts_by_url()
    out: list[tuple[str, str, str]] = []
    for col in columns_of(ctx):
        if not any(p in col.name for p in pats):
            continue
        facts = by_url.get(col.url)
        if col.kind == "listing":
            newest = col.newest(ctx.as_of) or (col.items[0] if col.items else None)
            facts = by_url.get(newest.url) if newest else None
        if facts is None or col.kind in ("unfetched", "unreachable"):
            continue
        text = facts.body_text + " " + " ".join(" ".join(row) for t in facts.tables for row in t)
        out.append((facts.url or col.url, col.name, text))
    return out


@check(code="GA205", name="guide_incomplete", title="信息公开指南要素不全",
       basis=[B_REG_12_53, B_REG_36], severity="medium",
       remedy="按《政府信息公开条例》第十二条完善政府信息公开指南，写明政府信息公开工作机构名称、办公地址、"
              "办公时间、联系电话、传真号码、互联网联系方式及依申请公开的程序，并及时更新。")
def guide_incomplete(ctx: AuditContext) -> Iterable[Finding]:
    """The 指南 page lacks 机构名称, 办公地址, 办公时间, 联系电话 or the 依申请公开 procedure
    (patterns in checks/columns.toml [guide_elements], read in the page's body text and tables)."""
    elements = _table(ctx).get("guide_elements") or {}
    for url, name, text in _guide_texts(ctx):
        missing = [spec.get("label", key) for key, spec in elements.items()
                   if not any(re.search(p, text) for p in spec.get("patterns") or [])]
        if not missing:
            continue
        yield guide_incomplete.finding(
            url=url, title=name, key="guide",
            reason=f"政府信息公开指南缺少{'、'.join(missing)}",
            missing_elements=missing, text_chars=len(text.strip()), as_of=ctx.as_of.isoformat())


# ---------------------------------------------------------------------------
# The 19号 verdict
# ---------------------------------------------------------------------------


def site_verdict(ctx: AuditContext, findings: Iterable[Finding]) -> dict[str, Any]:
    """The site's 单项否决 verdict on 栏目不更新 and 首页不更新 (国办秘函〔2019〕19号).

    不合格 when any of: stale 动态/要闻 + 通知公告/政策文件 columns ≥ ``veto_stale_columns`` (5);
    应更新未更新 (every stale column + every empty column) ≥ ``veto_should_update`` (10);
    empty columns ≥ ``veto_empty_columns`` (5); the home page not updated.

    Returns {"verdict": "合格"|"不合格", "reasons": [...], "counts": {...}, "thresholds": {...}}.
    """
    findings = list(findings)
    stale = [f for f in findings if f.check == "stale_column"]
    empty = [f for f in findings if f.check == "empty_column"]
    home = [f for f in findings if f.check == "homepage_not_updated"]
    stale_key = [f for f in stale if f.data.get("column_class") in VETO_STALE_CLASSES]
    t_stale = int(ctx.param("veto_stale_columns", 5))
    t_should = int(ctx.param("veto_should_update", 10))
    t_empty = int(ctx.param("veto_empty_columns", 5))
    counts = {
        "stale_news_notice": len(stale_key),
        "stale": len(stale),
        "empty": len(empty),
        "should_update": len(stale) + len(empty),
        "homepage_not_updated": len(home),
    }
    reasons: list[str] = []
    if len(stale_key) >= t_stale:
        reasons.append(f"栏目不更新（单项否决）：动态、要闻类栏目2周内未更新与通知公告、政策文件类栏目6个月内未更新的"
                       f"共{len(stale_key)}个，达到{t_stale}个的否决线")
    if counts["should_update"] >= t_should:
        reasons.append(f"栏目不更新（单项否决）：应更新但长期未更新的栏目（含空白栏目）共{counts['should_update']}个，"
                       f"达到{t_should}个的否决线")
    if len(empty) >= t_empty:
        reasons.append(f"栏目不更新（单项否决）：空白栏目共{len(empty)}个，达到{t_empty}个的否决线")
    if home:
        reasons.append(f"首页不更新（单项否决）：{home[0].reason}")
    return {
        "verdict": "不合格" if reasons else "合格",
        "reasons": reasons,
        "counts": counts,
        "thresholds": {"veto_stale_columns": t_stale, "veto_should_update": t_should,
                       "veto_empty_columns": t_empty,
                       "homepage_max_age_days": int(ctx.param("homepage_max_age_days", 14))},
        "basis": [B_VETO_COLUMNS.to_dict(), B_VETO_HOME.to_dict()],
        "as_of": ctx.as_of.isoformat(),
    }
