"""The column model: the 政府信息公开专栏 as an inspector sees it.

Pure functions over the pages of one run (``[(fetch_row, PageFacts), ...]``,
what :meth:`checks.base.AuditContext.pages` returns).  Nothing here touches the
network or the store.

A column is found from

* navigation links (``Link.context == "nav"``): name = anchor text, URL = target;
* listing pages (``PageFacts.kind == "listing"``): every page of one listing
  (``index.html``, ``index_1.html`` … or ``?page=N``, plus the URLs the pager
  announces in ``PageFacts.pagination``) is grouped into one column keyed by its
  first page;
* the ``ColumnName``/``ColumnType`` metas, breadcrumbs and headings the extractor
  put in ``PageFacts.column``/``breadcrumbs``/``meta``;
* article pages whose last breadcrumb links to a known column (their dates count
  for that column even when the listing page that shows them was not crawled).

Each column gets a class (homepage, news, notice, personnel, fixed, annual_report,
interaction, dated_other, other) from a table of name patterns (checks/columns.toml,
passed in as ``table``); the class decides the update rule.

Example::

    >>> from govaudit.models import PageFacts, ListItem, Link
    >>> home = PageFacts(url="http://x.gov.cn/", kind="other",
    ...     links=[Link("http://x.gov.cn/gzdt/", "工作动态", context="nav")])
    >>> lst = PageFacts(url="http://x.gov.cn/gzdt/", kind="listing",
    ...     list_items=[ListItem("http://x.gov.cn/gzdt/202611/t20261101_1.html", "a", "2026-11-01")])
    >>> table = {"news": {"label": "动态、要闻", "patterns": ["动态"], "max_age_days": 14}}
    >>> cols = build_columns([({"url": home.url}, home), ({"url": lst.url}, lst)],
    ...                      start_url="http://x.gov.cn/", table=table)
    >>> [(c.name, c.cls, c.newest().date) for c in cols if c.cls == "news"]
    [('工作动态', 'news', '2026-11-01')]
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .extract.dates import date_from_url, parse_date
from .models import PageFacts

#: Column classes, in the order a tie between equally long name patterns is settled.
COLUMN_CLASSES = (
    "homepage",
    "annual_report",
    "fixed",
    "interaction",
    "personnel",
    "notice",
    "news",
    "dated_other",
    "other",
)

#: Where an item's date came from.
ITEM_DATE_SOURCES = ("list", "visible", "meta", "url", "none")

#: Query keys that only select a page of a listing.
PAGE_QUERY_KEYS = {
    "page", "pagenum", "pageno", "pageindex", "currentpage", "curpage", "cur_page", "pn", "p",
    "startrecord", "endrecord", "perpage", "uid", "pagesize",
}

#: Anchor texts that do not name a column.
GENERIC_NAV_TEXTS = {"", "更多", "更多>>", "more", "more>>", "》", ">>", "+", "查看更多", "点击查看", "详细"}

_PAGED_FILE = re.compile(r"^(index|home|list|default|nlist|indexpage)(?:_(\d+))?\.(s?html?|jsp|aspx?|php)$", re.I)
_PAGE_QUERY_NUM = re.compile(r"^\d+$")


class ColumnModelError(ValueError):
    """The column table or a site's column configuration is unusable."""


@dataclass
class ColumnItem:
    """One entry of a column: a list row or an article that belongs to the column."""

    url: str
    title: str = ""
    date: str | None = None  # YYYY-MM-DD
    source: str = "none"  # one of ITEM_DATE_SOURCES
    raw_date: str = ""


