"""Demo part: columns to judge by their update rules (checks GA201–GA205).

Planted, round 1 (dates relative to ``site.as_of``):

* stale 动态/要闻: 乡镇动态 (newest 20 days), 图片新闻 (30 days), 部门动态 (no item dated:
  未注明发布时间视为不更新);
* stale 通知公告/政策文件: 通知通告 (7 months), 部门文件 (200 days)
  → 5 stale 动态 + 通知/政策 columns: the site fails 19号 栏目不更新 (单项否决);
* stale 规划计划 (400 days, limit 1 year) and 财政预决算 (9 months, dated_other 6 months);
* empty: 执法公示 (plain list saying 暂无信息), 建议提案办理 (Hanweb list without records);
* the 指南 lacks 办公时间 and the 依申请公开 procedure.

Fresh next to them: 本地要闻 (TRS list whose first page lost its rows — a CMS fault —
while page 2 holds items 3 days old), 重点领域信息公开 (20 days, limit 6 months) and
机构职能 (a fixed page dated 2019: never stale).

Round 2 (after 整改): 乡镇动态, 图片新闻, 财政预决算 and 执法公示 are updated, the 指南
is complete; the other problems stay open (5 stale 动态 + 通知/政策 columns → 3: no veto).
"""

from __future__ import annotations

import datetime as _dt

from ..site import DemoSite

GUIDE_PATH = "/xxgk/zn/index.html"

#: Realistic titles per column (the n-th item takes the n-th title, cycling).
TITLES = {
    "本地要闻": ["县委常委会召开会议研究部署重点工作", "示范县召开优化营商环境推进会", "县政府与省农科院签署合作协议",
             "示范县开展冬季安全生产大检查", "县领导带队督导秋冬季森林防火工作", "示范县举办第三届农民丰收节"],
    "乡镇动态": ["城关镇开展人居环境整治专项行动", "青山乡召开村级财务公开培训会", "白水镇推进高标准农田建设"],
    "图片新闻": ["图说：示范县秋收一线", "图说：县政务服务中心新大厅启用"],
    "部门动态": ["县农业农村局开展农资打假专项行动", "县市场监管局开展食品安全检查", "县人社局举办招聘会"],
    "通知通告": ["关于示范县2026年春节期间烟花爆竹燃放管理的通告", "关于开展2026年度统计执法检查的通知",
             "关于城区部分路段临时交通管制的通告"],
    "部门文件": ["示范县人民政府办公室关于转发《省政府办公厅关于做好2026年春耕生产工作的通知》的通知",
             "示范县人民政府关于表彰2025年度安全生产先进单位的决定"],
    "规划计划": ["示范县2025年国民经济和社会发展计划执行情况", "示范县“十四五”交通运输发展规划"],
    "财政预决算": ["示范县2026年部门预算公开", "示范县2025年财政决算公开"],
    "重点领域信息公开": ["示范县2026年第三季度食品安全监督抽检信息", "示范县2026年上半年环境质量状况"],
    "执法公示": ["示范县市场监督管理局行政处罚决定书（示市监处罚〔2026〕15号）"],
}


def _listing(site: DemoSite, column: str, slug: str, ages: list[int | None], *, style: str = "plain",
             column_type: str = "", first_page_broken: bool = False, per_page: int = 10) -> None:
    """A column with one article per age (days before as_of; None = no date anywhere)."""
    col_dir = f"/xxgk/{slug}"
    col_path = f"{col_dir}/index.html"
    items: list[tuple[str, str, _dt.date | None]] = []
    for n, age in enumerate(ages, 1):
        d = site.day(age) if age is not None else None
        samples = TITLES.get(column)
        title = samples[(n - 1) % len(samples)] if samples else f"{column}信息（{len(ages) - n + 1}）"
        if samples and n > len(samples):
            title += f"（{n}）"
        path = site.article_path(col_dir, d) if d else f"{col_dir}/content_{site.next_id()}.html"
        site.add_article(path, title=title, date=d, column=column, column_path=col_path,
                         column_type=column_type, body_html=f"<p>{title}正文。</p>")
        items.append((title, path, d))
    site.add_listing(col_path, column=column, items=items, style=style, per_page=per_page,
                     column_type=column_type, first_page_broken=first_page_broken)


def _guide(site: DemoSite, complete: bool) -> None:
    parts = [
        "<p>一、主动公开：本机关主动公开的政府信息通过示范县人民政府门户网站政府信息公开专栏发布。</p>",
        "<p>二、政府信息公开工作机构：示范县人民政府办公室</p>",
        "<p>办公地址：示范县人民路1号　联系电话：0571-0000000　传真：0571-0000001</p>",
    ]
    if complete:
        parts.append("<p>办公时间：工作日上午8:30-12:00，下午14:30-17:30</p>")
        parts.append("<p>三、依申请公开：申请人可以通过信函、网络或当面提交申请，受理机构自收到申请之日起"
                     "20个工作日内答复。</p>")
    body = '<div class="article"><h1 class="article-title">政府信息公开指南</h1><div class="TRS_Editor">' + \
        "".join(parts) + "</div></div>"
    site.add_raw(GUIDE_PATH, site.page(title="政府信息公开指南", body=body, column="政府信息公开指南",
                                       column_path=GUIDE_PATH, column_type="信息公开指南"))


def build(site: DemoSite) -> None:
    fixed = site.round >= 2
    # 动态/要闻 (14 days)
    _listing(site, "本地要闻", "bdyw", [3, 9, 16, 25, 33, 40, 48, 55, 61, 70, 77, 85], style="trs",
             column_type="要闻", first_page_broken=True)
    _listing(site, "乡镇动态", "xzdt", [3, 12, 30] if fixed else [20, 35, 50], column_type="动态")
    _listing(site, "图片新闻", "tpxw", [5, 30] if fixed else [30, 44], column_type="新闻")
    _listing(site, "部门动态", "bmdt", [None, None, None], column_type="动态")
    # 通知公告/政策文件 (6 months)
    _listing(site, "通知通告", "tztg", [213, 260, 300], column_type="通知公告")
    _listing(site, "部门文件", "bmwj", [200, 380], column_type="政策文件")
    # 人事/规划计划 (1 year), other dated columns (6 months)
    _listing(site, "规划计划", "ghjh", [400, 760], column_type="规划计划")
    _listing(site, "财政预决算", "czyjs", [30, 280] if fixed else [275, 640], column_type="财政预决算")
    _listing(site, "重点领域信息公开", "zdly", [20, 90], column_type="重点领域")
    # empty columns
    _listing(site, "执法公示", "zfgs", [15] if fixed else [], column_type="执法公示")
    _listing(site, "建议提案办理", "jyta", [], style="hanweb", column_type="建议提案")
    # a fixed-content page with an old date: never stale
    path = "/xxgk/jgzn/index.html"
    site.add_article(path, title="示范县人民政府办公室主要职责", date=_dt.date(2019, 3, 1), column="机构职能",
                     column_path=path, column_type="机构职能",
                     body_html="<p>贯彻执行国家和省、市有关方针政策……</p>")
    site.add_nav("机构职能", path)
    _guide(site, complete=fixed)
