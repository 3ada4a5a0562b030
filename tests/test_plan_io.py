"""Plan input formats (.docx, HTML, YAML/JSON), bad plan files and the `govaudit plan import` command."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from govaudit.cli import main
from govaudit.plan import PlanError, import_plan, load_plan, parse_plan_text

PLANS = Path(__file__).parent / "data" / "plans"
PANYU = PLANS / "004_9359abd056588d5d.txt"


def _docx_plan(path: Path) -> Path:
    """A 任务分解表 as Word writes it: a notice, then a table (序号/工作任务/责任单位/完成时限)."""
    d = docx.Document()
    d.add_paragraph("示范县人民政府办公室关于印发2024年示范县政务公开工作任务分解表的通知")
    d.add_paragraph("各乡镇人民政府，县直各部门：现将任务分解表印发给你们，请认真贯彻落实。")
    d.add_paragraph("2024年示范县政务公开工作任务分解表")
    rows = [
        ("序号", "工作任务", "责任单位", "完成时限"),
        ("1", "每月开展政府网站链接巡查，杜绝错链、断链。", "县政务服务数据管理局", "每月"),
        ("2", "政策解读材料于文件公开后5个工作日内在政府网站发布。", "县司法局牵头，各有关单位配合", "全年"),
        ("3", "县直各部门于每年1月31日前公布本部门政府信息公开工作年度报告。", "", "1月31日前"),
        ("4", "加强政务公开业务培训。", "县政府办公室", "12月底前"),
    ]
    table = d.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, val in enumerate(row):
            table.cell(r, c).text = val
    d.add_paragraph("示范县人民政府办公室")
    d.save(path)
    return path


def test_docx_table(tmp_path):
    plan = import_plan(_docx_plan(tmp_path / "plan.docx"))
    assert [it.clause for it in plan.items] == ["1", "2", "3", "4"]
    assert plan.title == "2024年示范县政务公开工作任务分解表"
    assert plan.issuer == "示范县人民政府办公室"
    assert plan.year == 2024
    one, two, three, four = plan.items
    assert one.units == ["县政务服务数据管理局"] and one.due == "每月" and one.checks == ["broken_link"]
    assert two.units == ["县司法局", "各有关单位"]
    assert two.params == {"interpretation_working_days": 5}
    assert three.units == two.units  # empty cell: same as above
    assert three.params == {"annual_report_due_department": "01-31"}
    assert four.manual and four.due == "12月底前"
    assert plan.params() == {"interpretation_working_days": 5, "annual_report_due_department": "01-31"}


def test_docx_prose_with_unit_notes(tmp_path):
    d = docx.Document()
    d.add_paragraph("示范县2024年政务公开重点工作任务分工方案")
    d.add_paragraph("（一）加强平台建设")
    d.add_paragraph("1、做好政府信息公开专栏日常维护，杜绝错链、断链。（县政府办公室牵头落实）")
    d.add_paragraph("2、做好依申请公开工作。（县司法局、各乡镇分别落实）")
    path = tmp_path / "方案.docx"
    d.save(path)
    plan = import_plan(path)
    assert [(it.clause, it.units) for it in plan.items] == [("1", ["县政府办公室"]), ("2", ["县司法局", "各乡镇"])]
    assert "broken_link" in plan.items[0].checks and plan.items[1].manual


PANYU_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>番禺区2021年政务公开工作要点分工方案</title>
<script>var x = "1.不是任务";</script></head><body>
<div class="nav">首页 &gt; 政务公开</div>
<h1>广州市番禺区人民政府办公室关于印发番禺区2021年政务公开工作要点分工方案的通知</h1>
<div class="content">
<p style="text-align:center"><strong>番禺区2021年政务公开工作要点分工方案</strong></p>
<p>三、紧扣强基础抓基层深化政务公开</p>
<p>(二)完善政务公开平台。</p>
<p><span>31.</span><span>对政府网站的政府信息公开专栏建设情况开展专项检查,未按要求完成的,依据有关规定督促整改、通报批评。</span></p>
<p>区政务服务数据管理局牵头办理。</p>
<p>32.跟进区政府门户网站政府信息公开专栏与省、市政府网政府信息公开专栏的数据联通工作。</p>
<p>区政务服务数据管理局牵头办理。</p>
</div><div class="footer">扫一扫在手机打开当前页</div></body></html>"""


