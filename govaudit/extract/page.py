"""Turn one HTML page into :class:`~govaudit.models.PageFacts`.

Pure: no network, no global state.  ``parse_page`` never raises: on
garbage it returns facts of kind ``other``.  The pieces live in
``regions`` (where on the page), ``fields`` (what the page says) and
``listing`` (rows and pagers).

>>> f = parse_page('<html><head><title>通知_某市人民政府</title></head><body><h1>通知</h1>'
...                '<div class="info">发布时间：2026-07-15 10:08</div><div id="zoom"><p>正文。</p></div></body></html>',
...                "http://www.x.gov.cn/a/t20260714_1.html")
>>> f.kind, f.title, f.published, f.published_source, f.url_date
('article', '通知', '2026-07-15', 'visible', '2026-07-14')
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Iterable
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from ..models import Link, ListItem, PageFacts
from .dates import FoundDate, date_from_url, find_dates, parse_date
from .dom import is_el, lines_of, norm, text_of
from .fields import (
    STANDARD_META,
    _SITEISH,
    _TITLE_SPLIT,
    _similar,
    body_headings,
    body_tables,
    find_doc_number,
    find_js_boxes,
    heading_candidates,
    read_breadcrumbs,
    read_footer,
    read_info_table,
    read_meta,
    page_text,
    site_from_title,
    split_title,
    visible_date,
)
from .links import classify_link, host_of, is_attachment_url
from .listing import (
    Row,
    anchor_title,
    counts_from_text,
    datastore_rows,
    find_rows,
    find_undated_rows,
    pager_from_links,
    pager_from_scripts,
    row_signature,
)
from .regions import _HIDDEN, Regions, find_body

__all__ = ["parse_page", "looks_not_found", "STANDARD_META"]

log = logging.getLogger(__name__)
_EMPTY = re.compile(r"^(?:暂无(?:相关)?(?:信息|数据|内容|记录|文章|公开信息|数据信息)|没有(?:相关)?(?:记录|信息|数据|内容)|无相关(?:信息|数据|记录))")

# ---------------------------------------------------------------------------
# soft 404
# ---------------------------------------------------------------------------

_NOT_FOUND_STRONG = re.compile(
    r"(?<!\d)404(?!\d)|页面不存在|您访问的页面不存在|您所访问的页面不存在|页面找不到|找不到(?:该|此|您要访问的)?页面|"
    r"页面未找到|not\s*found|访问的页面已删除|文章不存在|信息不存在|内容不存在|该信息已删除|已被删除|页面已删除|"
    r"栏目不存在|文档不存在|稿件不存在|页面已失效|链接已失效|无法找到该页",
    re.I,
)
_NOT_FOUND_BODY = re.compile(
    _NOT_FOUND_STRONG.pattern.replace(r"(?<!\d)404(?!\d)|", "")
    + r"|(?:错误|error|状态码|代码)\s*[:：]?\s*404|404\s*(?:错误|error|页面|not)",
    re.I,
)
_NOT_FOUND_WEAK = re.compile(r"不存在|找不到|已删除|已撤销|已下线|无法访问|出错了|错误页")


def looks_not_found(title: str, text: str) -> bool:
    """True when a page's own wording says it does not exist (soft 404).

    >>> looks_not_found("404", ""), looks_not_found("通知", "对不起，您访问的页面不存在！")
    (True, True)
    >>> looks_not_found("关于清理已删除文件的通知", "根据要求…" * 200)
    False
    """
    t = norm(title)
    if t and len(t) <= 60:
        for part in _TITLE_SPLIT.split(t):
            if _mostly_not_found(part):
                return True
    body = norm(text)
    if not body:
        return False
    if len(body) <= 600 and _NOT_FOUND_BODY.search(body):
        return True
    return len(body) <= 200 and bool(_NOT_FOUND_WEAK.search(body))


_FILLER = re.compile(r"[\s\W_]|提示|错误|信息|温馨|系统|对不起|抱歉|您好|很抱歉|页面|网页|网站|访问|您|的|请求|出错|啦|了")


def _mostly_not_found(part: str) -> bool:
    """A title part that is nothing but not-found wording ('404', '页面不存在！')."""
    if not part:
        return False
    hit = _NOT_FOUND_STRONG.search(part) or _NOT_FOUND_WEAK.search(part)
    if not hit:
        return False
    rest = _FILLER.sub("", _NOT_FOUND_WEAK.sub("", _NOT_FOUND_STRONG.sub("", part)))
    return len(rest) <= 3


# ---------------------------------------------------------------------------
# main entry
# ---------------------------------------------------------------------------

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


_PARSERS = threading.local()  # lxml parsers must not be shared between threads


def _parser() -> etree.HTMLParser:
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.HTMLParser(remove_comments=False, remove_pis=True, huge_tree=True)
    return parser


def _parse_tree(html: str) -> etree._Element | None:
    html = html.replace("\x00", "")
    html = _XML_DECL.sub("", html, count=1)
    if not html.strip():
        return None
    # plain lxml elements (not lxml.html proxies): the same tree, walked about twice as fast
    try:
        root = etree.fromstring(html, _parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        try:
            root = lxml.html.fragment_fromstring(html, create_parent="div")
        except (etree.ParserError, ValueError):
            return None
    return root


def parse_page(
    html: str, url: str, *, charset: str = "", internal_hosts: Iterable[str] | None = None
) -> PageFacts:
    """Read a decoded HTML page into :class:`PageFacts`.  Never raises."""
    facts = PageFacts(url=url, charset=charset)
    try:
        d = date_from_url(url)
        facts.url_date = d.isoformat() if d else None
        root = _parse_tree(html or "")
        if root is None:
            _finish_dates(facts)
            return facts
        _fill(facts, root, url, internal_hosts)
    except Exception:  # noqa: BLE001 - a broken page must never stop a crawl
        log.warning("extract: could not fully read %s", url, exc_info=True)
    try:
        _finish_dates(facts)
    except Exception:  # noqa: BLE001
        pass
    return facts


def _finish_dates(f: PageFacts) -> None:
    for value, source in ((f.visible_date, "visible"), (f.meta_date, "meta"), (f.url_date, "url")):
        if value:
            f.published, f.published_source = value, source
            return


def _base_url(root: etree._Element, url: str) -> str:
    for b in root.iter("base"):
        href = (b.get("href") or "").strip()
        if href and not href.startswith(("javascript", "#")):
            try:
                return urljoin(url, href)
            except ValueError:
                return url
    return url


_META_DATE_KEYS = ("PubDate", "published", "publishdate", "PublishDate", "pubdate", "article:published_time")
_BREAD_SKIP = frozenset(
    "正文 详情 详情页 正文内容 内容 文章 详细内容 浏览文章 信息详情 详细信息 内容详情 阅读正文 文章详情 查看详情".split()
)


def _fill(facts: PageFacts, root: etree._Element, url: str, internal_hosts: Iterable[str] | None) -> None:
    """Read every fact of a parsed page into ``facts`` (helpers below do the work)."""
    hosts = [h.lower() for h in internal_hosts] if internal_hosts else [host_of(url)]
    base = _base_url(root, url)
    scripts = [s.text for s in root.iter("script") if s.text]
    ds_rows = [row for txt in scripts if "<record" in txt.lower() for row in datastore_rows(txt)]

    facts.meta = read_meta(root)
    meta = facts.meta
    facts.site_name = meta.get("SiteName", "")
    md = next((d for d in (parse_date(meta.get(k)) for k in _META_DATE_KEYS) if d), None)
    facts.meta_date = md.isoformat() if md else None

    plain = Regions(None, set())
    body = find_body(root, skip=lambda e: plain.context(e) in ("nav", "footer", "breadcrumb", "related"))
    anchors = [a for a in root.iter("a", "area") if a.get("href") is not None]
    pre = Regions(body, set())
    def in_main(a: etree._Element) -> bool:
        return pre.context(a) not in ("nav", "footer", "breadcrumb", "related")

    main_rows = _main_rows(find_rows(anchors, in_main))
    title_tag = next((text_of(t) for t in root.iter("title")), "")
    facts.site_name = facts.site_name or site_from_title(title_tag)

    script_pages, script_count, script_records = pager_from_scripts(scripts, url)
    link_pages, link_count = pager_from_links(anchors, url, hosts, base)
    has_pager = bool(script_pages or link_pages or script_count)
    body_strong = body is not None and len(text_of(body)) > 100
    kind = _first_kind(meta, len(main_rows), bool(ds_rows), has_pager, body_strong)
    if kind == "listing" and not main_rows and not ds_rows:
        # a column that shows titles without dates
        main_rows = find_undated_rows(anchors, in_main)

    regions = Regions(body, {r.element for r in main_rows} if kind == "listing" else set())
    facts.breadcrumbs = read_breadcrumbs(root, regions, base)
    heads = heading_candidates(root, regions)
    tprefix = split_title(title_tag, facts.site_name)
    article_title = _article_title(heads, meta.get("ArticleTitle", ""), tprefix)

    text = page_text(root, regions, body)
    vd = visible_date(root, regions, body, article_title, text)
    if vd is not None:
        facts.visible_date, facts.visible_date_raw = vd.date.isoformat(), vd.raw
    if kind == "unknown":
        has_date = vd is not None or facts.meta_date is not None
        kind = "article" if body is not None and (heads or (body_strong and title_tag)) and has_date else "other"
    facts.kind = kind
    facts.column = _column(meta, facts.breadcrumbs, kind, article_title, tprefix)
    facts.title = (facts.column or tprefix or article_title) if kind == "listing" else (article_title or tprefix)

    if body is not None:
        facts.body_text = lines_of(
            body, skip=lambda e: regions.own(e) in ("nav", "footer", "breadcrumb"), only_marked=True
        )
        facts.headings = body_headings(body, facts.body_text)
        facts.tables = body_tables(body)
    facts.info_table = read_info_table(root)
    facts.doc_number = find_doc_number(facts.info_table, facts.body_text)
    full_text = text.replace("\x01", "").replace("\x02", "")  # without nav and footer
    facts.footer = read_footer(root, regions, full_text)
    facts.js_boxes = find_js_boxes(root, scripts, base)

    facts.links = [
        link
        for e in root.iter("a", "area", "iframe", "frame", "embed", "video", "source", "audio")
        if (link := _make_link(e, base, hosts, regions)) is not None
    ]
    facts.links += _redirect_links(root, scripts, base, hosts, len(full_text))
    if kind == "listing":
        facts.list_items = [_item(r.anchor, r.found, base, hosts) for r in main_rows]
        _add_datastore_rows(facts, ds_rows, base, hosts)
        text_pages, text_records = counts_from_text(full_text[-5000:])
    else:
        text_pages = text_records = None
    facts.pagination = script_pages or link_pages
    facts.page_count = script_count or link_count or text_pages
    facts.record_count = script_records if script_records is not None else text_records
    facts.empty_notice = not facts.list_items and _says_empty(root, regions)
    facts.is_not_found = _not_found(facts, root, regions, title_tag, full_text, body is not None)


_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\"\s>]+)", re.I)
_JS_REDIRECT = re.compile(
    r"(?:window\.|self\.|top\.|document\.)?location(?:\.href)?\s*=\s*['\"]([^'\"]+)['\"]|"
    r"location\.(?:replace|assign)\(\s*['\"]([^'\"]+)['\"]"
)


def _redirect_links(root: etree._Element, scripts: list[str], base: str, hosts: list[str], text_len: int) -> list[Link]:
    """Targets of <meta http-equiv=refresh> and, on a near-empty stub page, of a JS location change."""
    out: list[Link] = []
    for m in root.iter("meta"):
        if (m.get("http-equiv") or "").strip().lower() == "refresh":
            hit = _REFRESH.search(m.get("content") or "")
            if hit:
                url, kind = classify_link(hit.group(1), base, hosts)
                out.append(Link(url=url, kind=kind, context="other", tag="meta", raw=hit.group(1)))
    if text_len < 200:
        for js in scripts:
            for hit in _JS_REDIRECT.finditer(js):
                raw = hit.group(1) or hit.group(2)
                url, kind = classify_link(raw, base, hosts)
                if kind in ("page", "attachment", "external"):
                    out.append(Link(url=url, kind=kind, context="other", tag="script", raw=raw))
    return out


def _main_rows(groups: list[list[Row]]) -> list[Row]:
    """The listing's rows: the biggest dated group plus groups of the same row shape."""
    if not groups:
        return []
    biggest = groups[0]
    sig = row_signature(biggest[0])
    return [r for g in groups if g is biggest or len(g) >= 2 for r in g if row_signature(r) == sig]


