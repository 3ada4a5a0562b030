"""Column model and column checks (GA201–GA205) and the 19号 verdict, over hand-built crawls."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from checks.base import AuditContext
from checks.columns import (
    empty_column,
    guide_incomplete,
    homepage_not_updated,
    load_column_table,
    missing_section,
    site_verdict,
    stale_column,
)
from govaudit.columns import ColumnModelError, build_columns, classify, listing_key
from govaudit.models import Fetch, Link, ListItem, PageFacts
from govaudit.store import Store

SITE = "http://www.example.gov.cn/xxgk/"
AS_OF = _dt.date(2026, 11, 22)
TABLE = load_column_table()["classes"]


def ago(days: int) -> str:
    return (AS_OF - _dt.timedelta(days=days)).isoformat()


GUIDE_TEXT = (
    "一、主动公开 … 二、依申请公开 公民、法人或者其他组织可以向本机关提出申请，受理机构为办公室。"
    "受理机构：示例县人民政府办公室 办公地址：示例县人民路1号 办公时间：工作日上午9:00-12:00 "
    "联系电话：0591-12345678"
)


@dataclass
class Crawl:
    """A hand-built crawl: a start page with navigation, listings and articles."""

    rows: list[tuple[Fetch, PageFacts]] = field(default_factory=list)
    nav: list[Link] = field(default_factory=list)
    home_items: list[ListItem] = field(default_factory=list)
    home_links: list[Link] = field(default_factory=list)
    failed: list[Fetch] = field(default_factory=list)
    _n: int = 0

    def page(self, url: str, facts: PageFacts, depth: int = 1) -> None:
        self.rows.append((Fetch(url=url, status=200, role="page", depth=depth), facts))

    def items(self, slug: str, dates: list[str | None], *, dated_urls: bool = False) -> list[ListItem]:
        out = []
        for d in dates:
            self._n += 1
            if dated_urls and d:
                url = f"{SITE}{slug}/{d[:7].replace('-', '')}/t{d.replace('-', '')}_{self._n}.html"
            else:
                url = f"{SITE}{slug}/content_{self._n}.html"
            out.append(ListItem(url=url, title=f"信息{self._n}", date=d))
        return out

    def listing(self, name: str, slug: str, pages: list[list[str | None]], *, scheme: str = "plain",
                nav: bool = True, nav_url: str | None = None, empty_notice_first: bool = False,
                record_count: int | None = None, crawl_pages: int | None = None,
                meta: dict[str, str] | None = None) -> str:
        """A column listing of len(pages) pages; returns the first page's URL."""
        n = len(pages)
        if scheme == "query":
            urls = [f"{SITE}{slug}/list.html"] + [f"{SITE}{slug}/list.html?page={i + 1}" for i in range(1, n)]
        elif scheme == "hanweb":
            urls = [f"{SITE}col/{slug}/index.html"] + [
                f"{SITE}col/{slug}/index.html?uid=4712&pageNum={i + 1}" for i in range(1, n)]
        else:  # plain index_N.html and TRS createPageHTML (same URLs, page_count announced)
            urls = [f"{SITE}{slug}/index.html"] + [f"{SITE}{slug}/index_{i}.html" for i in range(1, n)]
        for i, (url, dates) in enumerate(zip(urls, pages)):
            if crawl_pages is not None and i >= crawl_pages:
                break
            facts = PageFacts(
                url=url, kind="listing", title=name, column=name, list_items=self.items(slug, dates),
                pagination=urls[1:] if i == 0 else [u for u in urls if u != url],
                page_count=n if scheme == "trs" else None,
                record_count=record_count if scheme == "hanweb" else record_count,
                empty_notice=(i == 0 and empty_notice_first),
                breadcrumbs=[{"text": "首页", "url": SITE}, {"text": "法定主动公开内容", "url": SITE + "fdzdgknr/"},
                             {"text": name, "url": urls[0]}],
                meta=dict(meta or {}),
            )
            self.page(url, facts)
        if nav:
            self.nav.append(Link(url=nav_url or urls[0], text=name, context="nav"))
        return urls[0]

    def fixed(self, name: str, slug: str, body: str, *, empty_notice: bool = False, kind: str = "other") -> str:
        url = f"{SITE}{slug}/"
        self.page(url, PageFacts(url=url, kind=kind, title=name, column=name, body_text=body,
                                 empty_notice=empty_notice))
        self.nav.append(Link(url=url, text=name, context="nav"))
        return url

    def article(self, url: str, *, visible: str | None = None, meta: str | None = None,
                url_date: str | None = None, breadcrumb_url: str | None = None) -> None:
        published = visible or meta or url_date
        source = "visible" if visible else "meta" if meta else "url" if url_date else None
        crumbs = [{"text": "栏目", "url": breadcrumb_url}] if breadcrumb_url else []
        self.page(url, PageFacts(url=url, kind="article", title="文章", visible_date=visible, meta_date=meta,
                                 url_date=url_date, published=published, published_source=source,
                                 breadcrumbs=crumbs), depth=2)

    def standard_sections(self) -> None:
        self.fixed("政府信息公开指南", "zfxxgkzn", GUIDE_TEXT)
        self.fixed("政府信息公开制度", "zfxxgkzd", "本机关政府信息公开工作制度……")
        self.fixed("法定主动公开内容", "fdzdgknr", "机构职能 政策文件 …")
        self.listing("政府信息公开年报", "zfxxgknb", [["2026-01-20", "2025-01-18"]])

    def save(self, tmp_path: Path, *, params: dict | None = None, site_config: dict | None = None,
             fresh_home: bool = True) -> AuditContext:
        tmp_path.mkdir(parents=True, exist_ok=True)
        store = Store(tmp_path / "audit.db")
        run_id = store.new_run(SITE, as_of=AS_OF.isoformat())
        items = list(self.home_items) or ([ListItem(SITE + "home/1.html", "首页新闻", ago(1))] if fresh_home else [])
        home = PageFacts(url=SITE, kind="other", title="政府信息公开", links=self.nav + self.home_links,
                         list_items=items)
        store.save_fetch(run_id, Fetch(url=SITE, status=200, role="page", depth=0), home)
        for fetch, facts in self.rows:
            store.save_fetch(run_id, fetch, facts)
        for fetch in self.failed:
            store.save_fetch(run_id, fetch, None)
        return AuditContext(store, run_id, as_of=AS_OF, params=params, site_config=site_config)


