"""The plan importer on the five real plans in tests/data/plans/ (see README.md there)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from govaudit.models import Basis, Finding
from govaudit.plan import Plan, PlanError, import_plan, load_plan, load_rules, map_text, split_units

PLANS = Path(__file__).parent / "data" / "plans"
BAICHENG = PLANS / "000_d95fd244d5190ee7.txt"  # prose, units in （…牵头落实）
PANZHIHUA = PLANS / "001_29682c494441ef65.txt"  # table flattened to tab rows, shifted cells
LINYI = PLANS / "002_1116ba29eb660e83.txt"  # prose sections, numbering restarts, no units
JINING = PLANS / "003_9abcec7f1ff66f74.txt"  # table flattened one cell per line
PANYU = PLANS / "004_9359abd056588d5d.txt"  # numbered tasks each followed by a unit paragraph


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {p.name[:3]: import_plan(p) for p in (BAICHENG, PANZHIHUA, LINYI, JINING, PANYU)}


# --- 白城: 17 tasks, units in （…牵头落实） ------------------------------------------


def test_baicheng_has_17_numbered_tasks_in_order(plans):
    plan = plans["000"]
    assert [it.clause for it in plan.items] == [str(n) for n in range(1, 18)]
    assert plan.year == 2021
    assert plan.title == "吉林白城工业园区2021年政务公开重点工作任务分工方案"


def test_baicheng_units_come_from_the_closing_note(plans):
    plan = plans["000"]
    assert plan.item("1").units == ["管委会办公室"]
    assert plan.item("4").units == ["相关各部门", "城南办事处"]
    assert plan.item("8").units == ["环保分局"]
    assert plan.item("9").units == ["园区财政局"]
    # the note is moved to units, not left in the text
    assert plan.item("1").text.startswith("做好法定公开内容日常维护")
    assert "牵头落实" not in plan.item("1").text


def test_baicheng_mapping(plans):
    plan = plans["000"]
    assert "broken_link" in plan.item("1").checks  # 杜绝错链、断链
    assert {"stale_column", "empty_column"} <= set(plan.item("1").checks)  # 专栏的日常检查、维护和更新
    assert "missing_interpretation" in plan.item("3").checks  # 原文和解读稿件同步审核、同步发布
    assert plan.item("13").checks  # 专栏建设保障情况开展专项检查
    assert plan.item("9").manual and plan.item("9").checks == []  # 财政资金: no automatic check
    assert plan.manual_items() and all(not it.checks for it in plan.manual_items())


# --- 番禺: 50 tasks, unit paragraph after each ------------------------------------------


def test_panyu_has_50_tasks_and_issuer(plans):
    plan = plans["004"]
    assert [it.clause for it in plan.items] == [str(n) for n in range(1, 51)]
    assert plan.title == "番禺区2021年政务公开工作要点分工方案"
    assert plan.issuer == "广州市番禺区人民政府办公室"
    assert plan.year == 2021


def test_panyu_units_from_the_paragraph_after_each_task(plans):
    plan = plans["004"]
    assert plan.item("31").units == ["区政务服务数据管理局"]
    assert plan.item("20").units == ["区政务服务数据管理局", "区城市运行指挥中心", "各有关单位", "各镇(街)"]
    assert plan.item("9").units == ["区财政局", "区民政局", "区农业农村局", "各镇(街)"]
    assert plan.item("45").units == ["区委编办(区绩效办)", "区政府办"]
    assert "区委宣传部" in plan.item("11").units and "区卫生健康局" in plan.item("11").units
    # task 16 has no unit paragraph of its own (merged cell): same as task 15
    assert plan.item("16").units == plan.item("15").units == ["各有关单位", "各镇(街)"]


def test_panyu_mapping_due_and_no_page_chrome(plans):
    plan = plans["004"]
    assert "annual_report_format" in plan.item("42").checks  # 年度报告格式, 国办公开办函〔2019〕60号
    assert {"broken_link", "empty_column", "stale_column"} <= set(plan.item("31").checks)  # 专栏专项检查
    assert plan.item("33").due == "2021年底前"  # IPv6
    assert plan.item("33").manual
    assert "扫一扫" not in plan.item("50").text and "穗好办" not in plan.item("50").text


# --- 攀枝花: flattened table, shifted and empty cells --------------------------------


def test_panzhihua_parameters(plans):
    plan = plans["001"]
    assert plan.params()["interpretation_working_days"] == 10  # row 109
    assert plan.params()["annual_report_due_government"] == "03-31"  # row 125
    assert plan.item("109").params == {"interpretation_working_days": 10}
    assert {"missing_interpretation", "late_interpretation"} <= set(plan.item("109").checks)
    assert {"missing_annual_report", "late_annual_report"} <= set(plan.item("125").checks)
    assert "guide_incomplete" in plan.item("134").checks  # 指南: 单位名称、地址、咨询电话…


def test_panzhihua_rows_and_cells(plans):
    plan = plans["001"]
    clauses = [it.clause for it in plan.items]
    assert clauses[0] == "1" and clauses[-1] == "134"
    assert "123" not in clauses  # not in the copy
    assert "40" not in clauses  # an empty row
    assert len(clauses) == 132
    # a unit cell broken by spaces (PDF copy): 人 民银行攀枝花中心 支行
    assert plan.item("1").units == ["市发展改革委", "人力资源和社会保障局", "财政局", "金融办", "人民银行攀枝花中心支行"]
    # rows 1-6 carry their 具体要求 in the unnumbered rows below (shifted cells)
    assert plan.item("4").text.startswith("按月公开财政收支情况")
    assert plan.item("4").units == ["市财政局"]
    assert plan.item("4").due == "每月、每季度后20日内完成"
    # empty cell = same as above
    assert plan.item("2").units == plan.item("1").units
    assert plan.item("8").due == "2017年7月底前"
    assert plan.item("134").units == ["各县（区）人民政府", "市级各部门"]


# --- 临沂: prose sections, numbering restarts, no units --------------------------------


def test_linyi_interpretation_three_working_days(plans):
    plan = plans["002"]
    assert plan.params() == {"interpretation_working_days": 3}
    item = plan.item("（二）3")  # 3.解读回应工作机制 under （二）
    assert item.text.startswith("解读回应工作机制")
    assert {"missing_interpretation", "late_interpretation"} <= set(item.checks)
    # 1个工作日内进行公开和解读 (常务会议议定事项) is not the 解读 limit
    assert "interpretation_working_days" not in plan.item("（二）2").params


def test_linyi_clauses_are_unique_and_without_units(plans):
    plan = plans["002"]
    clauses = [it.clause for it in plan.items]
    assert clauses == ["（一）1", "（一）2"] + [f"（二）{n}" for n in range(1, 7)] + [f"（三）{n}" for n in range(1, 4)]
    assert all(it.units == [] for it in plan.items)
    assert plan.year == 2022


# --- 济宁: one cell per line, blank = same as above -----------------------------------


def test_jining_table_rows(plans):
    plan = plans["003"]
    assert len(plan.items) == 42
    assert plan.title == "2023年济宁高新区政务公开重点工作任务分解表"
    assert plan.issuer == "济宁高新区管委会办公室"
    first = plan.item("（一）1")
    assert first.text == "加强改善生态环境质量信息公开。"
    assert first.units == ["区生态环境分局", "区直各部门", "驻区各单位", "各街道"]
    assert first.due == "12月底前"
    # blank 牵头部门 / 责任单位 cells: same as the row above
    assert plan.item("（二）3").units == ["区发展软环境保障局", "各街道"]
    assert plan.item("（二）3").due == "11月底前"
    assert "broken_link" in plan.item("（三）1").checks  # 规范政府信息公开专栏建设
    assert "missing_interpretation" in plan.item("（四）2").checks  # 解读“三同步”
    assert plan.item("（十三）3").units[0] == "区自然资源和规划分局"


# --- the rule table -------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("杜绝错链、断链和内容混杂", {"broken_link"}),
    ("每月开展链接巡查", {"broken_link"}),
    ("及时清理空白栏目", {"stale_column", "empty_column"}),
    ("针对“空壳”等问题有序开展清理整合", {"stale_column", "empty_column"}),
    ("做好政府门户网站相关专栏的更新维护", {"stale_column", "empty_column"}),
    ("解读材料于文件公开后10个工作日内发布", {"missing_interpretation", "late_interpretation"}),
    ("于每年3月31日前公布政府信息公开年度报告", {"missing_annual_report", "late_annual_report"}),
    ("规范政府信息公开工作年度报告格式和内容", {"annual_report_format"}),
    ("在网站显著位置发布政府信息公开指南", {"guide_incomplete"}),
    ("强化权责清单、办事指南等信息的调整更新", set()),  # 办事指南 is not the 公开指南; 清单更新 is no column
    ("以事项目录超链接方式归集展示决策草案", set()),
    ("加强政策解读", set()),  # 解读 without a time limit or 同步: no check
])
def test_rule_table_maps_wording_to_checks(text, expected):
    checks, _ = map_text(text)
    assert set(checks) == expected


@pytest.mark.parametrize("text, params", [
    ("相关解读材料要于文件公布后三个工作日内主动发布", {"interpretation_working_days": 3}),
    ("解读材料应于文件公开后１０个工作日内提交", {"interpretation_working_days": 10}),
    ("政府部门于每年1月31日前向社会公布本部门政府信息公开工作年度报告", {"annual_report_due_department": "01-31"}),
    ("各级人民政府于每年3月31日前公布年度报告", {"annual_report_due_government": "03-31"}),
])
def test_rule_table_parameters(text, params):
    assert map_text(text)[1] == params


def test_rule_table_names_only_known_checks():
    rules = load_rules()
    fixed = {"broken_link", "empty_column", "stale_column", "missing_interpretation", "late_interpretation",
             "missing_annual_report", "late_annual_report", "annual_report_format", "guide_incomplete"}
    used = {c for r in rules["rule"] for c in r["checks"]}
    assert used <= set(rules["known_checks"]) and used == fixed


def test_rule_table_typo_is_reported(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text('known_checks = ["broken_link"]\n[[rule]]\nid = "x"\nany = ["链接"]\nchecks = ["broken_lnk"]\n',
                   encoding="utf-8")
    with pytest.raises(ValueError, match="broken_lnk"):
        load_rules(bad)


def test_split_units_keeps_names_as_written():
    assert split_units("区委编办(区绩效办)牵头办理,区政府办配合。") == ["区委编办(区绩效办)", "区政府办"]
    assert split_units("各县(区)人民政府， 市级各部门负责落实") == ["各县(区)人民政府", "市级各部门"]
    assert split_units("区司法局会同区政府办、各有关单位、各镇(街)办理") == ["区司法局", "区政府办", "各有关单位", "各镇(街)"]


# --- round trip and use by the checks ----------------------------------------------------


@pytest.mark.parametrize("path", [BAICHENG, PANZHIHUA, LINYI, JINING, PANYU], ids=lambda p: p.name[:3])
def test_round_trip_yaml_and_json(plans, path, tmp_path):
    plan = plans[path.name[:3]]
    y = tmp_path / "plan.yaml"
    y.write_text(plan.to_yaml(), encoding="utf-8")
    assert load_plan(y) == plan
    j = tmp_path / "plan.json"
    j.write_text(plan.to_json(), encoding="utf-8")
    assert load_plan(j) == plan
    assert "\\u" not in y.read_text(encoding="utf-8")  # readable: Chinese as written


def test_edited_yaml_is_what_the_audit_uses(plans, tmp_path):
    text = plans["002"].to_yaml().replace("interpretation_working_days: 3", "interpretation_working_days: 5")
    y = tmp_path / "plan.yaml"
    y.write_text(text, encoding="utf-8")
    assert load_plan(y).params()["interpretation_working_days"] == 5


def test_json_form(plans):
    d = plans["004"].to_dict()
    assert set(d) == {"title", "issuer", "year", "items"}
    assert d["items"][30] == {
        "clause": "31",
        "text": "对政府网站的政府信息公开专栏建设情况开展专项检查,未按要求完成的,依据有关规定督促整改、通报批评。",
        "units": ["区政务服务数据管理局"], "due": None,
        "checks": ["broken_link", "empty_column", "stale_column"], "params": {}, "manual": False,
    }


def test_findings_cite_the_plan_clause_and_its_units(plans):
    from checks import apply_plan_and_units

    plan = plans["004"]
    ctx = SimpleNamespace(plan=plan, site_config={})
    f = Finding(check="annual_report_format", code="GA4xx", url="http://x.gov.cn/ndbg/", reason="格式不规范",
                basis=[Basis("国办公开办函〔2019〕60号")])
    apply_plan_and_units(ctx, [f])
    assert f.basis[0].document == "番禺区2021年政务公开工作要点分工方案"
    assert f.basis[0].clause == "42"
    assert f.units == ["各有关单位", "各镇(街)", "区政府办"]


def test_no_numbered_tasks_is_an_error(tmp_path):
    p = tmp_path / "notice.txt"
    p.write_text("关于做好政务公开工作的通知\n\n各单位要高度重视政务公开工作，认真抓好落实。\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"notice\.txt: no numbered tasks"):
        import_plan(p)


def test_month_end_due_date():
    assert map_text("各级人民政府于每年3月底前公布政府信息公开工作年度报告")[1] == {"annual_report_due_government": "03-31"}


def test_two_annual_report_dates_in_one_task():
    text = "县直各部门于每年1月31日前公布本部门政府信息公开工作年度报告；县人民政府于每年3月31日前公布本级政府信息公开工作年度报告。"
    assert map_text(text)[1] == {"annual_report_due_department": "01-31", "annual_report_due_government": "03-31"}


def test_demo_plan():
    """The bundled demo plan (番禺 shape) for the fictional 示范县: every plan-driven check is named."""
    import govaudit

    plan = import_plan(Path(govaudit.__file__).parent / "demo" / "assets" / "demo_plan.txt")
    assert plan.title == "示范县2026年政务公开工作要点分工方案"
    assert plan.issuer == "示范县人民政府办公室" and plan.year == 2026
    assert [it.clause for it in plan.items] == [str(n) for n in range(1, 11)]
    assert plan.params() == {"interpretation_working_days": 5, "annual_report_due_department": "01-31",
                             "annual_report_due_government": "03-31"}
    assert [it.clause for it in plan.items_for_check("broken_link")] == ["1"]
    assert [it.clause for it in plan.items_for_check("empty_column")] == ["2"]
    assert [it.clause for it in plan.items_for_check("guide_incomplete")] == ["3"]
    assert [it.clause for it in plan.items_for_check("late_interpretation")] == ["4"]
    assert [it.clause for it in plan.items_for_check("late_annual_report")] == ["6"]
    assert [it.clause for it in plan.items_for_check("annual_report_format")] == ["7"]
    assert [it.clause for it in plan.manual_items()] == ["5", "8", "9", "10"]
    assert plan.item("1").units == ["县政务服务数据管理局", "各有关单位"]
    assert plan.item("10").units == ["县政府办公室", "县司法局", "县政务服务数据管理局"]
