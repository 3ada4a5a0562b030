"""解读 checks (GA301-GA304) and the recognition/matching behind them, on hand-built pages."""

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
from govaudit.models import Fetch, Link, PageFacts
from govaudit.policy import (
    analyse,
    copy_share,
    core_title,
    document_or_exemption,
    find_doc_numbers,
    recognise_interpretation,
    same_doc_number,
)
from govaudit.store import Store

SITE = "http://www.example.gov.cn/"
DOC_BODY = (
    "第一条 为规范本市政府信息公开工作，保障公民、法人和其他组织依法获取政府信息，制定本办法。"
    "第二条 本办法适用于本市各级行政机关。第三条 行政机关应当建立健全政府信息公开工作制度，"
    "明确工作机构和人员，及时准确公开政府信息。第四条 本办法自发布之日起施行，有效期五年。"
)


def doc_page(url: str, title: str, published: str, *, number: str = "", column: str = "规范性文件",
             links: list[Link] | None = None, body: str = DOC_BODY, js_boxes: list[str] | None = None,
             headings: list[str] | None = None) -> PageFacts:
    return PageFacts(url=url, kind="article", title=title, published=published, published_source="visible",
                     column=column, doc_number=number, links=links or [], body_text=body,
                     js_boxes=js_boxes or [], headings=headings or [])


def jiedu_page(url: str, title: str, published: str, *, links: list[Link] | None = None, body: str = "",
               number: str = "", column: str = "政策解读") -> PageFacts:
    body = body or ("为便于社会公众理解，现就该文件的出台背景、主要内容和新旧政策差异解读如下。"
                    "一是明确了适用范围，二是细化了公开程序，三是压实了工作责任。")
    return PageFacts(url=url, kind="article", title=title, published=published, published_source="visible",
                     column=column, links=links or [], body_text=body, doc_number=number)


def run_check(tmp_path, pages: list[PageFacts], spec, *, as_of: date = date(2026, 11, 22),
              params: dict | None = None, site_config: dict | None = None):
    store = Store(tmp_path / "t.db")
    run_id = store.new_run(SITE, as_of=as_of.isoformat())
    for f in pages:
        store.save_fetch(run_id, Fetch(url=f.url, status=200), f)
    ctx = AuditContext(store, run_id, as_of=as_of, params=params, site_config=site_config)
    return list(spec(ctx))


# ---------------------------------------------------------------------------
# Recognition
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title,column,number",
    [
        ("清远市人民政府办公室关于印发《清远市政府信息公开办法》的通知", "通知公告", ""),
        ("关于加强城市道路管理的通知", "区政府文件", ""),
        ("关于加强城市道路管理的通知", "通知公告", "清政办发[2026]12号"),
        ("清远市城市道路挖掘管理办法（试行）", "", ""),
        ("关于促进民营经济发展的若干措施", "", ""),
    ],
)
def test_policy_documents_are_recognised_from_column_number_or_title(title, column, number):
    doc, reason = document_or_exemption(doc_page(f"{SITE}a.html", title, "2026-03-02", number=number, column=column))
    assert doc is not None and reason is None
    if number:
        assert doc.doc_number == "清政办发〔2026〕12号"


@pytest.mark.parametrize(
    "title,column,number,reason",
    [
        ("关于张三等同志职务任免的通知", "政府文件", "清府任〔2026〕3号", "任免"),
        ("2026年清远市事业单位公开招聘工作人员公告", "部门文件", "", "招聘"),
        ("清远市2025年政府信息公开工作年度报告", "政府文件", "", "报告"),
        ("拟提拔干部任前公示", "政府文件", "", "任免"),
    ],
)
def test_personnel_notices_and_reports_need_no_interpretation(title, column, number, reason):
    doc, why = document_or_exemption(doc_page(f"{SITE}a.html", title, "2026-03-02", number=number, column=column))
    assert doc is None and why == reason


def test_news_is_not_a_policy_document():
    doc, why = document_or_exemption(doc_page(f"{SITE}n.html", "我市召开政府常务会议研究部署优化营商环境措施",
                                              "2026-03-02", column="政务动态"))
    assert doc is None and why is None


def test_document_metadata_is_read_from_the_info_table():
    f = doc_page(f"{SITE}a.html", "关于加强城市道路管理的通知", "2026-03-05", column="")
    f.info_table = {"索引号": "1144/2026-00012", "文　　号": "清政办发（2026）012号", "发布机构": "清远市人民政府办公室",
                    "成文日期": "2026年03月01日", "发布日期": "2026-03-04"}
    doc, _ = document_or_exemption(f)
    assert doc is not None
    assert (doc.doc_number, doc.issuer, doc.written_date, doc.published) == (
        "清政办发〔2026〕12号", "清远市人民政府办公室", "2026-03-01", "2026-03-04")


