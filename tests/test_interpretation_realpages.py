"""解读 checks on real saved pages (through the page extractor)."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from checks.base import AuditContext
from checks.interpretation import late_interpretation, missing_interpretation, unlinked_interpretation
from govaudit.models import Fetch, PageFacts
from govaudit.policy import analyse
from govaudit.store import Store

extract_mod = pytest.importorskip("govaudit.extract")

PAGES = Path(__file__).parent / "data" / "realpages"
PINGTAN_URL = "https://www.pingtan.gov.cn/zwgk/qgwhwj/202112/t20211231_29893.htm"
PINGTAN_JD = "https://www.pingtan.gov.cn/jdhy/zcjd/202201/t20220128_30293.htm"
WUHAN_URL = "https://www.wuhan.gov.cn/sy/whyw/202311/t20231106_2294796.shtml"


def _facts(name: str, url: str) -> PageFacts:
    return extract_mod.extract((PAGES / name).read_bytes(), url)


def _run(tmp_path, pages: list[PageFacts], spec):
    store = Store(tmp_path / "t.db")
    run_id = store.new_run("https://www.example.gov.cn/", as_of="2026-11-22")
    for f in pages:
        store.save_fetch(run_id, Fetch(url=f.url, status=200), f)
    return list(spec(AuditContext(store, run_id, as_of=date(2026, 11, 22))))


@pytest.fixture(scope="module")
def pingtan() -> PageFacts:
    return _facts("pingtan_policy_qgwhwj_29893_with_jiedu_link.html", PINGTAN_URL)


@pytest.fixture(scope="module")
def wuhan() -> PageFacts:
    return _facts("trs_wuhan_gov_article_xgjd_block.html", WUHAN_URL)


def test_pingtan_policy_is_a_document_with_its_jiedu_link_as_evidence(pingtan):
    analysis = analyse([pingtan])
    [doc] = analysis.documents
    assert doc.doc_number == "岚综管综〔2021〕143号" and doc.published == "2021-12-31"
    [m] = analysis.matches_for(PINGTAN_URL)
    assert m.interpretation_url == PINGTAN_JD
    assert m.evidence[0].kind == "doc_links_to_jiedu" and m.strength == 4
    # the 解读 names the same document in 《》 as the policy's title
    assert m.has("title")


def test_pingtan_jiedu_is_not_missing_but_late_by_its_address_date(tmp_path, pingtan):
    assert _run(tmp_path, [pingtan], missing_interpretation) == []
    [f] = _run(tmp_path, [pingtan], late_interpretation)
    # 2021-12-31 (Fri) -> 2022-01-28 (Fri): 01-01..03 元旦 holidays, then four full weeks minus Mon 01-03
    assert (f.data["document_date"], f.data["interpretation_date"], f.data["working_days"]) == (
        "2021-12-31", "2022-01-28", 19)
    assert f.severity == "low"  # the 解读 page itself was not crawled: date read from its address
    assert _run(tmp_path, [pingtan], unlinked_interpretation) == []


def test_wuhan_news_with_hidden_jiedu_box_is_not_reported_missing(tmp_path, wuhan):
    assert "相关解读" in wuhan.js_boxes
    assert analyse([wuhan]).documents == []
    assert _run(tmp_path, [wuhan], missing_interpretation) == []


def test_wuhan_hidden_jiedu_box_on_a_policy_page_asks_for_manual_confirmation(tmp_path, wuhan):
    # the same real page, as if it carried a 文号: the JS-only 相关解读 box is no proof of absence
    page = copy.deepcopy(wuhan)
    page.doc_number = "武政规〔2023〕5号"
    [f] = _run(tmp_path, [page], missing_interpretation)
    assert f.severity == "low" and f.data["needs_manual_confirmation"] is True
    assert "相关解读" in f.reason


@pytest.mark.parametrize(
    "name,url",
    [
        ("shanghai_wsjkw_article.html", "https://wsjkw.sh.gov.cn/jcws2/20240511/a.html"),  # 关于开展…主题宣传活动的通知
        ("trs_moe_article.html", "http://www.moe.gov.cn/srcsite/A12/moe_1407/s3020/202406/t20240611_1135370.html"),
        ("ucap_sichuan_article_jyda.html", "https://wsjkw.sc.gov.cn/2025/6/3/abc.shtml"),  # 人大建议答复
    ],
)
def test_real_work_notices_and_replies_with_a_wenhao_need_no_jiedu(tmp_path, name, url):
    facts = _facts(name, url)
    assert facts.doc_number  # a 文号 alone does not make a policy that needs a 解读
    analysis = analyse([facts])
    assert analysis.documents == [] and len(analysis.exempt) == 1
    assert _run(tmp_path, [facts], missing_interpretation) == []