def test_html_prose(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(PANYU_HTML, encoding="utf-8")
    plan = import_plan(path)
    assert plan.title == "番禺区2021年政务公开工作要点分工方案"
    assert plan.issuer == "广州市番禺区人民政府办公室"
    assert [it.clause for it in plan.items] == ["31", "32"]
    assert plan.items[0].units == ["区政务服务数据管理局"]
    assert plan.items[0].text.startswith("对政府网站的政府信息公开专栏建设情况开展专项检查")
    assert "broken_link" in plan.items[0].checks


def test_html_table_gbk(tmp_path):
    html = """<html><head><meta charset="gbk"></head><body><p>示范县2024年政务公开工作任务分解表</p>
    <table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>完成时限</th></tr>
    <tr><td>1</td><td><p>在政府网站显著位置发布政府信息公开指南，</p><p>内容包括机构名称、办公地址、办公时间、联系电话。</p></td>
        <td rowspan="2"><p>县政府办公室</p><p>县司法局</p></td><td>3月底前</td></tr>
    <tr><td>2</td><td>于每年3月31日前公布政府信息公开工作年度报告。</td><td>3月31日前</td></tr>
    </table></body></html>"""
    path = tmp_path / "plan.htm"
    path.write_bytes(html.encode("gbk"))
    plan = import_plan(path)
    assert [it.clause for it in plan.items] == ["1", "2"]
    assert plan.items[0].units == ["县政府办公室", "县司法局"]
    assert plan.items[1].units == plan.items[0].units  # rowspan: same as above
    assert plan.items[0].checks == ["guide_incomplete"]
    assert plan.items[1].params == {"annual_report_due_government": "03-31"}


def test_parse_plan_text_example():
    plan = parse_plan_text("2024年示范县政务公开工作分工方案\n"
                           "1.做好政府网站日常检查，杜绝错链、断链。（县政府办公室牵头落实）\n"
                           "2.政策解读材料于文件公开后5个工作日内发布。（县司法局牵头落实）\n", source="x.txt")
    assert plan.items[0].units == ["县政府办公室"] and plan.items[0].checks == ["broken_link"]
    assert plan.params() == {"interpretation_working_days": 5}


# --- bad plans: one clear line naming the file ------------------------------------------------


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(PlanError, match=r"empty\.txt: plan file is empty"):
        load_plan(p)
    p.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"empty\.txt: plan file is empty"):
        load_plan(p)


def test_missing_file(tmp_path):
    with pytest.raises(PlanError, match=r"nope\.docx: plan file not found"):
        load_plan(tmp_path / "nope.docx")


def test_unreadable_docx(tmp_path):
    p = tmp_path / "broken.docx"
    p.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(PlanError, match=r"broken\.docx: not a readable \.docx"):
        load_plan(p)


def test_no_numbered_tasks(tmp_path):
    p = tmp_path / "prose.html"
    p.write_text("<html><body><p>各单位要高度重视政务公开工作。</p></body></html>", encoding="utf-8")
    with pytest.raises(PlanError, match=r"prose\.html: no numbered tasks"):
        load_plan(p)


@pytest.mark.parametrize("text, message", [
    ("title: x\nitems: [\n", r"bad YAML at line \d"),
    ("title: x\nitems: []\n", "the plan has no items"),
    ("- just\n- a list\n", "must be a mapping"),
    ("title: x\nitems:\n- clause: 1\n  text: t\n  checks: [broken_lnk]\n", "clause 1 names unknown check"),
    ("title: x\nitems:\n- text: no clause\n", "each item needs clause and text"),
])
def test_bad_yaml(tmp_path, text, message):
    p = tmp_path / "plan.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError, match=message) as err:
        load_plan(p)
    assert str(p) in str(err.value) and "\n" not in str(err.value)


def test_hand_written_yaml(tmp_path):
    p = tmp_path / "plan.yml"
    p.write_text("title: 示范县方案\nyear: '2024'\nitems:\n"
                 "- clause: 1\n  text: 杜绝错链\n  checks: [broken_link]\n"
                 "- clause: 2\n  text: 做好培训\n", encoding="utf-8")
    plan = load_plan(p)
    assert plan.year == 2024
    assert [(it.clause, it.manual) for it in plan.items] == [("1", False), ("2", True)]  # manual defaults from checks
    assert plan.items_for_check("broken_link") == [plan.items[0]]


# --- the command ---------------------------------------------------------------------------------


