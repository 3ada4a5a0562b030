"""GA4xx 政府信息公开工作年度报告: missing, late, malformed, not adding up, copied, unreadable.

Reading reports lives in :mod:`govaudit.annual`.  Here the reports of one run
are found (article pages, PDF/image attachments, 年报 column rows and links
anywhere on the site), the site owner's own reports are told from the
department and township reports listed beside them, and each expected year
is checked.

Parameters (checks/rules.toml; a plan or a site config overrides them):

* ``annual_report_years`` — how many past report years are expected (3);
* ``annual_report_due_department`` / ``annual_report_due_government`` — MM-DD
  in the year after the report year (01-31 / 03-31, 条例 第四十九条);
* ``annual_report_copy_share`` — share of a report's prose found word for word
  in last year's from which it counts as copied (0.8).

Site config keys: ``owner`` (the body whose reports are expected),
``owner_type`` (``government`` | ``department``), ``report_years`` (a list
that replaces the default years).
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from govaudit.annual import (
    IMAGE_EXTS,
    AnnualReport,
    check_arithmetic,
    cross_year,
    due_date,
    expected_years,
    is_own_report,
    looks_like_report_title,
    owner_type_of,
    report_from_facts,
    report_owner_from_title,
    text_similarity,
)
from govaudit.models import Basis, Finding, PageFacts

from .base import AuditContext, check

logger = logging.getLogger(__name__)

REGULATION = "中华人民共和国政府信息公开条例（国务院令第711号）"
FORMAT_DOC = "国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知（国办公开办函〔2021〕30号）"

BASIS_49 = Basis(
    document=REGULATION,
    clause="第四十九条",
    text="县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门提交本行政机关上一年度政府信息公开工作"
    "年度报告并向社会公布。县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前向社会公布本级政府"
    "上一年度政府信息公开工作年度报告。",
)
BASIS_50 = Basis(
    document=REGULATION,
    clause="第五十条",
    text="政府信息公开工作年度报告应当包括下列内容：（一）行政机关主动公开政府信息的情况；（二）行政机关收到和处理政府"
    "信息公开申请的情况；（三）因政府信息公开工作被申请行政复议、提起行政诉讼的情况；（四）政府信息公开工作存在的"
    "主要问题及改进情况，各级人民政府的政府信息公开工作年度报告还应当包括工作考核、社会评议和责任追究结果情况；"
    "（五）其他需要报告的事项。全国政府信息公开工作主管部门应当公布政府信息公开工作年度报告统一格式，并适时更新。",
)
BASIS_30_FORMAT = Basis(
    document=FORMAT_DOC,
    clause="年度报告格式",
    text="年度报告分为一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开"
    "行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项六个部分，二、三、四部分按统一表格填报。",
)
BASIS_30_SUMS = Basis(
    document=FORMAT_DOC,
    clause="年度报告格式 表三",
    text="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
)
BASIS_30_DUTY = Basis(
    document=FORMAT_DOC,
    clause="明确责任（要点）",
    text="年度报告不按时公开、数据不准确、内容不完整、与往年内容雷同或敷衍应付的，依照《条例》第四十七条追究责任。",
)


# ---------------------------------------------------------------------------
# Finding the reports of one run
# ---------------------------------------------------------------------------


@dataclass
class Sighting:
    """One place a report shows: its own page, a 年报 column row or a link."""

    year: int
    title: str
    owner: str
    url: str
    source: str  # page | listing | link
    date: str | None = None  # YYYY-MM-DD
    listing: str | None = None  # the listing/linking page
    image: bool = False
    facts: PageFacts | None = None


@dataclass
class YearReport:
    """Everything seen of the owner's report for one year."""

    year: int
    sightings: list[Sighting] = field(default_factory=list)
    parsed: AnnualReport | None = None  # the best readable version
    parsed_url: str | None = None

    @property
    def url(self) -> str:
        if self.parsed_url:
            return self.parsed_url
        for src in ("page", "listing", "link"):
            for s in self.sightings:
                if s.source == src:
                    return s.url
        return self.sightings[0].url

    @property
    def title(self) -> str:
        return next((s.title for s in self.sightings if s.source == "page"), self.sightings[0].title)

    def published(self) -> tuple[str | None, str]:
        """Earliest date shown for the report (page date or 年报 column date) and where it came from."""
        dated = [(s.date, s.source) for s in self.sightings if s.date]
        if not dated:
            return None, ""
        return min(dated)

    @property
    def unreadable(self) -> bool:
        """Only images: an image-only PDF, an image link, or a page with no text."""
        if self.parsed is not None:
            return not self.parsed.readable
        return all(s.image for s in self.sightings)


