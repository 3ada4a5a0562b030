"""Listing pages: rows (title, link, date), pagers and announced totals.

Pure functions over an lxml tree and the page's script texts.

>>> pager_from_scripts(['createPageHTML(3, 0, "index", "html");'], "http://x.gov.cn/a/index.html")
(['http://x.gov.cn/a/index_1.html', 'http://x.gov.cn/a/index_2.html'], 3, None)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import urldefrag, urljoin

import lxml.html
from lxml import etree

from .dates import FoundDate, find_dates
from .dom import is_el, norm, text_of
from .links import classify_link

__all__ = [
    "Row",
    "find_rows",
    "find_undated_rows",
    "datastore_rows",
    "pager_from_scripts",
    "pager_from_links",
    "counts_from_text",
    "strip_js_comments",
]

ROW_TAGS = frozenset("li tr dl div p dd span td".split())


@dataclass
class Row:
    element: etree._Element  # the row (li, tr, dl, div ...)
    anchor: etree._Element  # its main link
    found: FoundDate | None  # the date shown in the row
    links: list[etree._Element] = field(default_factory=list)


def _text_without_links(e: etree._Element) -> str:
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(e, False)]
    while stack:
        el, closing = stack.pop()
        if closing:
            if el is not e and el.tail:
                parts.append(el.tail)
            parts.append(" ")
            continue
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None or tag in ("a", "script", "style"):
            if el is not e and el.tail:
                parts.append(el.tail)
            continue
        if el.text:
            parts.append(el.text)
        stack.append((el, True))
        for c in reversed(el):
            stack.append((c, False))
    return norm("".join(parts))


def _more_links_than(e: etree._Element, n: int) -> bool:
    count = 0
    for x in e.iter("a"):
        if x.get("href") is not None:
            count += 1
            if count > n:
                return True
    return False


def _date_in_anchor(a: etree._Element) -> FoundDate | None:
    """A date written inside the link itself: '<a>标题<span>2026-07-15</span></a>' or '标题 [2026-07-15]'."""
    text = text_of(a)
    if len(text) > 200:
        return None
    for found in find_dates(text):
        tail = text[found.end:].strip(" ]）)】")
        if found.start > 0 and not tail:
            return found
    for sub in a.iter():
        if sub is a or not is_el(sub):
            continue
        t = text_of(sub).strip(" []()（）【】")
        if t and len(t) <= 22:
            for found in find_dates(t):
                if found.start == 0 and found.end >= len(t) - 1:
                    return found
    return None


def _row_for(a: etree._Element) -> tuple[etree._Element, FoundDate] | None:
    """Climb from a link to the smallest row element that also shows a date."""
    inner = _date_in_anchor(a)
    if inner is not None:
        parent = a.getparent()
        if (
            parent is not None
            and parent.tag in ("li", "dd", "dt", "p", "td", "div", "span", "h3", "h4")
            and not _more_links_than(parent, 2)
        ):
            return parent, inner
        return a, inner
    e = a.getparent()
    for _ in range(4):
        if e is None or not is_el(e) or e.tag in ("body", "html", "ul", "ol", "table", "tbody"):
            return None
        if e.tag in ROW_TAGS:
            if _more_links_than(e, 3):
                return None
            rest = _text_without_links(e)
            if len(rest) <= 120:
                for found in find_dates(rest):
                    return e, found
        e = e.getparent()
    return None


def find_rows(links: Iterable[etree._Element], keep: Callable[[etree._Element], bool]) -> list[list[Row]]:
    """Group dated rows by their parent; biggest group first."""
    groups: dict[etree._Element, list[Row]] = {}
    seen: set[etree._Element] = set()
    for a in links:
        if a.get("href") is None or not keep(a):
            continue
        hit = _row_for(a)
        if hit is None:
            continue
        row_el, found = hit
        if row_el in seen:
            continue
        seen.add(row_el)
        parent = row_el.getparent()
        groups.setdefault(parent, []).append(Row(row_el, a, found, [a]))
    return sorted(groups.values(), key=len, reverse=True)


def find_undated_rows(links: Iterable[etree._Element], keep: Callable[[etree._Element], bool]) -> list[Row]:
    """Rows of a listing that shows no dates: the biggest group of sibling rows with title-like links.

    Menus have short link texts; article titles are long, so groups are weighed by text length.
    """
    groups: dict[etree._Element, list[Row]] = {}
    seen: set[etree._Element] = set()
    for a in links:
        if a.get("href") is None or not keep(a):
            continue
        row = a.getparent()
        for _ in range(2):
            if row is None or row.tag in ("li", "tr", "dd", "dt", "p", "div"):
                break
            row = row.getparent()
        if row is None or row.tag not in ("li", "tr", "dd", "dt", "p", "div") or row in seen:
            continue
        if _more_links_than(row, 2):
            continue
        seen.add(row)
        parent = row.getparent()
        if parent is not None:
            groups.setdefault(parent, []).append(Row(row, a, None, [a]))
    best: list[Row] = []
    best_score = 0.0
    for rows in groups.values():
        if len(rows) < 3:
            continue
        avg = sum(len(anchor_title(r.anchor)) for r in rows) / len(rows)
        if avg >= 8 and len(rows) * avg > best_score:
            best, best_score = rows, len(rows) * avg
    return best


def row_signature(row: Row) -> tuple[str, str]:
    return (row.element.tag, (row.element.get("class") or "").strip())


def anchor_title(a: etree._Element, found: FoundDate | None = None) -> str:
    """What a list link says: its visible text (without a date written inside it), else its title."""
    text = text_of(a)
    if found is not None and found.raw and text.endswith(found.raw.strip()) or (
        found is not None and found.raw and found.raw in text and len(text) > len(found.raw) + 2
    ):
        text = norm(text.replace(found.raw, " ")).strip(" []()（）【】")
    title = norm(a.get("title"))
    if title and (not text or (text.endswith(("...", "…")) and len(title) > len(text))):
        return title
    return text or title


_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)


def datastore_rows(script_text: str) -> list[etree._Element]:
    """Hanweb ``<datastore>`` records as parsed row fragments (div wrappers)."""
    out = []
    for m in _RECORD.finditer(script_text):
        frag = m.group(1).strip()
        if not frag:
            continue
        try:
            out.append(lxml.html.fragment_fromstring(frag, create_parent="div"))
        except (etree.ParserError, ValueError):
            continue
    return out


def strip_js_comments(js: str) -> str:
    """Remove /* */ and // comments (not the // of URLs in strings)."""
    js = re.sub(r"/\*.*?\*/", " ", js, flags=re.S)
    js = re.sub(r"(?m)(?<![:\"'\\])//[^\n]*", " ", js)
    js = re.sub(r"<!--|-->", " ", js)
    return js