def test_doc_numbers_in_all_bracket_shapes_compare_equal():
    assert find_doc_numbers("清政办发〔2026〕12号 清政办发[2026]12号 清政办发（2026）12号") == ["清政办发〔2026〕12号"]
    assert same_doc_number("国办发〔2016〕80号", find_doc_numbers("根据国办发〔2016〕80号")[0])
    assert not same_doc_number("清政办发〔2026〕12号", "清政发〔2026〕12号")


@pytest.mark.parametrize(
    "title,quoted",
    [
        ("《清远市政府信息公开办法》政策解读", "清远市政府信息公开办法"),
        ("关于《清远市政府信息公开办法》的解读", "清远市政府信息公开办法"),
        ("一图读懂《清远市政府信息公开办法》", "清远市政府信息公开办法"),
        ("市政务服务数据管理局负责人就《清远市政府信息公开办法》答记者问", "清远市政府信息公开办法"),
    ],
)
def test_interpretation_titles_are_recognised_with_the_named_document(title, quoted):
    i = recognise_interpretation(jiedu_page(f"{SITE}jd.html", title, "2026-03-03", column="通知公告"))
    assert i is not None and i.quoted_titles == [quoted]


def test_core_title_strips_the_issuing_wrapper():
    assert core_title("清远市人民政府关于印发《清远市政府信息公开办法（试行）》的通知") == "清远市政府信息公开办法"


# ---------------------------------------------------------------------------
# Matching routes
# ---------------------------------------------------------------------------

DOC_URL = f"{SITE}zwgk/gfxwj/202603/t20260302_1.html"
JD_URL = f"{SITE}zwgk/zcjd/202603/t20260303_2.html"
DOC_TITLE = "清远市人民政府办公室关于印发《清远市政府信息公开办法》的通知"


def _kinds(analysis, doc_url=DOC_URL):
    return [[e.kind for e in m.evidence] for m in analysis.matches_for(doc_url)]


def test_match_by_link_on_the_document_page_is_strongest():
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02", links=[Link(JD_URL, "政策解读", context="related")])
    jd = jiedu_page(JD_URL, "清远市政府信息公开工作情况说明", "2026-03-03")
    [m] = analyse([doc, jd]).matches_for(DOC_URL)
    assert m.interpretation_url == JD_URL and m.strength == 4 and m.evidence[0].kind == "doc_links_to_jiedu"


def test_match_by_link_back_from_the_interpretation():
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02")
    jd = jiedu_page(JD_URL, "政策问答", "2026-03-03", links=[Link(DOC_URL.replace("http:", "https:"), "原文链接",
                                                                      context="body")])
    [m] = analyse([doc, jd]).matches_for(DOC_URL)
    assert m.strength == 3 and m.has("jiedu_links_to_doc") and not m.has("doc_links_to_jiedu")


def test_match_by_doc_number_quoted_in_the_interpretation():
    doc = doc_page(DOC_URL, "关于加强城市道路管理的通知", "2026-03-02", number="清政办发〔2026〕12号")
    jd = jiedu_page(JD_URL, "城市道路管理新规解读", "2026-03-03",
                    body="近日，市政府办公室印发了（清政办发[2026]12号）文件，现解读如下。" * 3)
    [m] = analyse([doc, jd]).matches_for(DOC_URL)
    assert m.strength == 2 and m.evidence[0].detail == "清政办发〔2026〕12号"


def test_match_by_title_only_in_guillemets_picks_the_right_document():
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02")
    other_url = f"{SITE}zwgk/gfxwj/202603/t20260302_9.html"
    other = doc_page(other_url, "清远市人民政府关于印发《清远市政府信息公开办法实施细则》的通知", "2026-03-02")
    jd = jiedu_page(JD_URL, "《清远市政府信息公开办法》 政策解读", "2026-03-03")
    analysis = analyse([doc, other, jd])
    [m] = analysis.matches_for(DOC_URL)
    assert m.strength == 1 and m.evidence[0].similarity == pytest.approx(1.0)
    assert analysis.matches_for(other_url) == []