@dataclass
class AnnualAnalysis:
    owner: str
    owner_type: str
    owner_source: str
    years: list[int]
    due: dict[int, _dt.date]
    reports: dict[int, YearReport]  # the owner's own reports, by year
    others: list[Sighting]  # reports of departments, townships … seen on the site
    listing_url: str | None  # the 年报 column, when found
    site_url: str




def _is_image_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(IMAGE_EXTS)


def _site_owner(ctx: AuditContext) -> tuple[str, str]:
    cfg = ctx.site_config or {}
    if cfg.get("owner"):
        return str(cfg["owner"]), "site_config"
    names: Counter[str] = Counter()
    hosts: Counter[str] = Counter()
    for _fetch, facts in ctx.pages():
        name = facts.site_name or facts.meta.get("SiteName", "")
        if name:
            names[name.strip()] += 1
        host = (facts.footer or {}).get("主办单位", "")
        if host:
            hosts[host.strip()] += 1
    if names:
        return names.most_common(1)[0][0], "SiteName"
    if hosts:
        name = hosts.most_common(1)[0][0]
        for suf in ("办公厅", "办公室"):
            if name.endswith(suf) and len(name) > len(suf) + 2:
                name = name[: -len(suf)]
        return name, "主办单位"
    return "", ""


def _sightings(ctx: AuditContext) -> tuple[list[Sighting], dict[str, int]]:
    """Every report sighting, and listing pages with how many report rows they hold."""
    link_titles: dict[str, str] = {}
    for _fetch, facts in ctx.pages():
        for ln in facts.links:
            if ln.text and looks_like_report_title(ln.text):
                link_titles.setdefault(ln.url, ln.text)
    out: list[Sighting] = []
    listings: dict[str, int] = {}
    for fetch, facts in ctx.pages():
        url = fetch.get("url") or facts.url
        title = facts.title
        year = looks_like_report_title(title)
        if year is None and facts.doc_format in ("pdf", "image"):
            title = link_titles.get(url) or link_titles.get(fetch.get("final_url") or "") or title
            year = looks_like_report_title(title)
        if year is not None and facts.kind != "listing":
            out.append(Sighting(year, title, report_owner_from_title(title), url, "page", facts.published,
                                image=facts.doc_format == "image", facts=facts))
        n_rows = 0
        for li in facts.list_items:
            y = looks_like_report_title(li.title)
            if y is None:
                continue
            n_rows += 1
            out.append(Sighting(y, li.title, report_owner_from_title(li.title), li.url, "listing", li.date,
                                listing=url, image=_is_image_url(li.url)))
        if n_rows or (facts.kind == "listing" and any(w in (facts.column or facts.title) for w in ("年报", "年度报告"))):
            listings[url] = n_rows
        for ln in facts.links:
            if ln.kind not in ("page", "attachment", "external") or not ln.text:
                continue
            y = looks_like_report_title(ln.text)
            if y is None:
                continue
            out.append(Sighting(y, ln.text, report_owner_from_title(ln.text), ln.url, "link", None, listing=url,
                                image=ln.tag == "img" or _is_image_url(ln.url)))
    return out, listings


def _pick_parsed(rep: YearReport) -> None:
    """Parse the crawled versions of one year's report; keep the most complete readable one."""
    best: tuple[int, AnnualReport, str] | None = None
    for s in rep.sightings:
        if s.source != "page" or s.facts is None:
            continue
        try:
            parsed = report_from_facts(s.facts)
        except Exception as exc:  # one odd page must not stop the other years
            logger.warning("cannot read annual report %s: %s", s.url, exc)
            continue
        score = (len(parsed.sections) + 2 * len(parsed.tables_found)) if parsed.readable else -1
        if best is None or score > best[0]:
            best = (score, parsed, s.url)
    if best is not None:
        rep.parsed, rep.parsed_url = best[1], best[2]


