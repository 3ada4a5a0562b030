"""The store's readers, as the checks use them: what a check sees must be what the crawl stored,
while a large run is held compactly (rows shared, bulky fields read on demand)."""

from __future__ import annotations

import json

import pytest

from govaudit.models import Fetch, Link, ListItem, PageFacts
from govaudit.store import Store


def _page(url: str, *, title: str, links: list[Link], body: str = "", tables=None) -> tuple[Fetch, PageFacts]:
    facts = PageFacts(url=url, kind="article", title=title, published="2026-11-02", body_text=body,
                      tables=tables or [], headings=["一、总则"] if body else [], links=links,
                      meta={"SiteName": "测试县人民政府"}, breadcrumbs=[{"text": "通知公告", "url": url}],
                      list_items=[ListItem(title="条目", url=url + "#1", date="2026-11-01")])
    return Fetch(url=url, status=200, content_type="text/html", etag='"e1"', redirects=[]), facts


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "t.db")
    run = s.new_run("http://127.0.0.1:1/xxgk/", start_url="http://127.0.0.1:1/xxgk/", as_of="2026-11-22")
    nav = Link(url="http://127.0.0.1:1/xxgk/gknb/", text="年报", kind="page", context="nav")
    dead = Link(url="http://127.0.0.1:1/files/a.pdf", text="附件一", kind="attachment", context="content")
    items = [
        _page("http://127.0.0.1:1/xxgk/a.html", title="甲", links=[nav, dead], body="正文甲" * 200,
              tables=[[["项目", "数量"], ["收到申请", "3"]]]),
        _page("http://127.0.0.1:1/xxgk/b.html", title="乙", links=[nav]),
        _page("http://127.0.0.1:1/xxgk/c.html", title="丙", links=[dead, nav]),
        (Fetch(url="http://127.0.0.1:1/files/a.pdf", role="check", status=404,
               redirects=["http://127.0.0.1:1/old/a.pdf"]), None),
    ]
    s.save_fetches(run, items)
    return s, run


def test_rows_are_read_only_mappings_with_every_stored_column(store):
    s, run = store
    rows = {r["url"]: r for r in s.iter_fetches(run)}
    pdf = rows["http://127.0.0.1:1/files/a.pdf"]
    assert pdf["status"] == 404 and pdf.get("role") == "check" and pdf.get("error") is None
    assert pdf["redirects"] == ["http://127.0.0.1:1/old/a.pdf"]
    assert pdf.get("no-such-column", "dflt") == "dflt"
    assert "status" in pdf and "no-such-column" not in pdf
    assert dict(pdf)["blocked"] is False
    json.dumps(dict(pdf))  # a row can go into a finding's data as it is
    with pytest.raises(KeyError):
        pdf["no-such-column"]
    with pytest.raises(TypeError):
        pdf["status"] = 200  # type: ignore[index]


def test_pages_share_the_rows_and_read_bulky_fields_on_demand(store):
    s, run = store
    rows = {r["url"]: r for r in s.iter_fetches(run)}
    pages = list(s.iter_pages(run, fetches=rows))
    assert [f.title for _, f in pages] == ["甲", "乙", "丙"]
    row, facts = pages[0]
    assert row is rows[facts.url]
    assert "body_text" not in vars(facts) and "tables" not in vars(facts)
    assert facts.body_text == "正文甲" * 200
    assert facts.tables == [[["项目", "数量"], ["收到申请", "3"]]]
    assert facts.headings == ["一、总则"]
    assert pages[1][1].body_text == "" and pages[1][1].tables == []
    assert facts.meta == {"SiteName": "测试县人民政府"} and facts.breadcrumbs[0]["text"] == "通知公告"
    assert facts.list_items == [ListItem(title="条目", url="http://127.0.0.1:1/xxgk/a.html#1", date="2026-11-01")]
    # links in stored order; the same link on two pages is one object
    assert [ln.text for ln in facts.links] == ["年报", "附件一"]
    assert pages[1][1].links[0] is facts.links[0]
    # an explicit assignment still wins over the stored value
    facts.body_text = "改写"
    assert facts.body_text == "改写"


def test_pages_without_rows_given_read_their_own(store):
    s, run = store
    (row, facts), *_ = s.iter_pages(run)
    assert row["status"] == 200 and facts.url == row["url"]
    eager = next(iter(s.iter_pages(run, lazy=False)))[1]
    assert eager.body_text == facts.body_text and type(eager) is PageFacts


def test_links_to_reads_only_the_asked_targets_in_crawl_order(store):
    s, run = store
    got = s.links_to(run, ["http://127.0.0.1:1/files/a.pdf", "http://127.0.0.1:1/none"])
    assert list(got) == ["http://127.0.0.1:1/files/a.pdf"]
    assert [ln["source"] for ln in got["http://127.0.0.1:1/files/a.pdf"]] == [
        "http://127.0.0.1:1/xxgk/a.html", "http://127.0.0.1:1/xxgk/c.html"]
    assert got["http://127.0.0.1:1/files/a.pdf"][0]["text"] == "附件一"
    many = [f"http://127.0.0.1:1/x{i}" for i in range(1200)] + ["http://127.0.0.1:1/xxgk/gknb/"]
    assert len(s.links_to(run, many)["http://127.0.0.1:1/xxgk/gknb/"]) == 3  # past one SQL chunk