_CREATE = re.compile(r"createPage(?:HTML|Html)\w*\s*\(([^()]*)\)")
_VAR = re.compile(r"\b(?:var\s+|let\s+|const\s+)?(\w+)\s*=\s*['\"]?(\d+)['\"]?\s*[;\n,]")
_STR = re.compile(r"^\s*['\"]([^'\"]*)['\"]\s*$")


def _trs_pages(count: int, current: int, prefix: str, ext: str, list_url: str) -> list[str]:
    base = urljoin(list_url, "./")
    out = []
    for i in range(count):
        if i == current:
            continue
        name = f"{prefix}.{ext}" if i == 0 else f"{prefix}_{i}.{ext}"
        out.append(base + name)
    return out


def _parse_create_args(args: str, variables: dict[str, int]) -> tuple[int, int, str, str] | None:
    parts = [p.strip() for p in args.split(",")]
    nums: list[int] = []
    strs: list[str] = []
    for p in parts:
        if not p:
            continue
        m = _STR.match(p)
        if m:
            if nums:  # strings after the numbers: prefix, extension
                strs.append(m.group(1))
            continue
        if p.isdigit():
            nums.append(int(p))
        elif p in variables:
            nums.append(variables[p])
        elif re.fullmatch(r"[\w.]+", p):
            return None  # unknown variable: cannot tell
    if len(nums) < 2:
        return None
    prefix = strs[0] if strs and strs[0] else "index"
    ext = strs[1] if len(strs) > 1 and strs[1] else "html"
    return nums[0], nums[1], prefix, ext