def annual_analysis(ctx: AuditContext) -> AnnualAnalysis:
    """The reports of one run, sorted into the owner's own (by year) and others; computed once."""
    return ctx.memo("annual_analysis", lambda: _annual_analysis(ctx))


def _annual_analysis(ctx: AuditContext) -> AnnualAnalysis:
    cfg = ctx.site_config or {}
    owner, owner_source = _site_owner(ctx)
    owner_type = str(cfg.get("owner_type") or owner_type_of(owner))
    if owner_type not in ("government", "department"):
        raise ValueError(f"site config owner_type must be government or department, not {owner_type!r}")
    dues = {
        "department": str(ctx.param("annual_report_due_department", "01-31")),
        "government": str(ctx.param("annual_report_due_government", "03-31")),
    }
    if cfg.get("report_years"):
        years = sorted({int(y) for y in cfg["report_years"]}, reverse=True)
    else:
        years = expected_years(ctx.as_of, owner_type, int(ctx.param("annual_report_years", 3)), **dues)
    sightings, listings = _sightings(ctx)
    reports: dict[int, YearReport] = {}
    others: list[Sighting] = []
    for s in sightings:
        if is_own_report(s.owner, owner):
            reports.setdefault(s.year, YearReport(s.year)).sightings.append(s)
        else:
            others.append(s)
    for rep in reports.values():
        _pick_parsed(rep)
    own_rows: Counter[str] = Counter(s.listing for r in reports.values() for s in r.sightings
                                     if s.source == "listing" and s.listing)
    listing_url = own_rows.most_common(1)[0][0] if own_rows else (
        max(listings, key=lambda u: listings[u]) if listings else None)
    site_url = ctx.run.get("start_url") or ctx.site
    result = AnnualAnalysis(
        owner=owner, owner_type=owner_type, owner_source=owner_source, years=years,
        due={y: due_date(y, owner_type, **dues) for y in set(years) | set(reports)},
        reports=reports, others=others, listing_url=listing_url, site_url=site_url,
    )
    return result


def _owner_label(a: AnnualAnalysis) -> str:
    return a.owner or "本单位"


def _common(a: AnnualAnalysis, year: int) -> dict[str, Any]:
    return {"year": year, "owner": a.owner, "owner_type": a.owner_type, "due_date": a.due[year].isoformat()}


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


@check(
    code="GA401",
    name="missing_annual_report",
    title="未公开政府信息公开工作年度报告",
    basis=[BASIS_49],
    remedy="在政府信息公开专栏“政府信息公开年报”栏目补充公开该年度政府信息公开工作年度报告（按国办公开办函〔2021〕30号格式），"
    "今后按《条例》第四十九条规定的时限公开。",
    severity="high",
)
def missing_annual_report(ctx: AuditContext) -> Iterator[Finding]:
    """Expected years (the last N years whose deadline has passed, or the site's report_years) for which
    no report of the site owner was found: no report page, no 年报 column row and no link titled as the
    owner's report for that year anywhere on the site.  Department and township reports listed beside the
    owner's do not count.  When the crawl found no 年报 column and no report of any year, the finding is
    medium severity (the column may not have been reached)."""
    a = annual_analysis(ctx)
    nothing_seen = not a.reports and not a.listing_url
    for year in a.years:
        if year in a.reports:
            continue
        others = sorted({s.owner or s.title for s in a.others if s.year == year})
        due = a.due[year]
        where = "“政府信息公开年报”栏目及全站" if a.listing_url else "全站（未找到“政府信息公开年报”栏目）"
        yield missing_annual_report.finding(
            url=a.listing_url or a.site_url,
            key=str(year),
            title=f"{_owner_label(a)}{year}年政府信息公开工作年度报告",
            reason=f"在{where}未找到{_owner_label(a)}{year}年政府信息公开工作年度报告（应于{due:%Y年%-m月%-d日}前公开）",
            severity="medium" if nothing_seen else "high",
            listing_url=a.listing_url,
            other_reports=others,
            **_common(a, year),
        )