def names(findings) -> list[str]:
    return sorted(f.title for f in findings)


# ---------------------------------------------------------------------------
# classes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name,cls", [
    ("首页", "homepage"),
    ("工作动态", "news"), ("本地要闻", "news"), ("部门动态", "news"),
    ("通知公告", "notice"), ("政策文件", "notice"), ("规范性文件", "notice"), ("政策文件及解读", "notice"),
    ("人事信息", "personnel"), ("规划计划", "personnel"), ("人事任免", "personnel"),
    ("政府信息公开指南", "fixed"), ("政府信息公开制度", "fixed"), ("机构职能", "fixed"),
    ("法定主动公开内容", "fixed"),
    ("政府信息公开年报", "annual_report"), ("政府信息公开工作年度报告", "annual_report"),
    ("政务咨询", "interaction"), ("领导信箱", "interaction"),
    ("重点领域信息公开", "dated_other"), ("财政预决算", "dated_other"), ("执法公示", "dated_other"),
    ("政策解读", "dated_other"),
    ("网站地图", "other"),
])
def test_classify_names_into_the_update_classes(name: str, cls: str) -> None:
    assert classify(name, TABLE) == cls


def test_classify_uses_column_type_meta_and_explicit_config() -> None:
    assert classify("专题专栏", TABLE, column_type="信息公开，政策文件") == "notice"
    assert classify("工作动态", TABLE, explicit={"工作动态": "fixed"}) == "fixed"
    assert classify("工作动态", TABLE, explicit={"工作动态": {"class": "personnel"}}) == "personnel"
    with pytest.raises(ColumnModelError, match="工作动态"):
        classify("工作动态", TABLE, explicit={"工作动态": "weekly"})


def test_column_table_with_unknown_class_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text('[classes.weekly]\npatterns = ["周报"]\nmax_age_days = 7\n', encoding="utf-8")
    with pytest.raises(ColumnModelError, match="weekly"):
        load_column_table(bad)


