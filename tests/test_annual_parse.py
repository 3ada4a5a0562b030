"""Reading real 政府信息公开工作年度报告: sections, tables, arithmetic, cross-year."""

from __future__ import annotations

from pathlib import Path

import pytest

from govaudit.annual import (
    AnnualReport,
    build_report,
    check_arithmetic,
    cross_year,
    parse_html,
    parse_text,
    report_from_facts,
    split_run,
    text_similarity,
)
from govaudit.models import PageFacts

REAL = Path(__file__).parent / "data" / "realpages" / "annual_reports"
SIX = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
       "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def _load(name: str) -> AnnualReport:
    path = REAL / name
    if path.suffix == ".txt":
        return parse_text(path.read_text(encoding="utf-8"))
    return parse_html(path.read_text(encoding="utf-8"), url=name)


@pytest.fixture(scope="module")
def pt() -> dict[int, AnnualReport]:
    return {
        2023: _load("pingtan_2023_annual_report.txt"),
        2024: _load("pingtan_2024_annual_report.html"),
        2025: _load("pingtan_2025_annual_report.txt"),
    }


def test_pingtan_2024_html_full_tables(pt):
    r = pt[2024]
    assert r.title == "平潭综合实验区2024年度政府信息公开工作年度报告"
    assert (r.year, r.owner, r.published) == (2024, "平潭综合实验区", "2025-03-10")
    assert r.sections == SIX and r.tables_found == ["二", "三", "四"]
    assert r.table2["normative"] == [62, 33, 440]
    assert r.table2["licensing"] == [4529] and r.table2["fees"] == [18651.06]
    assert r.table3["new"] == [217, 1, 0, 0, 0, 0, 218]
    assert r.table3["deny_5"] == [32, 0, 0, 0, 0, 0, 32]
    assert r.table3["unable_1"] == [75, 0, 0, 0, 0, 0, 75]
    assert r.table3["other_3"] == [1, 1, 0, 0, 0, 0, 2]
    assert r.table3["total"] == [217, 1, 0, 0, 0, 0, 218]
    assert r.table3["carry_next"] == [0] * 7
    assert r.table4 == [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]
    assert check_arithmetic(r) == []


def test_flattened_text_reads_same_numbers_as_html(pt):
    flat = _load("pingtan_2024_annual_report.txt")
    assert flat.published == "2025-03-10"
    assert flat.table3 == pt[2024].table3
    assert flat.table4 == pt[2024].table4
    # 6233440: 制发 62 is stated in the prose; 废止/现行有效 cannot be told apart
    assert flat.table2["normative"] == [62, None, None]
    assert [62, 33, 440] in flat.table2_candidates["normative"]


def test_flattened_ambiguous_rows_resolved_by_column_sums(pt):
    r = pt[2023]
    # 220000022 could be 22|0… or 2|20|…; only 22 and 19+1 make the 商业企业 column add up
    assert r.table3["open"] == [22, 0, 0, 0, 0, 0, 22]
    assert r.table3["partial"] == [19, 1, 0, 0, 0, 0, 20]
    assert r.table3["new"] == [80, 1, 0, 0, 0, 0, 81]
    assert r.table4 == [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]
    assert check_arithmetic(r) == []


def test_pingtan_2025_nonzero_carry_over(pt):
    r = pt[2025]
    assert r.published == "2026-03-10" and r.sections == SIX
    assert r.table3["new"] == [151, 3, 0, 0, 0, 0, 154]
    assert r.table3["unable_1"] == [49, 1, 0, 0, 0, 0, 50]
    assert r.table3["total"] == [147, 1, 0, 0, 0, 0, 148]
    assert r.table3["carry_next"] == [4, 2, 0, 0, 0, 0, 6]
    assert r.table4 == [25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3]
    assert check_arithmetic(r) == []