@check(
    code="GA402",
    name="late_annual_report",
    title="政府信息公开工作年度报告公开不及时",
    basis=[BASIS_49, BASIS_30_DUTY],
    remedy="严格按照《条例》第四十九条规定的时限（部门1月31日前、本级政府3月31日前）公开上一年度政府信息公开工作年度报告，"
    "建立年报编制、审核、发布时间表。",
    severity="medium",
)
def late_annual_report(ctx: AuditContext) -> Iterator[Finding]:
    """The owner's report for an expected year published after its deadline (department: 1月31日,
    government: 3月31日 of the next year; a plan may set other dates).  The published date is the earliest
    date shown for the report: its page's date, else the date in the 年报 column.  A report published on the
    due date is on time."""
    a = annual_analysis(ctx)
    for year in a.years:
        rep = a.reports.get(year)
        if rep is None:
            continue
        published, source = rep.published()
        if not published:
            continue
        try:
            pub = _dt.date.fromisoformat(published)
        except ValueError:
            continue
        due = a.due[year]
        if pub <= due:
            continue
        days = (pub - due).days
        yield late_annual_report.finding(
            url=rep.url,
            key=str(year),
            title=rep.title,
            reason=f"{year}年政府信息公开工作年度报告于{pub:%Y年%-m月%-d日}公开，"
            f"晚于{due:%Y年%-m月%-d日}的规定时限{days}天",
            published=published,
            date_source=source,
            days_late=days,
            **_common(a, year),
        )


@check(
    code="GA403",
    name="annual_report_format",
    title="政府信息公开工作年度报告格式不规范",
    basis=[BASIS_50, BASIS_30_FORMAT],
    remedy="按国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》修订年度报告，补齐六个部分及统一表格后重新公开。",
    severity="medium",
)
def annual_report_format(ctx: AuditContext) -> Iterator[Finding]:
    """The owner's readable report for an expected year (2019 or later, when the unified format applies)
    lacks one of the six sections (一、总体情况 … 六、其他需要报告的事项) or one of the standard tables
    (二 第二十条 主动公开, 三 申请情况, 四 复议诉讼)."""
    a = annual_analysis(ctx)
    for year in a.years:
        rep = a.reports.get(year)
        if rep is None or rep.parsed is None or not rep.parsed.readable or year < 2019:
            continue
        p = rep.parsed
        missing_tables = [t for t in ("二", "三", "四") if t not in p.tables_found]
        if not p.missing_sections and not missing_tables:
            continue
        parts = []
        if p.missing_sections:
            parts.append("缺少" + "、".join(p.missing_sections))
        if missing_tables:
            parts.append("缺少统一表格（" + "、".join(f"表{t}" for t in missing_tables) + "）")
        yield annual_report_format.finding(
            url=rep.url,
            key=str(year),
            title=rep.title,
            reason=f"{year}年政府信息公开工作年度报告{'，'.join(parts)}",
            missing_sections=p.missing_sections,
            missing_tables=missing_tables,
            sections=p.sections,
            **_common(a, year),
        )