def test_unrelated_interpretation_does_not_match():
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02")
    jd = jiedu_page(JD_URL, "《清远市农村公路养护管理办法》政策解读", "2026-03-03")
    assert analyse([doc, jd]).matches_for(DOC_URL) == []


# ---------------------------------------------------------------------------
# GA301 missing
# ---------------------------------------------------------------------------


def test_document_without_interpretation_is_reported(tmp_path):
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02", number="清政办发〔2026〕12号")
    news = doc_page(f"{SITE}xwdt/1.html", "市领导调研政务公开工作", "2026-03-02", column="政务动态")
    [f] = run_check(tmp_path, [doc, news], missing_interpretation)
    assert f.url == DOC_URL and f.code == "GA301" and f.title == DOC_TITLE
    assert "未发布政策解读" in f.reason and f.severity == "medium"
    assert f.data["doc_number"] == "清政办发〔2026〕12号"
    assert any("80号" in b.document for b in f.basis) and f.remedy


def test_document_with_an_interpretation_anywhere_is_not_missing(tmp_path):
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02")
    jd = jiedu_page(JD_URL, "关于《清远市政府信息公开办法》的解读", "2026-03-03")
    assert run_check(tmp_path, [doc, jd], missing_interpretation) == []


def test_document_still_within_the_limit_is_not_missing_yet(tmp_path):
    # Fri 2026-11-20 + 3 working days = Wed 11-25; audit on Sun 11-22
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-11-20")
    assert run_check(tmp_path, [doc], missing_interpretation, as_of=date(2026, 11, 22)) == []
    assert len(run_check(tmp_path, [doc], missing_interpretation, as_of=date(2026, 11, 26))) == 1


def test_documents_before_the_2016_rule_are_not_checked(tmp_path):
    doc = doc_page(DOC_URL, DOC_TITLE, "2015-06-01")
    assert run_check(tmp_path, [doc], missing_interpretation) == []


def test_js_relation_box_is_not_evidence_of_absence(tmp_path):
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02", js_boxes=["相关解读"])
    jd = jiedu_page(JD_URL, "《清远市政府信息公开办法》政策解读", "2026-03-03")
    # found elsewhere (by title): no missing finding
    assert run_check(tmp_path, [doc, jd], missing_interpretation) == []
    # found nowhere: low severity, asks for manual confirmation
    [f] = run_check(tmp_path, [doc], missing_interpretation)
    assert f.severity == "low" and f.data["needs_manual_confirmation"] is True
    assert "相关解读" in f.reason and "人工确认" in f.reason


# ---------------------------------------------------------------------------
# GA302 late
# ---------------------------------------------------------------------------


def _pair(doc_date: str, jd_date: str) -> list[PageFacts]:
    return [doc_page(DOC_URL, DOC_TITLE, doc_date, links=[Link(JD_URL, "政策解读", context="related")]),
            jiedu_page(JD_URL, "《清远市政府信息公开办法》政策解读", jd_date, links=[Link(DOC_URL, "原文", context="body")])]


def test_interpretation_across_national_day_is_on_time_in_working_days(tmp_path):
    # 2025-09-30 -> 2025-10-13: 13 calendar days, but 10-01..08 are holidays and 10-11 is a make-up
    # Saturday: working days 10-09, 10-10, 10-11 = 3 -> on time with N = 3.
    assert run_check(tmp_path, _pair("2025-09-30", "2025-10-11"), late_interpretation) == []


def test_interpretation_exactly_at_the_limit_is_on_time_and_one_more_day_is_late(tmp_path):
    # Mon 2026-03-02 -> Thu 03-05 = 3 working days (on time); Fri 03-06 = 4 (late)
    assert run_check(tmp_path, _pair("2026-03-02", "2026-03-05"), late_interpretation) == []
    [f] = run_check(tmp_path, _pair("2026-03-02", "2026-03-06"), late_interpretation)
    assert f.url == DOC_URL and f.code == "GA302"
    assert (f.data["interpretation_url"], f.data["document_date"], f.data["interpretation_date"]) == (
        JD_URL, "2026-03-02", "2026-03-06")
    assert (f.data["working_days"], f.data["limit"]) == (4, 3)
    assert "4个工作日" in f.reason


def test_late_across_national_day_counts_the_make_up_saturday(tmp_path):
    # 2025-09-30 -> 2025-10-13 (Mon): 10-09, 10-10, 10-11, 10-13 = 4 working days
    [f] = run_check(tmp_path, _pair("2025-09-30", "2025-10-13"), late_interpretation)
    assert f.data["working_days"] == 4


