"""GA401–GA406 on stored pages: real pingtan pages, deadlines at the boundaries, owners vs departments."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from checks.annual_report import (
    annual_report_arithmetic,
    annual_report_copied,
    annual_report_format,
    annual_report_unreadable,
    late_annual_report,
    missing_annual_report,
)
from checks.base import AuditContext
from govaudit.annual import parse_text, pdf_facts
from govaudit.extract import extract
from govaudit.models import Fetch, Link, ListItem, PageFacts
from govaudit.store import Store

DATA = Path(__file__).parent / "data"
REAL = DATA / "realpages"
sys.path.insert(0, str(DATA / "annual"))
from make_pdf import image_pdf  # noqa: E402

SITE = "http://www.example.gov.cn/"
LIST_URL = SITE + "xxgk/gknb/"
ALL = [missing_annual_report, late_annual_report, annual_report_format, annual_report_arithmetic,
       annual_report_copied, annual_report_unreadable]


def run_checks(tmp_path, pages: list[PageFacts], *, as_of=date(2026, 11, 22), site_config=None, params=None,
               specs=ALL):
    store = Store(tmp_path / "t.db")
    run_id = store.new_run(SITE, as_of=as_of.isoformat())
    for f in pages:
        store.save_fetch(run_id, Fetch(url=f.url, status=200), f)
    ctx = AuditContext(store, run_id, as_of=as_of, params=params, site_config=site_config)
    return [f for spec in specs for f in spec(ctx)]


def by_check(findings) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for f in findings:
        out.setdefault(f.check, {})[f.key] = f
    return out


PROSE = ("本年度，我县坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实政务公开各项部署，"
         "围绕中心工作持续深化主动公开，规范依申请公开办理，加强政府信息管理和平台建设，强化监督保障。")


def report_text(year: int, *, prose: str = "", new: int = 5, carried: int = 0, total: int = 5, nxt: int = 0,
                six: bool = True) -> str:
    prose = prose or f"{year}年{PROSE}"
    def row(n: int) -> str:
        return f"{n} 0 0 0 0 0 {n}"
    return (
        f"一、总体情况 {prose}\n二、主动公开政府信息情况 第二十条第（一）项 本年制发件数 本年废止件数 现行有效件数\n"
        "规章 0 0 0\n行政规范性文件 2 1 10\n行政许可 3\n"
        "三、收到和处理政府信息公开申请情况\n"
        f"一、本年新收政府信息公开申请数量 {row(new)}\n二、上年结转政府信息公开申请数量 {row(carried)}\n"
        f"（一）予以公开 {row(total)}\n（七）总计 {row(total)}\n四、结转下年度继续办理 {row(nxt)}\n"
        "四、政府信息公开行政复议、行政诉讼情况\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
        f"五、存在的主要问题及改进情况 {prose}" + ("\n六、其他需要报告的事项 无。" if six else "")
    )


def report_page(year: int, published: str, *, owner: str = "测试县人民政府", text: str = "", url: str = "",
                fmt: str = "html") -> PageFacts:
    return PageFacts(url=url or f"{SITE}xxgk/gknb/{year}.html", kind="article", title=f"{owner}{year}年政府信息公开工作年度报告",
                     published=published, site_name="测试县人民政府", body_text=text or report_text(year),
                     doc_format=fmt)


def listing(items: list[tuple[str, str, str]], links: list[Link] | None = None) -> PageFacts:
    return PageFacts(url=LIST_URL, kind="listing", title="政府信息公开年报", column="政府信息公开年报",
                     site_name="测试县人民政府",
                     list_items=[ListItem(url=u, title=t, date=d) for u, t, d in items], links=links or [])


# ---------------------------------------------------------------------------
# Real pingtan pages
# ---------------------------------------------------------------------------


def _pingtan_pages() -> list[PageFacts]:
    lst = extract((REAL / "pingtan_zfxxgknb_list.html").read_bytes(), "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/")
    r2024 = extract((REAL / "annual_reports" / "pingtan_2024_annual_report.html").read_bytes(),
                    "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm")
    pages = [lst, r2024]
    for year, url in ((2023, "202403/t20240308_87885.htm"), (2025, "202603/t20260313_105587.htm")):
        rep = parse_text((REAL / "annual_reports" / f"pingtan_{year}_annual_report.txt").read_text(encoding="utf-8"))
        body = (REAL / "annual_reports" / f"pingtan_{year}_annual_report.txt").read_text(encoding="utf-8")
        pages.append(PageFacts(url="https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/" + url, kind="article",
                               title=rep.title, published=rep.published, site_name="平潭综合实验区党工委管委会",
                               body_text=body.split("==================== 正文 ====================")[1]))
    return pages


def test_pingtan_real_pages_government(tmp_path):
    found = by_check(run_checks(tmp_path, _pingtan_pages()))
    assert "missing_annual_report" not in found  # 2023–2025 are all listed
    assert "late_annual_report" not in found  # 2026-03-10 etc. are before 03-31
    assert "annual_report_format" not in found and "annual_report_copied" not in found
    assert "annual_report_unreadable" not in found
    # real inconsistency: 行政规范性文件 现行有效件数 does not carry on from year to year
    arith = found["annual_report_arithmetic"]
    assert set(arith) == {"2024", "2025"}
    f = arith["2024"]
    assert f.code == "GA404" and f.url.endswith("t20250310_97791.htm")
    assert [i["rule"] for i in f.data["issues"]] == ["valid_count"]
    assert f.data["owner"] == "平潭综合实验区党工委管委会" and f.data["owner_type"] == "government"


def test_pingtan_as_department_all_late(tmp_path):
    found = by_check(run_checks(tmp_path, _pingtan_pages(), site_config={"owner_type": "department"},
                                specs=[late_annual_report]))
    late = found["late_annual_report"]
    assert set(late) == {"2023", "2024", "2025"}
    f = late["2025"]
    assert (f.data["published"], f.data["due_date"], f.data["days_late"]) == ("2026-03-10", "2026-01-31", 38)
    assert f.url.endswith("t20260313_105587.htm")


def test_pingtan_configured_years(tmp_path):
    found = by_check(run_checks(tmp_path, _pingtan_pages(), site_config={"report_years": [2015, 2016, 2022]},
                                specs=[missing_annual_report]))
    miss = found["missing_annual_report"]
    assert set(miss) == {"2015"}  # 2016 and 2022 are rows of the 年报 column
    assert miss["2015"].url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    assert miss["2015"].severity == "high"


# ---------------------------------------------------------------------------
# Deadlines at the boundaries
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("owner_type, published, late_days", [
    ("government", "2025-03-31", None),
    ("government", "2025-04-01", 1),
    ("department", "2025-01-31", None),
    ("department", "2025-02-01", 1),
    ("department", "2025-03-31", 59),
])
def test_deadline_boundaries(tmp_path, owner_type, published, late_days):
    pages = [report_page(2024, published)]
    found = by_check(run_checks(tmp_path, pages, as_of=date(2025, 6, 1), site_config={"owner_type": owner_type},
                                specs=[late_annual_report, missing_annual_report]))
    late = found.get("late_annual_report", {})
    if late_days is None:
        assert "2024" not in late
    else:
        assert late["2024"].data["days_late"] == late_days
    assert "2024" not in found.get("missing_annual_report", {})


@pytest.mark.parametrize("owner_type, as_of, expected", [
    ("government", date(2025, 3, 31), False),  # still on time that day
    ("government", date(2025, 4, 1), True),
    ("department", date(2025, 1, 31), False),
    ("department", date(2025, 2, 1), True),
])
def test_missing_only_after_deadline(tmp_path, owner_type, as_of, expected):
    pages = [listing([(SITE + "xxgk/gknb/2023.html", "测试县人民政府2023年政府信息公开工作年度报告", "2024-01-20")])]
    found = by_check(run_checks(tmp_path, pages, as_of=as_of, site_config={"owner_type": owner_type},
                                specs=[missing_annual_report]))
    assert ("2024" in found.get("missing_annual_report", {})) is expected


def test_plan_due_dates_override(tmp_path):
    pages = [report_page(2024, "2025-01-29")]
    found = by_check(run_checks(tmp_path, pages, as_of=date(2025, 6, 1), specs=[late_annual_report],
                                site_config={"owner_type": "department"},
                                params={"annual_report_due_department": "01-28"}))
    assert found["late_annual_report"]["2024"].data["due_date"] == "2025-01-28"


def test_listing_date_used_when_report_not_crawled(tmp_path):
    pages = [listing([(SITE + "xxgk/gknb/2024.html", "测试县人民政府2024年政府信息公开工作年度报告", "2025-04-03")])]
    found = by_check(run_checks(tmp_path, pages, as_of=date(2025, 6, 1), specs=[late_annual_report]))
    f = found["late_annual_report"]["2024"]
    assert f.url == SITE + "xxgk/gknb/2024.html"
    assert (f.data["date_source"], f.data["days_late"]) == ("listing", 3)


# ---------------------------------------------------------------------------
# Owner vs departments, look-alikes
# ---------------------------------------------------------------------------


def test_department_reports_do_not_count_for_the_owner(tmp_path):
    pages = [listing([
        (SITE + "a.html", "测试县发展和改革局2024年政府信息公开工作年度报告", "2025-01-20"),
        (SITE + "b.html", "测试县城关镇人民政府2024年政府信息公开工作年度报告", "2025-01-22"),
        (SITE + "c.html", "测试县2024年政府网站工作年度报表", "2025-01-10"),
        (SITE + "d.html", "关于2024年政府信息公开工作要点落实情况的函", "2025-01-10"),
        (SITE + "e.html", "测试县人民政府2023年政府信息公开工作年度报告", "2024-03-01"),
    ])]
    found = by_check(run_checks(tmp_path, pages, as_of=date(2025, 6, 1), specs=[missing_annual_report]))
    miss = found["missing_annual_report"]
    assert set(miss) == {"2024", "2022"}
    f = miss["2024"]
    assert f.url == LIST_URL and f.code == "GA401"
    assert set(f.data["other_reports"]) == {"测试县城关镇人民政府", "测试县发展和改革局"}
    assert "测试县人民政府2024年" in f.reason


def test_department_site_from_config(tmp_path):
    pages = [listing([
        (SITE + "a.html", "测试县发展和改革局2024年政府信息公开年度报告", "2025-02-03"),
        (SITE + "b.html", "测试县人民政府2024年政府信息公开工作年度报告", "2025-03-01"),
    ])]
    found = by_check(run_checks(tmp_path, pages, as_of=date(2025, 6, 1), specs=[late_annual_report],
                                site_config={"owner": "测试县发展和改革局", "report_years": [2024]}))
    (f,) = found["late_annual_report"].values()
    assert f.url == SITE + "a.html" and f.data["days_late"] == 3 and f.data["owner_type"] == "department"


def test_no_column_no_report_is_medium(tmp_path):
    other = PageFacts(url=SITE, kind="other", title="首页", site_name="测试县人民政府")
    found = by_check(run_checks(tmp_path, [other], as_of=date(2025, 6, 1), specs=[missing_annual_report]))
    miss = found["missing_annual_report"]
    assert set(miss) == {"2024", "2023", "2022"}
    assert all(f.severity == "medium" and f.url == SITE for f in miss.values())
    assert "未找到“政府信息公开年报”栏目" in miss["2024"].reason


def test_report_found_by_link_anywhere(tmp_path):
    home = PageFacts(url=SITE, kind="other", title="首页", site_name="测试县人民政府", links=[
        Link(url=SITE + "files/2024nb.pdf", text="测试县人民政府2024年政府信息公开工作年度报告", kind="attachment",
             context="body")])
    found = by_check(run_checks(tmp_path, [home], as_of=date(2025, 6, 1), site_config={"report_years": [2024]},
                                specs=[missing_annual_report, late_annual_report, annual_report_unreadable]))
    assert found == {}


# ---------------------------------------------------------------------------
# Unreadable, format, arithmetic, copied
# ---------------------------------------------------------------------------


def test_image_only_pdf_is_unreadable_not_missing(tmp_path):
    url = SITE + "xxgk/gknb/2024.pdf"
    facts = pdf_facts(image_pdf(), url)
    facts.published = "2025-03-01"
    lst = listing([], links=[Link(url=url, text="测试县人民政府2024年政府信息公开工作年度报告", kind="attachment",
                                  context="list")])
    found = by_check(run_checks(tmp_path, [lst, facts], as_of=date(2025, 6, 1), site_config={"report_years": [2024]}))
    assert set(found) == {"annual_report_unreadable"}
    f = found["annual_report_unreadable"]["2024"]
    assert f.url == url and f.code == "GA406"


def test_image_link_is_unreadable(tmp_path):
    lst = listing([(SITE + "xxgk/gknb/2024.jpg", "测试县人民政府2024年政府信息公开工作年度报告（图片版）", "2025-03-02")])
    found = by_check(run_checks(tmp_path, [lst], as_of=date(2025, 6, 1), site_config={"report_years": [2024]}))
    assert set(found) == {"annual_report_unreadable"}


def test_text_version_beside_image_version_is_readable(tmp_path):
    lst = listing([(SITE + "xxgk/gknb/2024.jpg", "测试县人民政府2024年政府信息公开工作年度报告（图片版）", "2025-03-02")])
    found = by_check(run_checks(tmp_path, [lst, report_page(2024, "2025-03-02")], as_of=date(2025, 6, 1),
                                site_config={"report_years": [2024]}))
    assert found == {}


def test_format_missing_section_and_table(tmp_path):
    text = report_text(2024, six=False).replace("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "")
    found = by_check(run_checks(tmp_path, [report_page(2024, "2025-03-01", text=text)], as_of=date(2025, 6, 1),
                                site_config={"report_years": [2024]}, specs=[annual_report_format]))
    f = found["annual_report_format"]["2024"]
    assert f.data["missing_sections"] == ["六、其他需要报告的事项"]
    assert f.data["missing_tables"] == ["四"]


def test_arithmetic_within_and_across_years(tmp_path):
    pages = [
        report_page(2023, "2024-03-01", text=report_text(2023, new=5, total=3, nxt=2)),
        report_page(2024, "2025-03-01", text=report_text(2024, new=4, carried=1, total=5)),  # 2 carried over, not 1
    ]
    found = by_check(run_checks(tmp_path, pages, as_of=date(2025, 6, 1), specs=[annual_report_arithmetic]))
    assert set(found["annual_report_arithmetic"]) == {"2024"}
    f = found["annual_report_arithmetic"]["2024"]
    rules = {(i["rule"], i["column"]) for i in f.data["issues"]}
    assert ("carried_over", "总计") in rules and ("carried_over", "自然人") in rules
    assert not [r for r in rules if r[0] == "balance"]  # 4 + 1 = 5 + 0 adds up inside 2024
    # 现行有效 10 + 2 − 1 = 11, but the 2024 table says 10
    assert ("valid_count", "现行有效件数") in rules


def test_copied_report_share(tmp_path):
    long = PROSE * 4
    pages = [report_page(2023, "2024-03-01", text=report_text(2023, prose="2023年" + long)),
             report_page(2024, "2025-03-01", text=report_text(2024, prose="2024年" + long))]
    found = by_check(run_checks(tmp_path, pages, as_of=date(2025, 6, 1), specs=[annual_report_copied]))
    f = found["annual_report_copied"]["2024"]
    assert f.data["share"] >= 0.95 and f.data["previous_year"] == 2023
    assert f.url.endswith("2024.html")


def test_real_reports_are_not_copies(tmp_path):
    found = by_check(run_checks(tmp_path, _pingtan_pages(), specs=[annual_report_copied]))
    assert found == {}


def test_registered_with_docs():
    from checks import load_all

    registry = load_all()
    codes = {registry[n].code for n in ("missing_annual_report", "late_annual_report", "annual_report_format",
                                         "annual_report_arithmetic", "annual_report_copied",
                                         "annual_report_unreadable")}
    assert codes == {"GA401", "GA402", "GA403", "GA404", "GA405", "GA406"}
    doc = (Path(__file__).parent.parent / "checks" / "docs" / "annual_report.md").read_text(encoding="utf-8")
    for name in ("missing_annual_report", "late_annual_report", "annual_report_format", "annual_report_arithmetic",
                 "annual_report_copied", "annual_report_unreadable"):
        assert name in doc
        assert registry[name].basis and registry[name].remedy