# ---------------------------------------------------------------------------
# the model: grouping of listing pages
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["plain", "trs", "query", "hanweb"])
def test_listing_pages_are_one_column_keyed_by_the_first_page(tmp_path: Path, scheme: str) -> None:
    c = Crawl()
    first = c.listing("工作动态", "gzdt", [[ago(20), ago(21)], [ago(30)], [ago(3)]], scheme=scheme)
    ctx = c.save(tmp_path)
    cols = build_columns(ctx.pages(), table=TABLE, start_url=SITE)
    assert len(cols) == 1
    col = cols[0]
    assert (col.name, col.url, col.cls, col.parent) == ("工作动态", first, "news", "法定主动公开内容")
    assert len(col.pages) == 3 and col.pages[0] == first
    assert len(col.items) == 4
    # the newest item sits on the last page: it is found and the column is fresh
    assert col.newest().date == ago(3)
    assert list(stale_column(ctx)) == []


def test_nav_link_to_the_directory_names_the_index_html_listing(tmp_path: Path) -> None:
    c = Crawl()
    first = c.listing("LISTING HEADING", "tzgg", [[ago(1)]], nav_url=SITE + "tzgg/")
    c.nav[-1].text = "通知公告"
    ctx = c.save(tmp_path)
    cols = build_columns(ctx.pages(), table=TABLE, start_url=SITE)
    assert [(col.name, col.url, col.cls) for col in cols] == [("通知公告", first, "notice")]


def test_listing_key_variants() -> None:
    assert listing_key(SITE + "gzdt/index_4.html") == (SITE + "gzdt/", 4)
    assert listing_key(SITE + "gzdt/list.html?page=3") == (SITE + "gzdt/list.html", 3)
    assert listing_key(SITE + "col/col9/index.html?uid=4712&pageNum=2")[0] == listing_key(SITE + "col/col9/")[0]
    assert listing_key(SITE + "zhengce/home_5.htm") == (SITE + "zhengce/home.htm", 5)


# ---------------------------------------------------------------------------
# stale_column
# ---------------------------------------------------------------------------


def test_news_column_limit_is_14_days_15_is_stale(tmp_path: Path) -> None:
    c = Crawl()
    c.listing("工作动态", "gzdt", [[ago(14), ago(40)]])
    c.listing("本地要闻", "bdyw", [[ago(15), ago(40)]])
    found = list(stale_column(c.save(tmp_path)))
    assert names(found) == ["本地要闻"]
    f = found[0]
    assert f.code == "GA201" and f.url == SITE + "bdyw/index.html"
    assert f.data["column_class"] == "news" and f.data["column_label"] == "动态、要闻"
    assert (f.data["newest_date"], f.data["date_source"]) == (ago(15), "list")
    assert (f.data["limit_days"], f.data["days_over"], f.data["as_of"]) == (14, 1, "2026-11-22")
    assert any("19号" in b.document for b in f.basis) and f.remedy


def test_six_months_are_calendar_months_before_the_audit_date(tmp_path: Path) -> None:
    c = Crawl()
    c.listing("通知公告", "tzgg", [["2026-05-22"]])   # exactly 6 months: in time
    c.listing("政策文件", "zcwj", [["2026-05-21"]])   # one day more: stale
    c.listing("财政预决算", "czyjs", [["2026-05-21"]])  # dated_other: 6 months by default
    c.listing("重点领域信息公开", "zdly", [["2026-06-01"]])
    found = list(stale_column(c.save(tmp_path)))
    assert names(found) == ["政策文件", "财政预决算"]
    by = {f.title: f for f in found}
    assert by["政策文件"].data["limit_days"] == (AS_OF - _dt.date(2026, 5, 22)).days == 184
    assert by["政策文件"].data["days_over"] == 1 and by["政策文件"].data["limit"] == "6个月"
    assert by["财政预决算"].data["column_class"] == "dated_other"


def test_personnel_and_plans_have_one_year(tmp_path: Path) -> None:
    c = Crawl()
    c.listing("人事信息", "rsxx", [["2025-11-22"]])
    c.listing("规划计划", "ghjh", [["2025-11-21"]])
    found = list(stale_column(c.save(tmp_path)))
    assert names(found) == ["规划计划"]
    assert found[0].data["limit"] == "1年" and found[0].data["days_over"] == 1


