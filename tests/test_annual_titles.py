"""Finding annual reports by title, telling the owner's report from its departments', and PDFs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from govaudit.annual import (
    is_own_report,
    looks_like_report_title,
    owner_type_of,
    pdf_facts,
    report_from_facts,
    report_owner_from_title,
)

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(DATA / "annual"))
from make_pdf import image_pdf, text_pdf  # noqa: E402


@pytest.mark.parametrize("title, year", [
    ("平潭综合实验区2024年度政府信息公开工作年度报告", 2024),
    ("平潭县人民政府2011年政府信息公开工作年度报告", 2011),
    ("平潭综合实验区地方税务局2013年信息公开年度报告", 2013),
    ("沭阳县发展和改革局2023年政府信息公开年度报告", 2023),
    ("宿州市人民政府2019年政府信息公开工作年度报告（图片版）", 2019),
    ("上海市黄浦区人民政府2022年政府信息公开工作年度报告（超链版）", 2022),
    ("河北省科学技术厅2023年政府信息公开工作年度报...", 2023),
    ("河北省科学技术厅2023年政府信息公开工作年度…", 2023),
    ("2021年政府信息公开年报", 2021),
    ("沐阳县人民政府 2025 年 政府信息公开工作年度报告", 2025),
])
def test_report_titles(title, year):
    assert looks_like_report_title(title) == year


@pytest.mark.parametrize("title", [
    "河北省教育厅2023年政府网站工作年度报表",
    "关于2014年政府信息公开工作要点落实情况的函",
    "关于报送2023年政府信息公开工作年度报告的通知",
    "图解：平潭综合实验区2024年度政府信息公开工作年度报告",
    "中华人民共和国政府信息公开工作年度报告格式",
    "2024年政务公开工作要点",
    "政府信息公开年报",
    "",
])
def test_look_alikes_are_not_reports(title):
    assert looks_like_report_title(title) is None


def test_owner_from_title_and_type():
    assert report_owner_from_title("平潭综合实验区地方税务局2013年信息公开年度报告") == "平潭综合实验区地方税务局"
    assert report_owner_from_title("2021年政府信息公开年报") == ""
    assert owner_type_of("沭阳县人民政府") == "government"
    assert owner_type_of("平潭综合实验区党工委管委会") == "government"
    assert owner_type_of("沭阳县发展和改革局") == "department"
    assert owner_type_of("河北省教育厅") == "department"
    assert owner_type_of("某某镇人民政府") == "government"


@pytest.mark.parametrize("report_owner, site_owner, own", [
    ("平潭综合实验区", "平潭综合实验区党工委管委会", True),
    ("平潭综合实验区", "福建省平潭综合实验区管理委员会", True),
    ("平潭综合实验区地方税务局", "平潭综合实验区党工委管委会", False),
    ("沭阳县人民政府", "沭阳县人民政府", True),
    ("沐阳县人民政府", "沭阳县人民政府", True),  # OCR 沐/沭
    ("沭阳县发展和改革局", "沭阳县人民政府", False),
    ("沭阳县钱集镇人民政府", "沭阳县人民政府", False),
    ("沭阳县人民政府", "沭阳县发展和改革局", False),
    ("沭阳县发展和改革局", "沭阳县发展和改革局", True),
    ("", "沭阳县人民政府", True),
    ("宿迁市人民政府", "沭阳县人民政府", False),
    ("宿迁市人民政府", "宿迁市沭阳县人民政府", False),  # the parent government's report
    ("沭阳县人民政府", "宿迁市沭阳县人民政府", True),
    ("平潭综合实验区", "平潭综合实验区党工委", True),
])
def test_own_report_vs_departments(report_owner, site_owner, own):
    assert is_own_report(report_owner, site_owner) is own


def test_real_listing_titles():
    """The pingtan 年报 column lists ten own reports (2016–2025) and links that are not reports."""
    from bs4 import BeautifulSoup

    html = (DATA / "realpages" / "pingtan_zfxxgknb_list.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    years = []
    for a in soup.find_all("a"):
        text = a.get_text(" ", strip=True)
        y = looks_like_report_title(text)
        if y is not None:
            assert is_own_report(report_owner_from_title(text), "平潭综合实验区党工委管委会")
            years.append(y)
        else:
            assert "年度报告" not in text
    assert sorted(years) == list(range(2016, 2026))
    site_name = soup.find("meta", attrs={"name": "SiteName"})["content"]
    assert owner_type_of(site_name) == "government"


def test_pdf_report_text_and_table():
    body = text_pdf([
        "测试县人民政府2024年政府信息公开工作年度报告",
        "一、总体情况 二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量 5 1 0 0 0 0 6",
        "（七）总计 4 1 0 0 0 0 5",
        "四、结转下年度继续办理 1 0 0 0 0 0 1",
    ])
    facts = pdf_facts(body, "http://x.gov.cn/gknb/2024.pdf")
    assert facts.doc_format == "pdf" and facts.kind == "article"
    assert facts.title == "测试县人民政府2024年政府信息公开工作年度报告"
    rep = report_from_facts(facts)
    assert rep.year == 2024 and rep.owner == "测试县人民政府" and rep.readable
    assert rep.table3["new"] == [5, 1, 0, 0, 0, 0, 6]
    assert rep.table3["carry_next"] == [1, 0, 0, 0, 0, 0, 1]
    assert "一、总体情况" in rep.sections and "六、其他需要报告的事项" in rep.missing_sections


def test_image_only_pdf_is_unreadable():
    facts = pdf_facts(image_pdf(), "http://x.gov.cn/gknb/scan.pdf")
    assert facts.doc_format == "image" and facts.body_text == ""
    assert not report_from_facts(facts).readable


def test_broken_pdf_raises():
    with pytest.raises(ValueError, match="not a readable PDF"):
        pdf_facts(b"<html>not a pdf</html>", "http://x/y.pdf")
