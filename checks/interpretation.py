"""GA3xx 政策解读: documents without a 解读, late 解读, unlinked 解读, 形式化 解读.

Recognition and matching live in :mod:`govaudit.policy`; working days in
:mod:`govaudit.workdays`.  Parameters (checks/rules.toml, a plan or a site
config override them):

* ``interpretation_working_days`` — N: a 解读 published on day d is late when
  ``working_days_between(document_published, d) > N`` (0 = same day).
* ``interpretation_required_since`` — documents published before this day
  (default 2016-11-10, 国办发〔2016〕80号) are not checked.
* ``interpretation_copy_share`` — share of a 解读's text copied from its
  document from which it counts as 形式化.
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Iterator
from typing import Any

from govaudit.models import Basis, Finding, PageFacts
from govaudit.policy import (
    Match,
    PolicyAnalysis,
    PolicyDoc,
    TITLE_THRESHOLD,
    analyse,
    copy_share,
    heading_share,
)
from govaudit.workdays import WorkdaysError, site_calendar, working_days_between

from .base import AuditContext, check

logger = logging.getLogger(__name__)

BASIS_80 = Basis(
    document="国务院办公厅印发《关于全面推进政务公开工作的意见》实施细则的通知（国办发〔2016〕80号）",
    clause="做好政策解读",
    text="按照“谁起草谁解读”的原则，政策性文件与解读方案、解读材料应同步组织、同步审签、同步部署。",
)
BASIS_80_CONTENT = Basis(
    document="国务院办公厅印发《关于全面推进政务公开工作的意见》实施细则的通知（国办发〔2016〕80号）",
    clause="做好政策解读",
    text="解读政策性文件，着重解读政策措施的背景依据、目标任务、主要内容、涉及范围、执行标准，"
    "以及注意事项、关键词诠释、惠民利民举措、新旧政策差异等。",
)
BASIS_GZ = Basis(
    document="广州市人民政府办公厅关于进一步做好政策解读工作的通知（穗府办函〔2017〕313号）",
    clause="",
    text="政府规章和行政规范性文件的解读材料与文件同步发布。",
)

MIN_JIEDU_CHARS = 60  # shorter 解读 texts (image 解读, one-line notes) are not measured for copying


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------


def policy_analysis(ctx: AuditContext) -> PolicyAnalysis:
    """The recognition and matching of one run, computed once per context."""
    return ctx.memo("policy_analysis", lambda: _policy_analysis(ctx))


def _policy_analysis(ctx: AuditContext) -> PolicyAnalysis:
    pages: list[PageFacts] = []
    aliases: dict[str, str] = {}
    for fetch, facts in ctx.pages():
        pages.append(facts)
        for u in (fetch.get("url"), fetch.get("final_url"), *(fetch.get("redirects") or [])):
            if u and u != facts.url:
                aliases[u] = facts.url
    result = analyse(pages, aliases=aliases, title_threshold=float(ctx.param("interpretation_title_similarity",
                                                                             TITLE_THRESHOLD)))
    return result


def _limit(ctx: AuditContext) -> int:
    return int(ctx.param("interpretation_working_days", 3))


def _calendar(ctx: AuditContext) -> tuple[frozenset[_dt.date], frozenset[_dt.date]]:
    return site_calendar(ctx.site_config)


def _date(s: str | None) -> _dt.date | None:
    if not s:
        return None
    try:
        return _dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


def _required_since(ctx: AuditContext) -> _dt.date:
    return _date(str(ctx.param("interpretation_required_since", "2016-11-10"))) or _dt.date(2016, 11, 10)


def _book(title: str) -> str:
    """A title in 书名号, inner 《》 turned into 〈〉 as Chinese usage wants.

    >>> _book("关于印发《示范县停车管理办法》的通知")
    '《关于印发〈示范县停车管理办法〉的通知》'
    """
    return "《" + title.strip().replace("《", "〈").replace("》", "〉") + "》"


def _label(doc: PolicyDoc) -> str:
    return _book(doc.title) + (f"（{doc.doc_number}）" if doc.doc_number else "")


def _doc_data(doc: PolicyDoc) -> dict[str, Any]:
    return {
        "doc_number": doc.doc_number,
        "issuer": doc.issuer,
        "written_date": doc.written_date,
        "document_date": doc.published,
        "column": doc.column,
        "signals": list(doc.signals),
    }


def _evidence(m: Match) -> list[dict[str, object]]:
    return [e.to_dict() for e in m.evidence]


def _overdue(start: _dt.date, end: _dt.date, limit: int, hol: frozenset[_dt.date],
             wrk: frozenset[_dt.date]) -> bool | None:
    """More than ``limit`` working days from start to end?  None when the calendar cannot say.

    Without the official schedule of a year the answer is still certain at the
    extremes: never more working days than calendar days, and a window of
    2·limit+14 calendar days holds at most one long holiday (≤ 9 days), so it
    always has more than ``limit`` working days.
    """
    days = (end - start).days
    if days <= limit:
        return False
    try:
        return working_days_between(start, end, extra_holidays=hol, extra_workdays=wrk) > limit
    except WorkdaysError as exc:
        if days > 2 * limit + 14:
            return True
        logger.warning("interpretation: cannot count working days %s..%s: %s", start, end, exc)
        return None


def _checked_documents(ctx: AuditContext) -> Iterator[tuple[PolicyDoc, _dt.date | None]]:
    since = _required_since(ctx)
    for doc in policy_analysis(ctx).documents:
        d = _date(doc.published)
        if d and d < since:
            continue
        yield doc, d


# ---------------------------------------------------------------------------
# GA301 missing_interpretation
# ---------------------------------------------------------------------------


@check(
    code="GA301",
    name="missing_interpretation",
    title="政策文件未解读",
    basis=[BASIS_80, BASIS_GZ],
    remedy="按照“谁起草谁解读”的原则，为该政策文件补充发布解读材料，并在文件页与解读页之间相互链接；"
    "今后政策文件与解读材料同步审签、同步发布。",
    severity="medium",
)
def missing_interpretation(ctx: AuditContext) -> Iterator[Finding]:
    """Policy documents (规章, 行政规范性文件, 政策文件 …) for which no 解读 was found anywhere on
    the site: no link from the document, no 解读 linking back, none quoting its 文号 and none naming
    it in 《》.  Documents still within the allowed working days (as of the audit date) are not
    reported yet.  When the document page has a relation box that only JavaScript fills (e.g. 相关解读),
    the finding is low severity and asks for manual confirmation."""
    analysis = policy_analysis(ctx)
    limit = _limit(ctx)
    hol, wrk = _calendar(ctx)
    for doc, published in _checked_documents(ctx):
        if analysis.matches_for(doc.url):
            continue
        if published is not None and _overdue(published, ctx.as_of, limit, hol, wrk) is not True:
            continue  # not due yet (or the calendar cannot tell)
        data = _doc_data(doc)
        data["limit"] = limit
        if doc.js_jiedu_box:
            yield missing_interpretation.finding(
                url=doc.url,
                title=doc.title,
                severity="low",
                reason=f"政策文件{_label(doc)}页面的“{'、'.join(doc.js_boxes)}”栏由脚本加载，无法读取；"
                "站内其他位置也未找到对应解读，需人工确认是否已解读",
                needs_manual_confirmation=True,
                js_boxes=list(doc.js_boxes),
                **data,
            )
        else:
            yield missing_interpretation.finding(
                url=doc.url,
                title=doc.title,
                reason=f"政策文件{_label(doc)}未发布政策解读（文件页无解读链接，站内也未找到对应解读）",
                **data,
            )


# ---------------------------------------------------------------------------
# GA302 late_interpretation
# ---------------------------------------------------------------------------


@check(
    code="GA302",
    name="late_interpretation",
    title="政策解读不及时",
    basis=[BASIS_80, BASIS_GZ],
    remedy="政策解读材料应与政策文件同步审签、同步发布，最迟不超过规定的工作日时限；"
    "建立文件与解读同步报送机制，避免解读滞后。",
    severity="medium",
)
def late_interpretation(ctx: AuditContext) -> Iterator[Finding]:
    """Policy documents whose earliest 解读 came out more than N working days after the document
    (N = interpretation_working_days; official holidays and make-up days counted).  A 解读 known only
    from a link on the document is dated by its address (t20220128_…) and reported at low severity."""
    analysis = policy_analysis(ctx)
    limit = _limit(ctx)
    hol, wrk = _calendar(ctx)
    for doc, published in _checked_documents(ctx):
        if published is None:
            continue
        dated = [(d, m, i) for m in analysis.matches_for(doc.url)
                 if (i := analysis.interpretation(m.interpretation_url)) and (d := _date(i.published))]
        if not dated:
            continue
        first_date, match, interp = min(dated, key=lambda t: (t[0], -t[1].strength))
        if _overdue(published, first_date, limit, hol, wrk) is not True:
            continue
        wd = working_days_between(published, first_date, extra_holidays=hol, extra_workdays=wrk) \
            if _known(published, first_date, hol, wrk) else None
        from_url = interp.published_source == "url"
        yield late_interpretation.finding(
            url=doc.url,
            title=doc.title,
            severity="low" if from_url else "medium",
            reason=(f"政策文件{_label(doc)}于{published.isoformat()}发布，解读{_book(_short(interp.title))}"
                    f"于{first_date.isoformat()}发布，" + (f"间隔{wd}个工作日" if wd is not None else "间隔超过时限")
                    + f"，超过{limit}个工作日的时限" + ("（解读日期取自链接地址，需人工核实）" if from_url else "")),
            interpretation_url=interp.url,
            interpretation_title=interp.title,
            interpretation_date=first_date.isoformat(),
            interpretation_date_source=interp.published_source,
            working_days=wd,
            calendar_days=(first_date - published).days,
            evidence=_evidence(match),
            **_doc_data(doc),
            limit=limit,
        )


def _known(start: _dt.date, end: _dt.date, hol: frozenset[_dt.date], wrk: frozenset[_dt.date]) -> bool:
    try:
        working_days_between(start, end, extra_holidays=hol, extra_workdays=wrk)
    except WorkdaysError:
        return False
    return True


def _short(title: str, n: int = 40) -> str:
    t = title.strip()
    return t if len(t) <= n else t[: n - 1] + "…"


# ---------------------------------------------------------------------------
# GA303 unlinked_interpretation
# ---------------------------------------------------------------------------

_DIRECTION_TEXT = {
    "document_to_interpretation": "文件页未链接解读",
    "interpretation_to_document": "解读页未链接原文件",
}


@check(
    code="GA303",
    name="unlinked_interpretation",
    title="政策文件与解读未关联",
    basis=[BASIS_80],
    remedy="在政策文件页面添加“相关解读”链接，在解读页面添加“相关文件/原文链接”，实现文件与解读相互关联、双向链接。",
    severity="low",
)
def unlinked_interpretation(ctx: AuditContext) -> Iterator[Finding]:
    """A 解读 was found for the document (by 文号 or 《》 title, or a one-way link) but the two pages do not
    link each other; the finding says which direction is missing.  A direction whose page has a
    JavaScript-filled relation box is not reported (it cannot be read)."""
    analysis = policy_analysis(ctx)
    for doc, _ in _checked_documents(ctx):
        for m in analysis.matches_for(doc.url):
            interp = analysis.interpretation(m.interpretation_url)
            if interp is None or not interp.crawled:
                continue  # only known from the document's link: the back link cannot be checked
            missing = []
            if not m.has("doc_links_to_jiedu") and not doc.js_jiedu_box:
                missing.append("document_to_interpretation")
            if not m.has("jiedu_links_to_doc") and not interp.js_boxes:
                missing.append("interpretation_to_document")
            if not missing:
                continue
            yield unlinked_interpretation.finding(
                url=doc.url,
                title=doc.title,
                key=interp.url,
                reason=f"政策文件{_label(doc)}与解读{_book(_short(interp.title))}未相互链接："
                + "，".join(_DIRECTION_TEXT[d] for d in missing),
                interpretation_url=interp.url,
                interpretation_title=interp.title,
                missing_directions=missing,
                evidence=_evidence(m),
                **_doc_data(doc),
            )


# ---------------------------------------------------------------------------
# GA304 formal_interpretation
# ---------------------------------------------------------------------------


@check(
    code="GA304",
    name="formal_interpretation",
    title="政策解读形式化",
    basis=[BASIS_80_CONTENT],
    remedy="重新撰写解读材料，讲清政策背景依据、目标任务、主要内容、涉及范围、执行标准和新旧政策差异，"
    "不得简单复制摘抄文件内容、罗列文件小标题或以文件精简版方式呈现；可采用图表图解、问答等形式。",
    severity="medium",
)
def formal_interpretation(ctx: AuditContext) -> Iterator[Finding]:
    """A 解读 that mostly copies its document or only lists its headings: the share of the 解读's
    6-character sequences (punctuation and spaces removed) found in the document body reaches
    interpretation_copy_share (default 0.8).  Very short 解读 texts (image 解读) are not measured."""
    analysis = policy_analysis(ctx)
    threshold = float(ctx.param("interpretation_copy_share", 0.8))
    facts = ctx.facts_by_url()
    for doc, _ in _checked_documents(ctx):
        doc_facts = facts.get(doc.url)
        if doc_facts is None or not doc_facts.body_text:
            continue
        for m in analysis.matches_for(doc.url):
            i_facts = facts.get(m.interpretation_url)
            if i_facts is None or len(i_facts.body_text or "") < MIN_JIEDU_CHARS:
                continue
            share = copy_share(i_facts.body_text, doc_facts.body_text)
            h_share = heading_share(i_facts.body_text, [h for h in doc_facts.headings if len(h) <= 30])
            if share < threshold:
                continue
            yield formal_interpretation.finding(
                url=m.interpretation_url,
                title=doc.title,
                key=doc.url,
                reason=f"解读{_book(_short(i_facts.title))}{share:.0%}的内容照搬政策文件{_label(doc)}原文"
                + (f"，其中{h_share:.0%}为文件小标题" if h_share >= 0.3 else "")
                + "，属形式化解读",
                document_url=doc.url,
                interpretation_title=i_facts.title,
                copy_share=round(share, 3),
                heading_share=round(h_share, 3),
                threshold=threshold,
                evidence=_evidence(m),
            )


__all__ = [
    "formal_interpretation",
    "late_interpretation",
    "missing_interpretation",
    "policy_analysis",
    "unlinked_interpretation",
]