def _first_kind(meta: dict[str, str], n_rows: int, datastore: bool, has_pager: bool, body_strong: bool) -> str:
    """listing / article from structure and metas; 'unknown' when the heading and date must decide."""
    if meta.get("ArticleTitle"):
        return "article"
    if (n_rows >= 3 or datastore or (has_pager and n_rows >= 1)) and not (body_strong and n_rows < 5 and not datastore):
        return "listing"
    if meta.get("PubDate"):
        return "article"
    if body_strong:
        return "unknown"  # an article body and no listing evidence: heading and date decide
    if meta.get("ColumnName") or n_rows >= 2 or has_pager:
        return "listing"
    return "unknown"


def _article_title(heads: list[tuple[etree._Element, str]], meta_title: str, tprefix: str) -> str:
    """The heading shown on the page that matches ArticleTitle or the <title> prefix."""
    if meta_title or _SITEISH.search(tprefix):
        tprefix_ref = ""  # ArticleTitle is the better reference; a site name is none
    else:
        tprefix_ref = tprefix
    for _e, t in heads:
        ref = meta_title if _similar(t, meta_title) else tprefix_ref if _similar(t, tprefix_ref) else ""
        if not ref:
            continue
        # a heading carrying extra words (date line, 'print') yields to the reference;
        # a much shorter one (the site name in a banner) is not the heading
        if len(t) > len(ref) + 2:
            return ref
        if re.sub(r"\s", "", t) == re.sub(r"\s", "", ref):
            # same words: line breaks inside a heading (<br>) are not spaces a reader sees
            return min((t, ref), key=lambda x: len(re.findall(r"\s", x)))
        t2, ref2 = re.sub(r"\s", "", t), re.sub(r"\s", "", ref)
        if len(t2) >= 0.7 * len(ref2) or (ref2.startswith(t2) and len(t2) >= 0.5 * len(ref2)):
            return t  # the heading as shown (ArticleTitle may add the 文号 in brackets)
    return meta_title or tprefix or (heads[0][1] if heads else "")