def test_plan_limit_overrides_the_default(tmp_path):
    # 攀枝花-type plan: 10 working days
    assert run_check(tmp_path, _pair("2026-03-02", "2026-03-06"), late_interpretation,
                     params={"interpretation_working_days": 10}) == []
    # same-time rule: 0
    [f] = run_check(tmp_path, _pair("2026-03-02", "2026-03-03"), late_interpretation,
                    params={"interpretation_working_days": 0})
    assert f.data["working_days"] == 1


def test_site_config_holidays_extend_the_calendar(tmp_path):
    # Mon 03-02 -> Fri 03-06 is 4 working days; a local day off on 03-04 makes it 3 -> on time
    assert run_check(tmp_path, _pair("2026-03-02", "2026-03-06"), late_interpretation,
                     site_config={"holidays": ["2026-03-04"]}) == []


# ---------------------------------------------------------------------------
# GA303 unlinked
# ---------------------------------------------------------------------------


def test_interpretation_matched_by_title_without_links_is_unlinked_both_ways(tmp_path):
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02")
    jd = jiedu_page(JD_URL, "关于《清远市政府信息公开办法》的解读", "2026-03-03")
    [f] = run_check(tmp_path, [doc, jd], unlinked_interpretation)
    assert f.url == DOC_URL and f.data["interpretation_url"] == JD_URL
    assert f.data["missing_directions"] == ["document_to_interpretation", "interpretation_to_document"]
    assert "文件页未链接解读" in f.reason and "解读页未链接原文件" in f.reason


def test_one_way_link_reports_the_missing_direction(tmp_path):
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02", links=[Link(JD_URL, "相关解读", context="related")])
    jd = jiedu_page(JD_URL, "关于《清远市政府信息公开办法》的解读", "2026-03-03")
    [f] = run_check(tmp_path, [doc, jd], unlinked_interpretation)
    assert f.data["missing_directions"] == ["interpretation_to_document"]
    assert run_check(tmp_path, _pair("2026-03-02", "2026-03-03"), unlinked_interpretation) == []


# ---------------------------------------------------------------------------
# GA304 formal
# ---------------------------------------------------------------------------


def test_interpretation_that_copies_the_document_is_formal(tmp_path):
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02")
    copied = "《清远市政府信息公开办法》解读：" + DOC_BODY[:150]
    jd = jiedu_page(JD_URL, "《清远市政府信息公开办法》政策解读", "2026-03-03", body=copied)
    [f] = run_check(tmp_path, [doc, jd], formal_interpretation)
    assert f.url == JD_URL and f.code == "GA304" and f.data["copy_share"] >= 0.8
    assert f.data["document_url"] == DOC_URL and f"{f.data['copy_share']:.0%}" in f.reason


def test_interpretation_in_its_own_words_is_not_formal(tmp_path):
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02")
    jd = jiedu_page(JD_URL, "《清远市政府信息公开办法》政策解读", "2026-03-03")
    assert run_check(tmp_path, [doc, jd], formal_interpretation) == []
    share = copy_share(jd.body_text, DOC_BODY)
    assert share < 0.3


def test_copy_share_threshold_is_a_parameter(tmp_path):
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02")
    half = "本办法出台背景是落实国家要求，主要变化有以下几点，请公众知悉并监督执行。" + DOC_BODY[:40]
    jd = jiedu_page(JD_URL, "《清远市政府信息公开办法》政策解读", "2026-03-03", body=half)
    share = copy_share(half, DOC_BODY)
    assert 0.2 < share < 0.8
    assert run_check(tmp_path, [doc, jd], formal_interpretation) == []
    assert len(run_check(tmp_path, [doc, jd], formal_interpretation,
                         params={"interpretation_copy_share": 0.2})) == 1


# ---------------------------------------------------------------------------
# Recognition edge cases
# ---------------------------------------------------------------------------


def test_a_document_about_interpretation_work_is_not_itself_a_jiedu():
    f = doc_page(f"{SITE}a.html", "关于进一步做好政策解读工作的通知", "2026-03-02", number="清政办发〔2026〕7号")
    assert recognise_interpretation(f) is None


@pytest.mark.parametrize(
    "title,column,reason",
    [
        ("国务院关于印发《新时代政务公开工作意见》的通知", "上级文件", "上级文件"),
        ("清远市人民政府办公室关于转发省政府办公厅关于加强政务公开工作的通知", "政府文件", "转发"),
    ],
)
def test_documents_drafted_elsewhere_are_exempt(title, column, reason):
    doc, why = document_or_exemption(doc_page(f"{SITE}a.html", title, "2026-03-02", column=column))
    assert doc is None and why == reason