def test_cross_year_carry_over_and_valid_count(pt):
    for a, b in ((2023, 2024), (2024, 2025)):
        issues = cross_year(pt[a], pt[b])
        assert not [i for i in issues if i.rule == "carried_over"]
        # real inconsistency: no reading of the concatenated 规范性文件 row makes 现行有效 carry on
        valid = [i for i in issues if i.rule == "valid_count"]
        assert len(valid) == 1 and valid[0].row == "行政规范性文件"
    # a next report that does not carry the 6 pending applications over is caught
    nxt = AnnualReport(year=2026, table3={"carried": [4, 0, 0, 0, 0, 0, 4]})
    issues = cross_year(pt[2025], nxt)
    assert {(i.column, i.expected, i.actual) for i in issues} == {("自然人", 4, 4), ("商业企业", 2, 0),
                                                                ("总计", 6, 4)} - {("自然人", 4, 4)}


def test_valid_count_exact_tables():
    prev = AnnualReport(year=2023, table2_format="2021", table2={"normative": [5, 1, 100]})
    ok = AnnualReport(year=2024, table2_format="2021", table2={"normative": [10, 2, 108]})
    bad = AnnualReport(year=2024, table2_format="2021", table2={"normative": [10, 2, 120]})
    assert cross_year(prev, ok) == []
    (issue,) = cross_year(prev, bad)
    assert (issue.expected, issue.actual) == (108, 120)


def test_shuyang_fgj_word_tables_blank_legal_person_cells():
    r = _load("shuyang_fgj_2023_annual_report.html")
    assert (r.year, r.owner, r.published) == (2023, "沭阳县发展和改革局", "2024-01-17")
    assert r.sections == SIX
    assert r.table2["normative"] == [8, 0, 18]
    assert r.table3["new"] == [26, None, None, None, None, None, 26]
    assert r.table3["total"] == [26, None, None, None, None, None, 26]
    assert r.table4 == [0, 0, 0, 1, 1] + [0] * 10
    assert check_arithmetic(r) == []  # blank cells count as 0


def test_shuyang_county_markdown_garbled_header():
    r = _load("shuyang_county_2025_annual_report.txt")
    assert r.year == 2025 and r.published == "2026-01-23"
    assert r.sections == SIX  # 六、 heading is plain text there
    assert r.table2["normative"] == [6, 1, 32] and r.table2["penalty"] == [693957]
    assert r.table3["new"] == [705, 3, 0, 0, 5, 0, 713]
    assert r.table3["carried"] == [36, 0, 0, 0, 0, 0, 36]
    assert r.table3["other_2"] == [7, 0, 0, 0, 0, 0, 7]  # the row after the garbled header row
    assert r.table3["total"] == [710, 3, 0, 0, 5, 0, 718]
    assert r.table3["carry_next"] == [31, 0, 0, 0, 0, 0, 31]
    assert r.table4 == [27, 10, 9, 15, 61, 3, 0, 0, 0, 3, 8, 0, 1, 1, 10]
    assert check_arithmetic(r) == []


def _sample(new=(5, 0, 0, 0, 0, 0, 5), carried=(0,) * 7, open_=(3, 0, 0, 0, 0, 0, 3),
            total=(5, 0, 0, 0, 0, 0, 5), nxt=(0,) * 7, t4="1 0 0 0 1 0 0 0 0 0 0 0 0 0 0") -> str:
    def row(v):
        return " ".join(str(x) for x in v)
    return (
        "一、总体情况 概述。二、主动公开政府信息情况 第二十条第（一）项 规章 0 0 0\n"
        "三、收到和处理政府信息公开申请情况\n"
        f"一、本年新收政府信息公开申请数量 {row(new)}\n二、上年结转政府信息公开申请数量 {row(carried)}\n"
        f"（一）予以公开 {row(open_)}\n（二）部分公开 2 0 0 0 0 0 2\n"
        f"（七）总计 {row(total)}\n四、结转下年度继续办理 {row(nxt)}\n"
        f"四、政府信息公开行政复议、行政诉讼情况\n{t4}\n五、存在的主要问题及改进情况 无。六、其他需要报告的事项 无。"
    )