def test_fixed_annual_report_interaction_and_other_columns_are_never_stale(tmp_path: Path) -> None:
    c = Crawl()
    c.listing("机构职能", "jgzn", [["2015-01-01"]])
    c.listing("政府信息公开年报", "zfxxgknb", [["2019-03-01"]])
    c.listing("政务咨询", "zwzx", [["2018-01-01"]])
    c.listing("网站地图", "wzdt", [["2017-01-01"]])
    c.fixed("政府信息公开指南", "zfxxgkzn", GUIDE_TEXT, kind="article")
    assert list(stale_column(c.save(tmp_path))) == []


def test_param_and_site_config_override_the_table(tmp_path: Path) -> None:
    c = Crawl()
    c.listing("工作动态", "gzdt", [[ago(20)]])
    c.listing("专题活动", "ztzl", [[ago(100)]])
    ctx = c.save(tmp_path, params={"column_max_age_days": {"news": 30}},
                 site_config={"columns": {"专题活动": "news"}})
    found = list(stale_column(ctx))
    assert names(found) == ["专题活动"]
    assert found[0].data["limit_days"] == 30 and found[0].data["days_over"] == 70


def test_items_without_any_date_count_as_not_updated(tmp_path: Path) -> None:
    c = Crawl()
    c.listing("通知公告", "tzgg", [[None, None]])
    c.listing("工作动态", "gzdt", [[ago(40), None]])
    found = {f.title: f for f in stale_column(c.save(tmp_path))}
    assert set(found) == {"通知公告", "工作动态"}
    undated = found["通知公告"]
    assert undated.data["date_source"] == "none" and undated.data["newest_date"] is None
    assert "未注明信息发布时间的视为不更新" in undated.reason
    assert found["工作动态"].data["undated_items"] == 1 and "未注明发布时间" in found["工作动态"].reason


def test_article_dates_visible_first_then_meta_then_url(tmp_path: Path) -> None:
    c = Crawl()
    first = c.listing("工作动态", "gzdt", [[None, None, None]])
    items = [it for _, f in c.rows if f.url == first for it in f.list_items]
    c.article(items[0].url, visible=ago(20), meta=ago(2))   # visible wins over a fresher meta date
    c.article(items[1].url, meta=ago(18))
    c.article(items[2].url, url_date=ago(16))
    ctx = c.save(tmp_path)
    col = build_columns(ctx.pages(), table=TABLE, start_url=SITE)[0]
    assert sorted((it.date, it.source) for it in col.items) == [
        (ago(20), "visible"), (ago(18), "meta"), (ago(16), "url")]
    f = list(stale_column(ctx))[0]
    assert (f.data["newest_date"], f.data["date_source"], f.data["days_over"]) == (ago(16), "url", 2)


def test_url_date_of_an_uncrawled_item(tmp_path: Path) -> None:
    c = Crawl()
    first = c.listing("工作动态", "gzdt", [[]])
    facts = next(f for _, f in c.rows if f.url == first)
    facts.list_items = [ListItem(SITE + "gzdt/202611/t20261101_77.html", "无日期行")]
    found = list(stale_column(c.save(tmp_path)))
    assert found[0].data["newest_date"] == "2026-11-01" and found[0].data["date_source"] == "url"


def test_articles_breadcrumbed_to_a_column_add_their_dates(tmp_path: Path) -> None:
    # a JS-paged list (Pingtan "动静结合") shows old rows; a newer article reached otherwise
    # names the column in its breadcrumb
    c = Crawl()
    first = c.listing("工作动态", "gzdt", [[ago(60)]])
    c.article(SITE + "gzdt/202611/t20261120_9.html", visible=ago(2), breadcrumb_url=first)
    assert list(stale_column(c.save(tmp_path))) == []