# ColumnName of a page-template fragment (an include's own metas), not of the page
_TEMPLATE_COLUMNS = frozenset("头部 尾部 底部 页头 页脚 页尾 公共头部 公共尾部 头部导航 导航 header footer top bottom".split())


def _column(meta: dict[str, str], crumbs: list[dict[str, str]], kind: str, title: str, tprefix: str) -> str:
    """ColumnName (without a glued site name), else the last breadcrumb, else the listing heading."""
    site = meta.get("SiteName", "")
    col = meta.get("ColumnName", "")
    if site and col.startswith(site) and col != site:
        col = col[len(site):].strip(" _-|>")
    if col and (
        col.isdigit()
        or col == site
        or col.lower() in _TEMPLATE_COLUMNS
        or _similar(col, meta.get("ArticleTitle", ""))
        or col == title
    ):
        col = ""
    if not col:
        for item in reversed(crumbs):
            t = item["text"]
            if t in _BREAD_SKIP or (kind == "article" and _similar(t, title)):
                continue
            col = t
            break
    if not col and kind == "listing":
        col = tprefix
    return col


def _add_datastore_rows(facts: PageFacts, rows: list[etree._Element], base: str, hosts: list[str]) -> None:
    """Hanweb <datastore> records become list items and 'list' links."""
    for frag in rows:
        a = next((x for x in frag.iter("a") if x.get("href") is not None), None)
        if a is None:
            continue
        found = next(iter(find_dates(_rest_text(frag))), None)
        facts.list_items.append(_item(a, found, base, hosts))
        link = _make_link(a, base, hosts, None)
        if link is not None:
            link.context = "list"
            facts.links.append(link)