def test_cli_json(capsys):
    assert main(["plan", "import", str(PANYU), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "番禺区2021年政务公开工作要点分工方案"
    assert len(data["items"]) == 50
    assert data["items"][41]["clause"] == "42" and "annual_report_format" in data["items"][41]["checks"]


def test_cli_out_yaml_then_load(tmp_path, capsys):
    out = tmp_path / "review" / "plan.yaml"
    assert main(["plan", "import", str(PANYU), "--out", str(out)]) == 0
    assert "50 tasks" in capsys.readouterr().out
    assert load_plan(out) == import_plan(PANYU)
    assert "区政务服务数据管理局" in out.read_text(encoding="utf-8")


def test_cli_summary_and_errors(tmp_path, capsys):
    assert main(["plan", "import", str(PANYU)]) == 0
    out = capsys.readouterr().out
    assert "50 tasks" in out and "annual_report_format" in out and "manual" in out
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert main(["plan", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govaudit: error: ") and "empty.txt" in err and err.count("\n") == 1
    assert main(["plan", "import", str(PANYU), "--out", str(tmp_path / "plan.txt")]) == 2
    assert "--out must end in" in capsys.readouterr().err


def test_cli_help_has_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["plan", "import", "--help"])
    assert "govaudit plan import plan.txt --out plan.yaml" in capsys.readouterr().out


def test_units_after_a_label_and_multiline_yaml(tmp_path):
    plan = parse_plan_text("示范县2024年政务公开工作要点\n"
                           "1.做好政府信息公开指南更新。责任单位：县政府办公室、县司法局\n"
                           "2.加强政务新媒体管理。\n牵头单位：县委网信办；配合单位：县融媒体中心、县妇联\n"
                           "3.每季度开展一次专栏检查，\n对空白栏目及时整改。\n（县政务服务数据管理局负责）\n")
    one, two, three = plan.items
    assert (one.text, one.units, one.checks) == ("1.做好政府信息公开指南更新。"[2:], ["县政府办公室", "县司法局"],
                                                 ["guide_incomplete"])
    assert two.units == ["县委网信办", "县融媒体中心", "县妇联"]
    assert three.text == "每季度开展一次专栏检查，\n对空白栏目及时整改。"
    assert three.units == ["县政务服务数据管理局"]
    assert "  text: |" in plan.to_yaml()  # a multi-line text is a readable block
    y = tmp_path / "p.yaml"
    y.write_text(plan.to_yaml(), encoding="utf-8")
    assert load_plan(y) == plan


def test_html_table_without_number_column_keeps_written_numbers(tmp_path):
    html = """<html><body><p>番禺区2021年政务公开工作要点分工方案</p><table>
    <tr><td>工作任务</td><td>具体要求</td><td>责任单位和工作要求</td></tr>
    <tr><td rowspan="2">(二)完善政务公开平台。</td><td>31.对政府网站的政府信息公开专栏建设情况开展专项检查。</td>
        <td>区政务服务数据管理局牵头办理。</td></tr>
    <tr><td>32.跟进政府信息公开专栏与省、市政府网政府信息公开专栏的数据联通工作。</td><td>区政务服务数据管理局牵头办理。</td></tr>
    </table></body></html>"""
    p = tmp_path / "plan.html"
    p.write_text(html, encoding="utf-8")
    plan = import_plan(p)
    assert [(it.clause, it.units) for it in plan.items] == [("31", ["区政务服务数据管理局"]), ("32", ["区政务服务数据管理局"])]
    assert plan.items[0].text == "对政府网站的政府信息公开专栏建设情况开展专项检查。"


def test_contact_table_does_not_hide_the_numbered_tasks(tmp_path):
    text = ("示范县2024年政务公开工作分工方案\n1.杜绝错链、断链。（县政府办牵头落实）\n2.做好培训。（县政府办牵头落实）\n"
            "3.做好依申请公开。（县司法局牵头落实）\n附件：联络员名单\n序号\t单位\t联络员\t电话\n1\t县政府办\t张三\t1234\n")
    plan = parse_plan_text(text)
    assert [it.clause for it in plan.items] == ["1", "2", "3"]


def test_docx_word_list_numbering(tmp_path):
    """Word's automatic numbers are not in the paragraph text; the importer puts them back."""
    d = docx.Document()
    d.add_paragraph("示范县2024年政务公开工作分工方案")
    d.add_paragraph("加强政府网站链接巡查，杜绝错链、断链。（县政府办公室牵头落实）", style="List Number")
    d.add_paragraph("做好政务公开业务培训。（县司法局牵头落实）", style="List Number")
    path = tmp_path / "numbered.docx"
    d.save(path)
    plan = import_plan(path)
    assert [(it.clause, it.units) for it in plan.items] == [("1", ["县政府办公室"]), ("2", ["县司法局"])]
    assert plan.items[0].checks == ["broken_link"]