def test_arithmetic_errors_are_reported():
    assert check_arithmetic(parse_text(_sample())) == []
    rules = {i.rule for i in check_arithmetic(parse_text(_sample(new=(5, 1, 0, 0, 0, 0, 5))))}
    assert "row_total" in rules
    issues = check_arithmetic(parse_text(_sample(nxt=(1, 0, 0, 0, 0, 0, 1))))
    assert {(i.rule, i.column) for i in issues} >= {("balance", "总计"), ("balance", "自然人")}
    issues = check_arithmetic(parse_text(_sample(open_=(4, 0, 0, 0, 0, 0, 4))))
    assert [(i.rule, i.column, i.expected, i.actual) for i in issues if i.column == "总计"] == [
        ("result_total", "总计", 6, 5)]
    issues = check_arithmetic(parse_text(_sample(t4="1 0 0 0 2 0 0 0 0 0 0 0 0 0 0")))
    assert [(i.rule, i.row) for i in issues] == [("review_total", "行政复议")]


def test_split_run_and_unsplittable_row_is_unread_not_guessed():
    assert split_run("4910000050", 7, lambda v: sum(v[:6]) == v[6]) == []
    assert split_run("491000050", 7, lambda v: sum(v[:6]) == v[6]) == [[49, 1, 0, 0, 0, 0, 50]]
    r = parse_text("三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量5100007 二、上年结转")
    assert "new" not in r.table3 and any("5100007" in n for n in r.notes)


def test_report_from_facts_uses_tables():
    html = (REAL / "pingtan_2024_annual_report.html").read_text(encoding="utf-8")
    ref = parse_html(html)
    facts = PageFacts(url="u", kind="article", title=ref.title, published="2025-03-10",
                      body_text=ref.text.replace("|", " "), tables=[[["第二十条第（一）项"], ["行政规范性文件", "62", "33", "440"]],
                                                  [["一、本年新收政府信息公开申请数量", "1", "", "", "", "", "", "1"],
                                                   ["（七）总计", "1", "", "", "", "", "", "1"]]])
    r = report_from_facts(facts)
    assert r.year == 2024 and r.table2["normative"] == [62, 33, 440]
    assert r.table3["new"] == [1, None, None, None, None, None, 1]  # from facts.tables, not the text
    assert r.table4 == ref.table4  # no table 四 in facts.tables: read from the text


def test_similarity_masks_numbers_and_ignores_tables(pt):
    assert text_similarity(pt[2025].prose, pt[2024].prose) < 0.5
    copied = pt[2024].prose.replace("2024", "2025").replace("218", "300")
    assert text_similarity(copied, pt[2024].prose) > 0.95
    r = build_report("一、总体情况 " + "甲乙丙丁戊己庚辛壬癸" * 3)
    assert r.prose and text_similarity(r.prose, "") == 0.0


def test_module_examples_run():
    import doctest

    import govaudit.annual as annual

    result = doctest.testmod(annual)
    assert result.attempted >= 10 and result.failed == 0


def test_unread_item_row_does_not_fake_a_total_error():
    seven = (7, 0, 0, 0, 0, 0, 7)
    text = _sample(new=seven, total=seven).replace(
        "（二）部分公开 2 0 0 0 0 0 2\n",
        "（二）部分公开 2 0 0 0 0 0 2\n（三）不予公开 1.属于国家秘密 0 0 0 0 0 0 0\n"
        "2.其他法律行政法规禁止公开2000003\n")  # a garbled row: no split adds up
    r = parse_text(text)
    assert "deny_1" in r.table3 and "deny_2" not in r.table3
    assert [i for i in check_arithmetic(r) if i.rule == "result_total"] == []