def _says_empty(root: etree._Element, regions: Regions) -> bool:
    for e in root.iter():
        if not is_el(e) or e.tag in ("script", "style", "option", "title"):
            continue
        t = norm(e.text)
        if t and len(t) <= 30 and _EMPTY.match(t) and regions.context(e) not in ("nav", "footer") and not _templated(e):
            return True
    return False


def _not_found(
    facts: PageFacts, root: etree._Element, regions: Regions, title_tag: str, full_text: str, has_body: bool
) -> bool:
    if facts.kind == "article" and facts.meta.get("ArticleTitle"):
        return looks_not_found(title_tag, "")  # a real article: only its title can say so
    if looks_not_found(title_tag, (facts.body_text if has_body else "") or full_text[:2000]):
        return True
    if facts.kind == "article" or facts.list_items:
        return False
    # the site template around a short message: '抱歉，您访问的页面不存在！'
    for e in root.iter():
        if not is_el(e) or e.tag in ("script", "style", "title", "option", "a"):
            continue
        t = norm(e.text)
        if t and len(t) <= 60 and _NOT_FOUND_BODY.search(t):
            if regions.context(e) not in ("nav", "footer") and not _templated(e):
                return True
    return False


def _templated(e: etree._Element) -> bool:
    """True inside a JS template (avalon/vue/angular conditionals) or a hidden block."""
    for x in (e, *e.iterancestors()):
        for k in x.attrib:
            if k.startswith(("ms-", "v-", "ng-", ":", "x-", "data-bind")):
                return True
        if _HIDDEN.search(x.get("style") or "") or x.get("hidden") is not None:
            return True
    return False