@pytest.mark.parametrize("raw,expected", [
    ("2026年11月15日", "2026-11-15"),
    ("2026年07月15日", "2026-07-15"),
    ("2026/11/9", "2026-11-09"),
    ("[2026-11-12]", "2026-11-12"),
    ("2026-11-10 10∶08", "2026-11-10"),
    ("2026-11-11  14:52", "2026-11-11"),
    ("\u00a02026-11-13\u3000", "2026-11-13"),
])
def test_list_dates_as_real_sites_write_them(tmp_path: Path, raw: str, expected: str) -> None:
    c = Crawl()
    first = c.listing("工作动态", "gzdt", [[]])
    facts = next(f for _, f in c.rows if f.url == first)
    facts.list_items = [ListItem(SITE + "gzdt/a.html", "a", None, raw), ListItem(SITE + "gzdt/b.html", "b", ago(200))]
    ctx = c.save(tmp_path)
    col = build_columns(ctx.pages(), table=TABLE, start_url=SITE)[0]
    assert col.newest().date == expected and col.newest().source == "list"
    # dates after 2026-11-07 are within 14 days of 2026-11-22
    assert bool(list(stale_column(ctx))) is (expected < "2026-11-08")


def test_future_dates_do_not_make_a_column_fresh(tmp_path: Path) -> None:
    c = Crawl()
    c.listing("工作动态", "gzdt", [["2027-01-01", ago(30)]])
    found = list(stale_column(c.save(tmp_path)))
    assert found[0].data["newest_date"] == ago(30)


# ---------------------------------------------------------------------------
# empty_column
# ---------------------------------------------------------------------------


def test_empty_listing_on_all_pages_and_empty_notice_pages(tmp_path: Path) -> None:
    c = Crawl()
    c.listing("工作动态", "gzdt", [[], []])
    c.listing("通知公告", "tzgg", [[]], empty_notice_first=True)
    c.fixed("机构职能", "jgzn", "暂无信息", empty_notice=True)
    c.listing("人事信息", "rsxx", [[ago(3)]])
    ctx = c.save(tmp_path)
    found = list(empty_column(ctx))
    assert names(found) == ["工作动态", "机构职能", "通知公告"]
    by = {f.title: f for f in found}
    assert by["工作动态"].code == "GA202" and by["工作动态"].data["listing_pages"] == 2
    assert by["通知公告"].data["empty_notice"] is True
    # an empty column is empty, not stale as well
    assert list(stale_column(ctx)) == []


def test_empty_first_page_with_items_on_later_pages_is_not_empty(tmp_path: Path) -> None:
    c = Crawl()
    c.listing("工作动态", "gzdt", [[], [ago(2)]], scheme="trs", empty_notice_first=True)
    c.listing("通知公告", "tzgg", [[], [ago(500)]], scheme="hanweb")
    ctx = c.save(tmp_path)
    assert list(empty_column(ctx)) == []
    assert names(stale_column(ctx)) == ["通知公告"]


def test_empty_first_page_announcing_uncrawled_pages_is_not_called_empty(tmp_path: Path) -> None:
    c = Crawl()
    c.listing("工作动态", "gzdt", [[], [ago(2)]], scheme="trs", crawl_pages=1)
    c.listing("通知公告", "tzgg", [[]], scheme="hanweb", record_count=25)
    ctx = c.save(tmp_path)
    assert list(empty_column(ctx)) == [] and list(stale_column(ctx)) == []


# ---------------------------------------------------------------------------
# homepage_not_updated
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("age,stale", [(14, False), (15, True)])
def test_homepage_14_days(tmp_path: Path, age: int, stale: bool) -> None:
    c = Crawl()
    c.home_items = [ListItem(SITE + "a.html", "a", ago(age)), ListItem(SITE + "b.html", "b", ago(age + 30))]
    found = list(homepage_not_updated(c.save(tmp_path)))
    assert bool(found) is stale
    if stale:
        assert found[0].url == SITE and found[0].data["days_over"] == 1 and found[0].code == "GA203"


def test_homepage_reads_the_articles_it_links_to(tmp_path: Path) -> None:
    c = Crawl()
    c.home_links = [Link(SITE + "gzdt/202611/t20261118_1.html", "新闻", context="list")]
    c.article(SITE + "gzdt/202611/t20261118_1.html", visible=ago(4))
    assert list(homepage_not_updated(c.save(tmp_path, fresh_home=False))) == []