@check(
    code="GA404",
    name="annual_report_arithmetic",
    title="政府信息公开工作年度报告数据不一致",
    basis=[BASIS_30_SUMS, BASIS_30_DUTY],
    remedy="核对年度报告统计数据，确保表三“第一项加第二项之和等于第三项加第四项之和”、各行总计与分项相符、表四各项之和等于总计，"
    "并与上一年度报告的结转数、现行有效件数衔接；更正后重新公开并说明。",
    severity="medium",
)
def annual_report_arithmetic(ctx: AuditContext) -> Iterator[Finding]:
    """Sums that do not add up in the owner's report for an expected year: in table 三, 新收 + 上年结转 =
    办理结果总计 + 结转下年度 (every column), 总计 column = sum of the applicant columns (every row),
    （七）总计 = sum of the result rows; in table 四, 维持 + 纠正 + 其他 + 尚未审结 = 总计 per block; and
    against last year's report: 上年结转 = last year's 结转下年度, 现行有效件数 = last year's + 本年制发 −
    本年废止.  Blank cells count as 0.  A row whose cells are run together in the text is split so that it adds
    up; a row that cannot be split is not read (see the notes) rather than reported."""
    a = annual_analysis(ctx)
    for year in a.years:
        rep = a.reports.get(year)
        if rep is None or rep.parsed is None or not rep.parsed.readable:
            continue
        issues = check_arithmetic(rep.parsed)
        prev = a.reports.get(year - 1)
        if prev is not None and prev.parsed is not None and prev.parsed.readable:
            if prev.parsed.year is None:
                prev.parsed.year = year - 1
            if rep.parsed.year is None:
                rep.parsed.year = year
            issues += cross_year(prev.parsed, rep.parsed)
        if not issues:
            continue
        more = f"（共{len(issues)}处）" if len(issues) > 1 else ""
        yield annual_report_arithmetic.finding(
            url=rep.url,
            key=str(year),
            title=rep.title,
            reason=f"{year}年政府信息公开工作年度报告数据不一致：{issues[0].message}{more}",
            issues=[i.to_dict() for i in issues],
            previous_url=prev.url if prev is not None else None,
            notes=list(rep.parsed.notes),
            **_common(a, year),
        )


@check(
    code="GA405",
    name="annual_report_copied",
    title="政府信息公开工作年度报告内容雷同",
    basis=[BASIS_30_DUTY, BASIS_50],
    remedy="结合本年度工作实际重新撰写年度报告的总体情况、存在的主要问题及改进情况等内容，不得照搬往年报告。",
    severity="medium",
)
def annual_report_copied(ctx: AuditContext) -> Iterator[Finding]:
    """The prose of the owner's report for an expected year (everything outside tables 二–四) is largely the
    same as the previous year's: the share of its 8-character passages found word for word in last year's
    report, numbers masked, is at least annual_report_copy_share (0.8).  Reports with under 300 characters of
    prose are not measured."""
    a = annual_analysis(ctx)
    threshold = float(ctx.param("annual_report_copy_share", 0.8))
    for year in a.years:
        rep, prev = a.reports.get(year), a.reports.get(year - 1)
        if rep is None or prev is None or rep.parsed is None or prev.parsed is None:
            continue
        if len(rep.parsed.prose) < 300 or len(prev.parsed.prose) < 300:
            continue
        share = text_similarity(rep.parsed.prose, prev.parsed.prose)
        if share < threshold:
            continue
        yield annual_report_copied.finding(
            url=rep.url,
            key=str(year),
            title=rep.title,
            reason=f"{year}年政府信息公开工作年度报告正文有{share:.0%}与{year - 1}年报告相同",
            share=share,
            threshold=threshold,
            previous_year=year - 1,
            previous_url=prev.url,
            **_common(a, year),
        )


@check(
    code="GA406",
    name="annual_report_unreadable",
    title="政府信息公开工作年度报告无法机读",
    basis=[BASIS_50, BASIS_30_FORMAT],
    remedy="以可复制、可检索的文字和表格（网页正文或带文字层的PDF）公开年度报告，图片版仅可作为补充。",
    severity="low",
)
def annual_report_unreadable(ctx: AuditContext) -> Iterator[Finding]:
    """The owner's report for an expected year exists only as images: an image file, a PDF without a
    text layer, or a page with no text.  It is published (not missing) but cannot be read, searched or
    checked."""
    a = annual_analysis(ctx)
    for year in a.years:
        rep = a.reports.get(year)
        if rep is None or not rep.unreadable:
            continue
        image = next((s.url for s in rep.sightings if s.image), None)
        yield annual_report_unreadable.finding(
            url=image or rep.url,
            key=str(year),
            title=rep.title,
            reason=f"{year}年政府信息公开工作年度报告仅以图片形式公开，无法检索、复制和核对数据",
            **_common(a, year),
        )