@dataclass
class Column:
    """One column of the site as the crawl saw it."""

    name: str
    url: str  # first page of its listing (or the column's only page)
    cls: str = "other"
    label: str = ""
    parent: str = ""
    kind: str = "unfetched"  # listing | page (fixed content) | unfetched | unreachable
    pages: list[str] = field(default_factory=list)  # crawled pages of the listing, first page first
    missing_pages: list[str] = field(default_factory=list)  # pages the pager announces but not crawled
    items: list[ColumnItem] = field(default_factory=list)
    empty_notice: bool = False  # a page of it says 暂无信息
    page_count: int | None = None  # pages the pager announces
    record_count: int | None = None  # records the pager announces
    found_by: list[str] = field(default_factory=list)  # nav | listing | breadcrumb | start
    status: int | None = None  # HTTP status of its first page
    error: str | None = None  # fetch error of its first page
    body_text: str = ""  # text of a fixed-content page

    def dated_items(self, as_of: _dt.date | None = None) -> list[ColumnItem]:
        """Items with a date, future dates (after ``as_of``) left out."""
        out = [it for it in self.items if it.date]
        if as_of is not None:
            out = [it for it in out if _dt.date.fromisoformat(it.date or "") <= as_of]
        return out

    def undated_items(self) -> list[ColumnItem]:
        return [it for it in self.items if not it.date]

    def newest(self, as_of: _dt.date | None = None) -> ColumnItem | None:
        """The item with the newest date (None when no item carries a date)."""
        dated = self.dated_items(as_of)
        return max(dated, key=lambda it: it.date or "") if dated else None

    @property
    def is_empty(self) -> bool:
        """A named column without content: no item on any page and nothing announced elsewhere.

        A listing whose first page is empty (CMS fault) but whose pager announces
        more pages or records is not called empty: its content lies beyond the crawl.
        """
        if self.items:
            return False
        if self.kind == "listing":
            if self.missing_pages or (self.record_count or 0) > 0:
                return False
            return True
        if self.kind == "page":
            return self.empty_notice
        return False


# ---------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------


def classify(name: str, table: Mapping[str, Mapping[str, Any]], *, column_type: str = "",
             explicit: Mapping[str, Any] | None = None) -> str:
    """The class of a column name: explicit config first, then the longest matching pattern.

    Patterns are plain substrings (checks/columns.toml).  The longest pattern that
    occurs in the name wins ("执法公示" beats "公示", "政策文件" beats "解读"); a tie
    goes to the class listed first in the table.  When the name matches nothing the
    ``ColumnType`` meta is tried; else "other".

    >>> t = {"notice": {"patterns": ["公示", "政策文件"]}, "dated_other": {"patterns": ["执法公示", "解读"]}}
    >>> classify("执法公示", t), classify("政策文件及解读", t), classify("网站地图", t)
    ('dated_other', 'notice', 'other')
    """
    if explicit:
        got = explicit.get(name)
        if isinstance(got, Mapping):
            got = got.get("class")
        if got:
            if got not in table and got != "other":
                raise ColumnModelError(f"column {name!r} is configured with an unknown class {got!r}")
            return str(got)
    for text in (name, column_type):
        best, best_len = None, 0
        for cls, spec in table.items():
            for pat in spec.get("patterns", []) or []:
                if pat and pat in text and len(pat) > best_len:
                    best, best_len = cls, len(pat)
        if best:
            return best
    return "other"


# ---------------------------------------------------------------------------
# URLs of listing pages
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def listing_key(url: str) -> tuple[str, int]:
    """(key of the listing a page belongs to, page number) for a listing page URL.

    ``index.html``, ``index_3.html``, the directory itself and ``?page=N`` (or
    ``pageNum``, ``pageIndex`` …) all map to the same key.

    >>> listing_key("http://x.gov.cn/tzgg/index_2.html")
    ('http://x.gov.cn/tzgg/', 2)
    >>> listing_key("http://x.gov.cn/col/col12/index.html?uid=9&pageNum=3")
    ('http://x.gov.cn/col/col12/', 3)
    >>> listing_key("http://x.gov.cn/tzgg/")
    ('http://x.gov.cn/tzgg/', 0)
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    page_no = 0
    head, _, last = path.rpartition("/")
    m = _PAGED_FILE.match(last)
    if m and m.group(1).lower() in ("index", "default", "indexpage"):
        path = head + "/"
        page_no = int(m.group(2) or 0)
    elif m and m.group(2):
        path = f"{head}/{m.group(1)}.{m.group(3)}"
        page_no = int(m.group(2))
    kept = []
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k.lower() in PAGE_QUERY_KEYS:
            if k.lower() in ("page", "pagenum", "pageno", "pageindex", "currentpage", "curpage", "cur_page", "pn", "p") \
                    and _PAGE_QUERY_NUM.match(v):
                page_no = max(page_no, int(v))
            continue
        kept.append((k, v))
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, urlencode(kept), "")), page_no


class _Groups:
    """Union-find over listing keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, k: str) -> str:
        self.parent.setdefault(k, k)
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