def _rest_text(frag: etree._Element) -> str:
    parts = []
    for e in frag.iter():
        if not is_el(e):
            continue
        if e.tag != "a" and e.text:
            parts.append(e.text)
        if e is not frag and e.tail:
            parts.append(e.tail)
    return norm(" ".join(parts))


def _item(a: etree._Element, found: FoundDate | None, base: str, hosts: list[str]) -> ListItem:
    href = a.get("href") or ""
    u, _kind = classify_link(href, base, hosts)
    return ListItem(
        url=u,
        title=anchor_title(a, found),
        date=found.date.isoformat() if found else None,
        raw_date=found.raw if found else "",
    )


_BINDINGS = ("ms-attr-href", "ms-href", ":href", "v-bind:href", "ng-href", "th:href", "ms-attr-src")


def _make_link(e: etree._Element, base: str, hosts: list[str], regions: Regions | None) -> Link | None:
    tag = e.tag
    if tag in ("a", "area"):
        raw = e.get("href")
        binding = next((e.get(b) for b in _BINDINGS if e.get(b) is not None), None)
        if raw is None:
            if binding is not None:
                raw = binding
                kind_override = "placeholder"
            elif e.get("hhref") is not None:
                raw = e.get("hhref") or ""
                kind_override = None
            else:
                return None
        else:
            kind_override = "placeholder" if binding is not None and not raw.strip() else None
    elif tag in ("iframe", "frame", "embed", "video", "source", "audio"):
        raw = e.get("src")
        if not raw:
            return None
        kind_override = None
    else:
        return None
    url, kind = classify_link(raw, base, hosts)
    if kind_override:
        kind, url = kind_override, raw
    if tag in ("embed", "video", "source", "audio") and kind == "page":
        if not is_attachment_url(url):
            return None
        kind = "attachment"
    if tag in ("embed", "source", "video", "audio") and kind == "page":
        return None
    text = text_of(e) if tag in ("a",) else ""
    if not text:
        text = norm(e.get("title") or e.get("alt") or "")
    if not text and tag == "a":
        img = next(e.iter("img"), None)
        if img is not None:
            text = norm(img.get("alt") or img.get("title") or "")
    ctx = regions.context(e) if regions is not None else "other"
    if ctx not in ("nav", "breadcrumb", "list", "body", "related", "footer", "other"):
        ctx = "other"
    return Link(url=url, text=text[:300], kind=kind, context=ctx, tag=tag, raw=raw)
