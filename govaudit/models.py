"""Shared models of govaudit: the one place every stage agrees on.

Data flows one way: crawl -> store -> checks -> findings -> reports.

* The extractor (``govaudit.extract``) turns one HTML page into :class:`PageFacts`.
* The crawler (``crawler/``) fetches pages and check-only targets and hands
  :class:`PageFacts` plus :class:`Fetch` records to the store.
* The store (``govaudit.store``) keeps them in SQLite.
* Checks (``checks/``) read stored facts and return :class:`Finding` objects.
* Reports (``reports/``) render findings; they never read pages.

Everything here is plain data (dataclasses) that round-trips through JSON.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

#: Page kinds as seen by the extractor.
PAGE_KINDS = ("listing", "article", "other")

#: Where a page's publish date came from.
DATE_SOURCES = ("visible", "meta", "url")

#: Link kinds.
#: page       - an HTML page (crawlable when on an allowed host)
#: attachment - a document/file (pdf, doc(x), xls(x), wps, zip, rar, ofd, jpg ...)
#: external   - any http(s) target on a host that is not crawled
#: mailto, tel, javascript, anchor (#...), placeholder (template such as {{url}} or
#: $!{url} or avalon ``ms-attr-href``), other (ftp:, data:, file: ...)
LINK_KINDS = (
    "page",
    "attachment",
    "external",
    "mailto",
    "tel",
    "javascript",
    "anchor",
    "placeholder",
    "other",
)

#: Where on the page a link sits.
LINK_CONTEXTS = ("nav", "breadcrumb", "list", "body", "related", "footer", "other")

SEVERITIES = ("high", "medium", "low")


@dataclass
class Link:
    url: str  # absolute target as linked (fragment removed); raw href for non-http kinds
    text: str = ""  # anchor text (or title/alt) as shown
    kind: str = "page"  # one of LINK_KINDS
    context: str = "other"  # one of LINK_CONTEXTS
    tag: str = "a"  # a, area, iframe, img, script, link, form ...
    raw: str = ""  # href exactly as written in the page


@dataclass
class ListItem:
    """One row of a listing page."""

    url: str
    title: str
    date: str | None = None  # YYYY-MM-DD as shown in the list
    raw_date: str = ""  # the text the date was read from


@dataclass
class PageFacts:
    """What govaudit reads on one HTML page (the output of ``govaudit page``)."""

    url: str
    kind: str = "other"  # listing | article | other
    title: str = ""  # as shown to a reader (article heading, else <title>)
    published: str | None = None  # YYYY-MM-DD: visible date, else meta PubDate, else URL date
    published_source: str | None = None  # visible | meta | url
    visible_date: str | None = None
    visible_date_raw: str = ""
    meta_date: str | None = None
    url_date: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # standard tags found (SiteName, PubDate ...)
    site_name: str = ""
    column: str = ""  # column name: ColumnName meta, else last breadcrumb, else listing heading
    breadcrumbs: list[dict[str, str]] = field(default_factory=list)  # [{text, url}]
    doc_number: str = ""  # 发文字号 such as 清政办发〔2026〕12号
    info_table: dict[str, str] = field(default_factory=dict)  # 索引号, 发布机构, 成文日期, 发布日期, 文号 ...
    links: list[Link] = field(default_factory=list)
    list_items: list[ListItem] = field(default_factory=list)
    pagination: list[str] = field(default_factory=list)  # further listing pages (absolute URLs)
    page_count: int | None = None  # total pages the pager announces (createPageHTML, countPage ...)
    record_count: int | None = None  # total records the pager announces, when it says so
    empty_notice: bool = False  # the page says 暂无信息/暂无数据 in its content area
    js_boxes: list[str] = field(default_factory=list)  # relation boxes filled by JavaScript (e.g. 相关解读)
    body_text: str = ""  # main content text (article body), whitespace-normalised
    headings: list[str] = field(default_factory=list)  # headings/section titles inside the body
    footer: dict[str, str] = field(default_factory=dict)  # 主办单位, 网站标识码, ICP ...
    charset: str = ""  # the charset used to decode the page
    is_not_found: bool = False  # the page itself says the page does not exist (soft-404 text)
    tables: list[list[list[str]]] = field(default_factory=list)  # tables in the body: rows of cell texts
    doc_format: str = "html"  # html | pdf | image (what the facts were read from)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PageFacts":
        d = dict(d)
        d["links"] = [Link(**x) for x in d.get("links") or []]
        d["list_items"] = [ListItem(**x) for x in d.get("list_items") or []]
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class Fetch:
    """The outcome of requesting one URL (crawled page or check-only target)."""

    url: str  # as requested (as linked)
    role: str = "page"  # page (crawled and parsed) | check (status only: attachment/external) | probe
    final_url: str | None = None
    redirects: list[str] = field(default_factory=list)  # chain of URLs before final_url
    status: int | None = None  # HTTP status; None when no response
    error: str | None = None  # dns | refused | timeout | reset | redirect_loop | too_large | tls | other:...
    error_detail: str = ""
    method: str = "GET"
    content_type: str = ""
    length: int | None = None  # bytes received
    elapsed: float | None = None  # seconds
    etag: str = ""
    last_modified: str = ""
    blocked: bool = False  # a WAF/anti-bot answer (412, challenge page)
    depth: int = 0
    referer: str | None = None


@dataclass
class Basis:
    """The 依据 of a finding: a rule in a document, cited."""

    document: str
    clause: str = ""
    text: str = ""

    def to_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)


@dataclass
class Finding:
    """One problem found by a check.

    ``url`` is the key object of the finding (the broken target, the column's
    listing page, the policy document ...); ``key`` distinguishes findings on
    the same URL (e.g. the year of a missing annual report).  Check-specific
    facts go in ``data`` and are flattened into findings.json next to the
    common keys (``status`` there is the HTTP status of a link; the 整改
    tracking status is ``state``).
    """

    check: str  # stable name: broken_link, stale_column ...
    code: str  # stable code: GA101 ...
    url: str | None
    reason: str  # one line, in Chinese, what is wrong
    severity: str = "medium"
    basis: list[Basis] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # pages where it shows (linking pages ...)
    units: list[str] = field(default_factory=list)  # responsible units
    key: str = ""  # extra identity (year, column name ...) for tracking across runs
    title: str = ""  # short human label of the object (column name, document title ...)
    remedy: str = ""  # 整改要求
    data: dict[str, Any] = field(default_factory=dict)
    state: str = "new"  # 整改 tracking: new | open (still open since an earlier run) | fixed
    first_seen: str | None = None  # YYYY-MM-DD

    def fingerprint(self) -> str:
        return f"{self.check}|{self.url or ''}|{self.key}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "check": self.check,
            "code": self.code,
            "url": self.url,
            "title": self.title,
            "reason": self.reason,
            "severity": self.severity,
            "pages": list(self.pages),
            "units": list(self.units),
            "basis": [b.to_dict() for b in self.basis],
            "remedy": self.remedy,
            "state": self.state,
            "first_seen": self.first_seen,
        }
        if self.key:
            out["key"] = self.key
        for k, v in self.data.items():
            out.setdefault(k, v)
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Finding":
        d = dict(d)
        common = {f.name for f in dataclasses.fields(cls)} - {"data", "basis"}
        kw = {k: d.pop(k) for k in list(d) if k in common}
        basis = [Basis(**b) for b in d.pop("basis", [])]
        return cls(basis=basis, data=d, **kw)