def url_date(url: str) -> str | None:
    """The date a CMS wrote into an article URL, if any.

    >>> url_date("http://x.gov.cn/a/202503/t20250310_97791.htm"), url_date("http://x.gov.cn/art/2024/6/9/art_1_2.html")
    ('2025-03-10', '2024-06-09')
    """
    got = date_from_url(url)
    return got.isoformat() if got is not None else None


def parse_list_date(raw: str) -> str | None:
    """A list row's date text as YYYY-MM-DD."""
    if not raw or not raw.strip():
        return None
    got = parse_date(raw)
    return got.isoformat() if got is not None else None


def _iso(value: str | None) -> str | None:
    """``value``'s first 10 characters when they are a real YYYY-MM-DD date, else None."""
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def item_date(url: str, list_date: str | None, raw_date: str,
              article: PageFacts | None) -> tuple[str | None, str]:
    """(date, source) of one item: the list row's date, else the article's visible,
    meta, URL date, else the date in the item's URL.  Impossible dates are skipped.

    >>> item_date("http://x.gov.cn/a.html", None, "", None)
    (None, 'none')
    >>> item_date("http://x.gov.cn/a/202503/t20250310_1.htm", "2026-02-30", "", None)
    ('2025-03-10', 'url')
    """
    candidates: list[tuple[str | None, str]] = [(list_date, "list"), (parse_list_date(raw_date), "list")]
    if article is not None:
        candidates += [(article.visible_date, "visible"), (article.meta_date, "meta"), (article.url_date, "url")]
        if article.published_source in ("visible", "meta", "url"):
            candidates.append((article.published, article.published_source))
    for value, source in candidates:
        got = _iso(value)
        if got:
            return got, source
    got = _iso(url_date(url))
    return (got, "url") if got else (None, "none")


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _norm(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _nav_names(pages: list[tuple[dict[str, Any], PageFacts]]) -> dict[str, str]:
    """Listing key -> the column name most often used by navigation links to it."""
    counts: dict[str, dict[str, int]] = {}
    for _, facts in pages:
        for ln in facts.links:
            if ln.context != "nav" or ln.kind != "page":
                continue
            text = re.sub(r"\s+", "", ln.text or "")
            if text.lower() in GENERIC_NAV_TEXTS:
                continue
            key = listing_key(ln.url)[0]
            counts.setdefault(key, {}).setdefault(text, 0)
            counts[key][text] += 1
    return {k: max(v.items(), key=lambda kv: (kv[1], -len(kv[0])))[0] for k, v in counts.items()}


def _parent_of(facts: PageFacts, name: str) -> str:
    crumbs = [c.get("text", "").strip() for c in facts.breadcrumbs if c.get("text", "").strip()]
    crumbs = [c for c in crumbs if c not in ("当前位置", "您现在的位置", "首页", "网站首页")]
    if not crumbs:
        return ""
    if name in crumbs:
        i = crumbs.index(name)
        return crumbs[i - 1] if i > 0 else ""
    return crumbs[-2] if len(crumbs) >= 2 else ""


def _page_name(facts: PageFacts) -> str:
    if facts.column:
        return facts.column.strip()
    if facts.breadcrumbs:
        return (facts.breadcrumbs[-1].get("text") or "").strip()
    return (facts.title or "").strip()


@dataclass
class _Crawl:
    """The pages of a run indexed by URL (as requested, final and as the facts say)."""

    pages: list[tuple[dict[str, Any], PageFacts]]
    fetches: Mapping[str, dict[str, Any]]
    table: Mapping[str, Mapping[str, Any]]
    explicit: Mapping[str, Any] | None
    start_key: str | None
    facts: dict[str, PageFacts] = field(default_factory=dict)
    fetch: dict[str, dict[str, Any]] = field(default_factory=dict)
    nav_names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for fetch, facts in self.pages:
            for u in (fetch.get("url"), fetch.get("final_url"), facts.url):
                if u:
                    self.facts.setdefault(_norm(u), facts)
                    self.fetch.setdefault(_norm(u), fetch)
        self.nav_names = _nav_names(self.pages)

    def fetch_of(self, url: str) -> dict[str, Any] | None:
        return self.fetch.get(_norm(url)) or self.fetches.get(url) or self.fetches.get(_norm(url))

    def is_start(self, url: str) -> bool:
        return bool(self.start_key) and listing_key(url)[0] == self.start_key

    def classify(self, name: str, facts: PageFacts | None) -> str:
        column_type = facts.meta.get("ColumnType", "") if facts is not None else ""
        return classify(name, self.table, column_type=column_type, explicit=self.explicit)


#: One crawled page of a listing: (page number, crawl order, URL, facts).
_Member = tuple[int, int, str, PageFacts]


def build_columns(
    pages: Iterable[tuple[dict[str, Any], PageFacts]],
    *,
    table: Mapping[str, Mapping[str, Any]],
    start_url: str | None = None,
    fetches: Mapping[str, dict[str, Any]] | None = None,
    explicit: Mapping[str, Any] | None = None,
) -> list[Column]:
    """Every column of one run, first pages of listings grouped, items dated.

    ``table`` is the class table (class -> {label, patterns, …}); ``fetches`` all
    requested URLs by URL (to tell an unreachable nav target from one never
    requested); ``explicit`` the site config's name -> class mapping.
    """
    crawl = _Crawl(list(pages), fetches or {}, table, explicit,
                   listing_key(start_url)[0] if start_url else None)
    members, announced = _group_listings(crawl)
    columns: dict[str, Column] = {
        root: _listing_column(crawl, rows, announced.get(root, set())) for root, rows in members.items()
    }
    key_to_root = {listing_key(u)[0]: root for root, rows in members.items() for _, _, u, _ in rows}
    columns.update(_nav_columns(crawl, set(key_to_root)))
    _add_breadcrumbed_articles(crawl, columns, key_to_root)
    out = list(columns.values())
    for col in out:
        col.label = str((table.get(col.cls) or {}).get("label", col.cls))
    return out


def _group_listings(crawl: _Crawl) -> tuple[dict[str, list[_Member]], dict[str, set[str]]]:
    """Listing pages grouped into listings (root key -> pages, first page first), and
    the page URLs each listing's pager announces."""
    groups = _Groups()
    listing_pages: list[tuple[str, PageFacts]] = []
    for fetch, facts in crawl.pages:
        url = fetch.get("url") or facts.url
        if facts.kind != "listing" or crawl.is_start(url):
            continue  # the start page is the homepage, never a listing column
        listing_pages.append((url, facts))
        key = listing_key(url)[0]
        groups.find(key)
        for p in facts.pagination:
            groups.union(key, listing_key(p)[0])
    members: dict[str, list[_Member]] = {}
    announced: dict[str, set[str]] = {}
    for order, (url, facts) in enumerate(listing_pages):
        key, page_no = listing_key(url)
        root = groups.find(key)
        members.setdefault(root, []).append((page_no, order, url, facts))
        announced.setdefault(root, set()).update(_norm(p) for p in facts.pagination)
    for rows in members.values():
        rows.sort(key=lambda r: (r[0], r[1]))
    return members, announced


def _listing_column(crawl: _Crawl, rows: list[_Member], announced: set[str]) -> Column:
    """One column from the crawled pages of its listing."""
    first_url, first = rows[0][2], rows[0][3]
    # a nav link to any page of the listing names the column
    nav_name = next((crawl.nav_names[k] for k in (listing_key(u)[0] for _, _, u, _ in rows)
                     if k in crawl.nav_names), "")
    name = nav_name or next((_page_name(f) for _, _, _, f in rows if _page_name(f)), "") or first_url
    col = Column(
        name=name, url=first_url, kind="listing", parent=_parent_of(first, name),
        pages=[u for _, _, u, _ in rows],
        missing_pages=_missing_pages(announced, {_norm(u) for _, _, u, _ in rows}),
        found_by=["nav", "listing"] if nav_name else ["listing"],
        status=(crawl.fetch_of(first_url) or {}).get("status"),
        cls=crawl.classify(name, first),
    )
    seen: set[str] = set()
    for _, _, _, facts in rows:
        col.empty_notice = col.empty_notice or facts.empty_notice
        if facts.page_count:
            col.page_count = max(col.page_count or 0, facts.page_count)
        if facts.record_count:
            col.record_count = max(col.record_count or 0, facts.record_count)
        for li in facts.list_items:
            if _norm(li.url) in seen:
                continue
            seen.add(_norm(li.url))
            date, source = item_date(li.url, li.date, li.raw_date, crawl.facts.get(_norm(li.url)))
            col.items.append(ColumnItem(url=li.url, title=li.title, date=date, source=source, raw_date=li.raw_date))
    return col


def _nav_columns(crawl: _Crawl, listing_keys: set[str]) -> dict[str, Column]:
    """Navigation targets that are not listings: fixed pages, unreachable or never fetched."""
    out: dict[str, Column] = {}
    for _, facts in crawl.pages:
        for ln in facts.links:
            if ln.context != "nav" or ln.kind != "page":
                continue
            key = listing_key(ln.url)[0]
            name = crawl.nav_names.get(key)
            if not name or key in listing_keys or key in out or crawl.is_start(ln.url):
                continue
            out[key] = _page_column(crawl, name, ln.url)
    return out


def _page_column(crawl: _Crawl, name: str, url: str) -> Column:
    col = Column(name=name, url=url, found_by=["nav"])
    target = crawl.facts.get(_norm(url))
    fetch = crawl.fetch_of(url)
    if fetch is not None:
        col.status, col.error = fetch.get("status"), fetch.get("error")
    if target is None or _failed(fetch):
        col.kind = "unreachable" if _failed(fetch) else "unfetched"
        col.cls = crawl.classify(name, None)
        return col
    col.kind, col.pages, col.cls = "page", [url], crawl.classify(name, target)
    col.empty_notice, col.body_text = target.empty_notice, target.body_text
    col.parent = _parent_of(target, name)
    if target.kind == "article" and (target.visible_date or target.meta_date or target.url_date):
        d, s = item_date(url, None, "", target)
        col.items.append(ColumnItem(url=url, title=target.title, date=d, source=s))
    elif target.body_text.strip() and not target.empty_notice:
        col.items.append(ColumnItem(url=url, title=target.title or name))  # content without a date
    return col


def _add_breadcrumbed_articles(crawl: _Crawl, columns: dict[str, Column], key_to_root: dict[str, str]) -> None:
    """Articles whose last breadcrumb links to a known listing add their dates to it."""
    seen: dict[int, set[str]] = {}
    for fetch, facts in crawl.pages:
        if facts.kind != "article" or not facts.breadcrumbs:
            continue
        crumb_url = (facts.breadcrumbs[-1].get("url") or "").strip()
        root = key_to_root.get(listing_key(crumb_url)[0]) if crumb_url else None
        col = columns.get(root) if root else None
        if col is None:
            continue
        url = fetch.get("url") or facts.url
        if id(col) not in seen:
            seen[id(col)] = {_norm(it.url) for it in col.items}
        known = seen[id(col)]
        if _norm(url) in known:
            continue
        known.add(_norm(url))
        d, s = item_date(url, None, "", facts)
        col.items.append(ColumnItem(url=url, title=facts.title, date=d, source=s))


def _missing_pages(announced: set[str], crawled: set[str]) -> list[str]:
    crawled_keys = {listing_key(u) for u in crawled}
    return sorted(u for u in announced if u not in crawled and listing_key(u) not in crawled_keys)


def _failed(fetch: Mapping[str, Any] | None) -> bool:
    if fetch is None:
        return False
    status = fetch.get("status")
    return bool(fetch.get("error")) or status is None or int(status) >= 400


def homepage_items(
    pages: Iterable[tuple[dict[str, Any], PageFacts]], start_url: str
) -> tuple[str | None, list[ColumnItem]]:
    """(URL of the start page, its dated entries): list rows and the articles it links to."""
    pages = list(pages)
    by_url: dict[str, PageFacts] = {}
    for fetch, facts in pages:
        for u in (fetch.get("url"), fetch.get("final_url"), facts.url):
            if u:
                by_url.setdefault(_norm(u), facts)
    start = by_url.get(_norm(start_url))
    if start is None:
        zero = [(f, p) for f, p in pages if (f.get("depth") or 0) == 0]
        if not zero:
            return None, []
        start = zero[0][1]
    items: list[ColumnItem] = []
    seen: set[str] = set()
    for li in start.list_items:
        seen.add(_norm(li.url))
        d, s = item_date(li.url, li.date, li.raw_date, by_url.get(_norm(li.url)))
        items.append(ColumnItem(url=li.url, title=li.title, date=d, source=s, raw_date=li.raw_date))
    for ln in start.links:
        if ln.kind != "page" or ln.context in ("nav", "footer", "breadcrumb") or _norm(ln.url) in seen:
            continue
        target = by_url.get(_norm(ln.url))
        if target is None or target.kind != "article":
            continue
        seen.add(_norm(ln.url))
        d, s = item_date(ln.url, None, "", target)
        items.append(ColumnItem(url=ln.url, title=target.title or ln.text, date=d, source=s))
    return start.url or start_url, items
