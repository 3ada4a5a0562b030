"""Demo part: the 政府信息公开年报 column, with the GA4xx defects planted.

The expected years are the last three whose 3月31日 deadline has passed by the
audit date (Y1 newest, then Y2, Y3).

Round 1:
* Y1 report: published after its deadline (GA402 late); otherwise correct.
* Y2 report: on time, but table 三's （七）总计 row repeats the 新收 row, so the
  results and the balance do not add up (GA404 arithmetic).
* Y3: no report of the county government (GA401 missing).  The column lists the
  县教育局's Y3 report and a 政府网站工作年度报表 beside it: neither counts.

Round 2 (after 整改): Y2 corrected; the Y3 report published now (still late).
"""

from __future__ import annotations

import datetime as _dt

from ...annual import T3_ROWS, due_date, expected_years
from ..site import SITE_NAME, DemoSite, e

COLUMN, LIST_PATH, DIR = "政府信息公开年报", "/xxgk/nb/index.html", "/xxgk/nb"
OWNER = SITE_NAME  # 示范县人民政府

PROSE = {
    0: [
        "全县坚持以公开为常态、不公开为例外，聚焦稳就业、促消费和优化营商环境，发布权威信息，回应社会关切。",
        "依申请公开方面，完善登记、审核、答复、归档全流程台账，主动与申请人沟通，答复质量稳步提高。",
        "平台建设方面，完成政府门户网站集约化改版，上线智能问答，优化检索功能，提升群众获取信息的便利度。",
        "存在的主要问题：政策解读形式仍较单一，部分乡镇信息更新不够及时。下一步将丰富图解、视频解读，"
        "建立乡镇信息更新月度通报制度。",
    ],
    1: [
        "围绕乡村振兴、教育医疗和社会救助等民生领域，细化主动公开目录，推动基层政务公开标准化规范化。",
        "全年组织政务公开业务培训两期，覆盖县直部门和各乡镇信息员，规范公文公开属性源头认定。",
        "开展过期信息专项清理，对失效链接、重复栏目进行整改，完善信息发布三审三校制度。",
        "存在的主要问题：依申请公开答复文书不够规范，个别部门承办时限偏紧。下一步将制定答复文书范本，"
        "加强法律顾问审核。",
    ],
    2: [
        "重点做好财政预决算、重大建设项目和公共资源配置信息公开，及时公开行政许可和行政处罚结果。",
        "加强政务新媒体管理，关停整合发挥作用不明显的账号，规范信息发布审核流程。",
        "政府信息公开申请办理实行专人负责、限时办结，重大疑难申请集体研究。",
        "存在的主要问题：信息公开队伍人员变动较频繁，业务能力有待提升。下一步将建立信息员持证上岗制度。",
    ],
}


def _t3(new_nat: int, carried_nat: int, carry_next_nat: int, *, total_override: list[int] | None = None
        ) -> dict[str, list[int]]:
    """Table 三 rows that add up: the 予以公开 figure balances 新收 + 上年结转 − 结转下年度."""
    rows: dict[str, list[int]] = {k: [0] * 7 for k, *_ in T3_ROWS}
    rows["new"] = [new_nat, 2, 0, 0, 1, 0, new_nat + 3]
    rows["carried"] = [carried_nat, 0, 0, 0, 0, 0, carried_nat]
    rows["carry_next"] = [carry_next_nat, 0, 0, 0, 0, 0, carry_next_nat]
    rows["partial"] = [3, 0, 0, 0, 0, 0, 3]
    rows["deny_5"] = [2, 0, 0, 0, 0, 0, 2]
    rows["unable_1"] = [5, 1, 0, 0, 1, 0, 7]
    rows["refuse_2"] = [1, 0, 0, 0, 0, 0, 1]
    rows["other_3"] = [1, 0, 0, 0, 0, 0, 1]
    opened = new_nat + carried_nat - carry_next_nat - 12
    rows["open"] = [opened, 1, 0, 0, 0, 0, opened + 1]
    total = [0] * 7
    for key in ("open", "partial", "deny_5", "unable_1", "refuse_2", "other_3"):
        total = [a + b for a, b in zip(total, rows[key])]
    rows["total"] = total_override or total
    for key in ("deny", "unable", "refuse", "other"):
        rows.pop(key)
    return rows


def _table(rows: list[list[str]]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table border="1" cellspacing="0">{body}</table>'


def _report_html(year: int, idx: int, t3: dict[str, list[int]], normative: list[int]) -> str:
    prose = PROSE[idx % 3]
    t2 = [
        ["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"], ["行政规范性文件", *map(str, normative)],
        ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可", str(1200 + idx)],
        ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], ["行政处罚", str(300 + idx)], ["行政强制", "4"],
        ["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "86.5"],
    ]
    head = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
            ["自然人", "法人或其他组织", "总计"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    label = {k: lab for k, lab, *_ in T3_ROWS}
    body3 = [[label[k], *map(str, v)] for k, v in t3.items()]
    t4 = [["行政复议", "行政诉讼"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
          ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]]
    return (
        f"<p>本报告依据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号编制，数据统计期限为{year}年1月1日至"
        f"{year}年12月31日。</p>"
        f"<p>一、总体情况</p><p>{year}年，{e(prose[0])}{e(prose[1])}{e(prose[2])}</p>"
        f"<p>二、主动公开政府信息情况</p>{_table(t2)}"
        f"<p>三、收到和处理政府信息公开申请情况</p>{_table(head + body3)}"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{_table(t4)}"
        f"<p>五、存在的主要问题及改进情况</p><p>{e(prose[3])}</p>"
        "<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>"
    )


def build(site: DemoSite) -> None:
    years = expected_years(site.as_of, "government", 3)
    y1, y2, y3 = years
    items: list[tuple[str, str, _dt.date | None]] = []

    def add(year: int, published: _dt.date, body: str, title: str = "") -> None:
        title = title or f"{OWNER}{year}年政府信息公开工作年度报告"
        path = site.article_path(DIR, published)
        site.add_article(path, title=title, date=published, body_html=body, column=COLUMN, column_path=LIST_PATH)
        items.append((title, path, published))

    # Y1: late (15 days after 3月31日, or as late as the audit date allows)
    due1 = due_date(y1, "government")
    late = due1 + _dt.timedelta(days=min(15, (site.as_of - due1).days))
    add(y1, late, _report_html(y1, 0, _t3(20, 3, 0), [5, 2, 33]))

    # Y2: on time; round 1 its （七）总计 row repeats the 新收 row
    fixed = site.round >= 2
    wrong_total = None if fixed else [20, 2, 0, 0, 1, 0, 23]
    add(y2, due_date(y2, "government") - _dt.timedelta(days=20),
        _report_html(y2, 1, _t3(20, 1, 3, total_override=wrong_total), [4, 1, 30]))

    # Y3: only a department's report and a look-alike (round 2: the county's report, published late)
    dept_day = due_date(y3, "department") - _dt.timedelta(days=5)
    add(y3, dept_day, "<p>示范县教育局本年度政府信息公开工作情况如下。</p>",
        title=f"示范县教育局{y3}年政府信息公开工作年度报告")
    add(y3, dept_day, "<p>本年度政府网站运行情况见附表。</p>", title=f"示范县{y3}年政府网站工作年度报表")
    if fixed:
        add(y3, site.as_of - _dt.timedelta(days=10), _report_html(y3, 2, _t3(18, 0, 1), [3, 0, 27]))

    items.sort(key=lambda x: x[2] or _dt.date.min, reverse=True)
    site.add_listing(LIST_PATH, column=COLUMN, items=items, style="plain", per_page=15, nav=False)