def test_navigation_portal_homepage_is_judged_by_its_second_level_pages(tmp_path: Path) -> None:
    c = Crawl()
    c.listing("工作动态", "gzdt", [[ago(30)]])
    c.listing("通知公告", "tzgg", [[ago(20)]])
    found = list(homepage_not_updated(c.save(tmp_path, fresh_home=False)))
    assert found and found[0].data["newest_date"] == ago(20) and found[0].data["judged_on"] == "首页二级页面"


def test_homepage_without_dates_is_not_updated(tmp_path: Path) -> None:
    c = Crawl()
    c.home_items = [ListItem(SITE + "a.html", "a")]
    found = list(homepage_not_updated(c.save(tmp_path)))
    assert found and found[0].data["date_source"] == "none" and "未注明发布时间" in found[0].reason


# ---------------------------------------------------------------------------
# missing_section and guide_incomplete
# ---------------------------------------------------------------------------


def test_all_four_sections_present(tmp_path: Path) -> None:
    c = Crawl()
    c.standard_sections()
    ctx = c.save(tmp_path)
    assert list(missing_section(ctx)) == []
    assert list(guide_incomplete(ctx)) == []


def test_absent_and_unreachable_sections(tmp_path: Path) -> None:
    c = Crawl()
    c.fixed("政府信息公开指南", "zfxxgkzn", GUIDE_TEXT)
    c.fixed("法定主动公开内容", "fdzdgknr", "…")
    c.nav.append(Link(SITE + "zfxxgknb/", "政府信息公开年报", context="nav"))
    c.failed.append(Fetch(url=SITE + "zfxxgknb/", status=404, role="page"))
    found = {f.data["section"]: f for f in missing_section(c.save(tmp_path))}
    assert set(found) == {"system", "annual_report"}
    assert found["system"].data["problem"] == "absent" and found["system"].title == "政府信息公开制度"
    assert found["annual_report"].data["problem"] == "unreachable"
    assert found["annual_report"].url == SITE + "zfxxgknb/" and "404" in found["annual_report"].reason


def test_guide_missing_hours_phone_and_procedure(tmp_path: Path) -> None:
    c = Crawl()
    c.fixed("政府信息公开指南", "zfxxgkzn", "政府信息公开工作机构：示例县人民政府办公室，办公地址：人民路1号。")
    found = list(guide_incomplete(c.save(tmp_path)))
    assert len(found) == 1
    assert found[0].data["missing_elements"] == ["办公时间", "联系电话", "依申请公开程序"]
    assert found[0].url == SITE + "zfxxgkzn/" and found[0].code == "GA205"


def test_guide_published_as_an_article_in_a_listing(tmp_path: Path) -> None:
    c = Crawl()
    first = c.listing("政府信息公开指南", "zfxxgkzn", [[ago(300)]])
    art = next(f for _, f in c.rows if f.url == first).list_items[0].url
    c.page(art, PageFacts(url=art, kind="article", body_text="办公地址：人民路1号"), depth=2)
    found = list(guide_incomplete(c.save(tmp_path)))
    assert found[0].url == art and "办公地址" not in found[0].data["missing_elements"]


# ---------------------------------------------------------------------------
# the 19号 verdict
# ---------------------------------------------------------------------------


def verdict_for(tmp_path: Path, *, stale_news: int = 0, stale_notice: int = 0, stale_personnel: int = 0,
                empty: int = 0, fresh: int = 3, fresh_home: bool = True) -> dict:
    c = Crawl()
    c.standard_sections()
    for i in range(stale_news):
        c.listing(f"动态{i}", f"dt{i}", [[ago(15)]])
    for i in range(stale_notice):
        c.listing(f"通知公告{i}", f"tz{i}", [[ago(300)]])
    for i in range(stale_personnel):
        c.listing(f"人事信息{i}", f"rs{i}", [[ago(400)]])
    for i in range(empty):
        c.listing(f"重点领域{i}", f"zd{i}", [[]])
    for i in range(fresh):
        c.listing(f"要闻{i}", f"yw{i}", [[ago(1)]])
    ctx = c.save(tmp_path, fresh_home=fresh_home)
    findings = [*stale_column(ctx), *empty_column(ctx), *homepage_not_updated(ctx)]
    return site_verdict(ctx, findings)