def test_a_crawled_page_the_document_links_as_its_jiedu_is_taken_as_one():
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02",
                   links=[Link(f"{SITE}xwdt/3.html", "《清远市政府信息公开办法》政策解读", context="body")])
    plain = PageFacts(url=f"{SITE}xwdt/3.html", kind="article", title="市政府出台政府信息公开办法",
                      published="2026-03-10", column="政务动态")
    analysis = analyse([doc, plain])
    [m] = analysis.matches_for(DOC_URL)
    interp = analysis.interpretation(m.interpretation_url)
    assert interp is not None and interp.crawled and interp.published == "2026-03-10"


def test_an_uncrawled_jiedu_link_is_dated_by_its_address():
    target = "https://www.example.gov.cn/jdhy/zcjd/202201/t20220128_30293.htm"
    doc = doc_page(DOC_URL, DOC_TITLE, "2021-12-31", links=[Link(target, "《清远市政府信息公开办法》政策解读",
                                                                  context="body")])
    analysis = analyse([doc])
    [m] = analysis.matches_for(DOC_URL)
    interp = analysis.interpretation(target)
    assert m.has("doc_links_to_jiedu") and not interp.crawled
    assert (interp.published, interp.published_source) == ("2022-01-28", "url")


def test_link_to_the_jiedu_column_is_not_a_jiedu():
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-03-02",
                   links=[Link(f"{SITE}zwgk/zcjd/", "政策解读", context="body")])
    assert analyse([doc]).matches_for(DOC_URL) == []


def test_late_jiedu_known_only_from_a_link_is_low_severity(tmp_path):
    target = "https://www.example.gov.cn/jdhy/zcjd/202201/t20220128_30293.htm"
    doc = doc_page(DOC_URL, DOC_TITLE, "2021-12-31", links=[Link(target, "《清远市政府信息公开办法》政策解读",
                                                                  context="body")])
    [f] = run_check(tmp_path, [doc], late_interpretation)
    assert f.severity == "low" and f.data["interpretation_date_source"] == "url"
    # 2021-12-31 -> 2022-01-28: 2022-01-03 is a holiday (元旦) so January has 19 working days up to the 28th
    assert f.data["working_days"] == 19 and "人工核实" in f.reason
    assert run_check(tmp_path, [doc], missing_interpretation) == []
    assert run_check(tmp_path, [doc], unlinked_interpretation) == []


def test_a_road_closure_notice_in_a_notice_column_is_not_a_policy_document():
    doc, why = document_or_exemption(doc_page(f"{SITE}a.html", "关于环城路部分路段临时交通管制的通告", "2026-03-02",
                                              column="通知公告"))
    assert doc is None and why is None


# ---------------------------------------------------------------------------
# Years the official calendar does not know
# ---------------------------------------------------------------------------


def test_missing_is_still_decided_when_the_gap_is_long_beyond_the_known_calendar(tmp_path):
    # 2026-12-01 -> 2027-03-01: 90 calendar days, far more than 3 working days whatever 2027's holidays are
    doc = doc_page(DOC_URL, DOC_TITLE, "2026-12-01")
    [f] = run_check(tmp_path, [doc], missing_interpretation, as_of=date(2027, 3, 1))
    assert f.url == DOC_URL


def test_late_is_not_guessed_for_a_short_gap_in_an_unknown_year(tmp_path, caplog):
    # 2026-12-30 -> 2027-01-06: 7 calendar days, working days depend on 2027's 元旦 schedule: no finding, a warning
    assert run_check(tmp_path, _pair("2026-12-30", "2027-01-06"), late_interpretation, as_of=date(2027, 3, 1)) == []
    assert "2027" in caplog.text
    # with the year's days supplied by the site config the count is exact: 12-31, 01-04, 01-05, 01-06 = 4
    [f] = run_check(tmp_path, _pair("2026-12-30", "2027-01-06"), late_interpretation, as_of=date(2027, 3, 1),
                    site_config={"holidays": ["2027-01-01"]})
    assert f.data["working_days"] == 4


def test_a_column_page_of_a_document_column_is_not_a_document():
    empty_listing = PageFacts(url=f"{SITE}zwgk/gfxwj/", kind="other", title="规范性文件", column="规范性文件",
                              empty_notice=True)
    assert document_or_exemption(empty_listing) == (None, None)