def pager_from_scripts(scripts: Iterable[str], list_url: str) -> tuple[list[str], int | None, int | None]:
    """TRS/Hanweb/trt pagers in script code: (further page URLs, page_count, record_count)."""
    pages: list[str] = []
    page_count: int | None = None
    record_count: int | None = None
    per_page: int | None = None
    for raw in scripts:
        if not raw:
            continue
        js = strip_js_comments(raw)
        variables = {m.group(1): int(m.group(2)) for m in _VAR.finditer(js)}
        for m in _CREATE.finditer(js):
            if "function" in js[max(0, m.start() - 10):m.start()]:
                continue  # the definition, not a call
            parsed = _parse_create_args(m.group(1), variables)
            if parsed:
                count, current, prefix, ext = parsed
                if 0 < count <= 100000:
                    page_count = count
                    pages = _trs_pages(min(count, 2000), current, prefix, ext, list_url)
        if page_count is None and "countPage" in variables and "createPageHTML" not in js:
            count = variables["countPage"]
            if 0 < count <= 100000 and re.search(r"document\.write|_\d*\.|index_", js):
                page_count = count
                current = variables.get("currentPage", 0)
                pages = _trs_pages(min(count, 2000), current, "index", "html", list_url)
        totals = [int(x) for x in re.findall(r"<totalrecord>\s*(\d+)\s*</totalrecord>", raw, re.I)]
        totals += [int(x) for x in re.findall(r"\b(?:totalRecord|recordCount|totalCount)\s*[:=]\s*['\"]?(\d+)", js)]
        if totals and max(totals) > 0:
            record_count = max(max(totals), record_count or 0)
        m = re.search(r"\b(?:perpage|prepage|perPage|pageSize)\s*[:=]\s*['\"]?(\d+)", js, re.I) or re.search(
            r"<perpage>\s*(\d+)\s*</perpage>", raw, re.I
        )
        if m and int(m.group(1)) > 0:
            per_page = int(m.group(1))
        m = re.search(r"<totalpage>\s*(\d+)\s*</totalpage>", raw, re.I)
        if m and page_count is None:
            page_count = int(m.group(1))
    if page_count is None and record_count is not None and per_page:
        page_count = max(1, math.ceil(record_count / per_page))
    return pages, page_count, record_count


_PAGER_TEXT = re.compile(r"^(下一页|下页|后页|尾页|末页|最后一页|上一页|上页|前页|首页|第?\d{1,5}页?|>|>>|»|›|<|<<|«|‹)$")
_PAGER_HREF = re.compile(
    r"(?:^|/)(?:index|list|default|more|page)?_\d+\.(?:s?html?|jsp|aspx?|php)(?:$|\?)|column-index-\d+\.|"
    r"/\d{1,4}\.s?html?$|"
    r"[?&](?:page|pagenum|pageno|pageindex|currentpage|currpage|curpage|p|pn|pg|start|startrecord|cp)=\d+",
    re.I,
)
# (regex, zero_based) page numbers in pager URLs
_PAGE_NUMS = (
    (re.compile(r"_(\d+)\.\w+(?:$|\?)"), True),  # TRS index_N.html: page N+1
    (re.compile(r"column-index-(\d+)\.", re.I), False),
    (re.compile(r"[?&](?:page|pagenum|pageno|pageindex|currentpage|currpage|curpage|p|pn|pg|cp)=(\d+)", re.I), False),
    (re.compile(r"/(\d{1,4})\.s?html?$", re.I), False),
)


def _last_page_count(url: str) -> int | None:
    for pat, zero_based in _PAGE_NUMS:
        m = pat.search(url)
        if m:
            n = int(m.group(1))
            return n + 1 if zero_based else n
    return None


def pager_from_links(
    anchors: Iterable[etree._Element], page_url: str, internal_hosts: Iterable[str] | None, base_url: str
) -> tuple[list[str], int | None]:
    """Plain ``<a>`` pagers: (further page URLs in page order, page count from 尾页 if any)."""
    here = urldefrag(page_url)[0]
    out: list[str] = []
    last_count: int | None = None
    for a in anchors:
        href = a.get("href")
        if href is None:
            continue
        text = text_of(a)
        if not _PAGER_TEXT.match(text):
            continue
        url, kind = classify_link(href, base_url, internal_hosts)
        if kind != "page":
            continue
        pagerish = bool(_PAGER_HREF.search(url))
        if not pagerish and (text in ("首页",) or text.strip("第页").isdigit()):
            continue
        if not pagerish and text not in ("下一页", "下页", "后页", "尾页", "末页", "最后一页", "上一页", "上页", "前页"):
            continue
        if url != here and url not in out:
            out.append(url)
        if text in ("尾页", "末页", "最后一页"):
            last_count = _last_page_count(url) or last_count
    return out, last_count


def counts_from_text(text: str) -> tuple[int | None, int | None]:
    """(page_count, record_count) from pager wording such as 共5页 / 共48条."""
    pc = rc = None
    m = re.search(r"共\s*(\d{1,6})\s*页", text)
    if m:
        pc = int(m.group(1))
    m = re.search(r"共\s*(\d{1,7})\s*(?:条|篇|项|个记录|记录)", text)
    if m:
        rc = int(m.group(1))
    return pc, rc