def test_verdict_four_stale_news_and_notice_columns_pass(tmp_path: Path) -> None:
    v = verdict_for(tmp_path, stale_news=2, stale_notice=2)
    assert v["verdict"] == "合格" and v["counts"]["stale_news_notice"] == 4 and v["reasons"] == []


def test_verdict_five_stale_news_and_notice_columns_fail(tmp_path: Path) -> None:
    v = verdict_for(tmp_path, stale_news=3, stale_notice=2)
    assert v["verdict"] == "不合格" and v["counts"]["stale_news_notice"] == 5
    assert len(v["reasons"]) == 1 and "栏目不更新" in v["reasons"][0] and "5个" in v["reasons"][0]


def test_verdict_nine_should_update_pass_ten_fail(tmp_path: Path) -> None:
    v9 = verdict_for(tmp_path / "a", stale_notice=4, stale_personnel=1, empty=4)
    assert v9["verdict"] == "合格" and v9["counts"]["should_update"] == 9
    v10 = verdict_for(tmp_path / "b", stale_notice=4, stale_personnel=2, empty=4)
    assert v10["verdict"] == "不合格" and v10["counts"]["should_update"] == 10
    assert any("应更新但长期未更新" in r for r in v10["reasons"])


def test_verdict_four_empty_pass_five_fail(tmp_path: Path) -> None:
    assert verdict_for(tmp_path / "a", empty=4)["verdict"] == "合格"
    v = verdict_for(tmp_path / "b", empty=5)
    assert v["verdict"] == "不合格" and v["counts"]["empty"] == 5
    assert any("空白栏目" in r for r in v["reasons"])


def test_verdict_homepage_not_updated_fails(tmp_path: Path) -> None:
    c = Crawl()
    c.standard_sections()
    c.home_items = [ListItem(SITE + "a.html", "a", ago(15))]
    ctx = c.save(tmp_path)
    v = site_verdict(ctx, list(homepage_not_updated(ctx)))
    assert v["verdict"] == "不合格" and v["reasons"][0].startswith("首页不更新")


def test_verdict_thresholds_come_from_params(tmp_path: Path) -> None:
    c = Crawl()
    for i in range(2):
        c.listing(f"动态{i}", f"dt{i}", [[ago(15)]])
    ctx = c.save(tmp_path, params={"veto_stale_columns": 2})
    v = site_verdict(ctx, list(stale_column(ctx)))
    assert v["verdict"] == "不合格" and v["thresholds"]["veto_stale_columns"] == 2


def test_impossible_list_date_falls_back_to_the_next_source(tmp_path: Path) -> None:
    c = Crawl()
    first = c.listing("工作动态", "gzdt", [[]])
    facts = next(f for _, f in c.rows if f.url == first)
    facts.list_items = [ListItem(SITE + "gzdt/202611/t20261120_5.html", "a", "2026-02-30", "2026-02-30")]
    ctx = c.save(tmp_path)
    assert list(stale_column(ctx)) == []  # the URL's 2026-11-20 is used, not the impossible list date
    col = build_columns(ctx.pages(), table=TABLE, start_url=SITE)[0]
    assert (col.items[0].date, col.items[0].source) == ("2026-11-20", "url")


def test_unreachable_and_unfetched_nav_columns_are_not_judged_stale_or_empty(tmp_path: Path) -> None:
    c = Crawl()
    c.nav.append(Link(SITE + "tzgg/", "通知公告", context="nav"))
    c.failed.append(Fetch(url=SITE + "tzgg/", status=None, error="timeout", role="page"))
    c.nav.append(Link(SITE + "gzdt/", "工作动态", context="nav"))  # never requested
    ctx = c.save(tmp_path)
    cols = {col.name: col for col in build_columns(ctx.pages(), table=TABLE, start_url=SITE, fetches=ctx.fetches())}
    assert (cols["通知公告"].kind, cols["通知公告"].error) == ("unreachable", "timeout")
    assert cols["工作动态"].kind == "unfetched"
    assert list(stale_column(ctx)) == [] and list(empty_column(ctx)) == []
