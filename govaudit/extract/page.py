"""Turn one HTML page into :class:`~govaudit.models.PageFacts`.

Pure: no network, no global state.  ``parse_page`` never raises: on
garbage it returns facts of kind ``other``.

>>> f = parse_page('<html><head><title>通知_某市人民政府</title></head><body><h1>通知</h1>'
...                '<div class="info">发布时间：2026-07-15 10:08</div><div id="zoom"><p>正文。</p></div></body></html>',
...                "http://www.x.gov.cn/a/t20260714_1.html")
>>> f.kind, f.title, f.published, f.published_source, f.url_date
('article', '通知', '2026-07-15', 'visible', '2026-07-14')
"""

from __future__ import annotations

import logging
import re
from typing import Callable, Iterable
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from ..models import Link, ListItem, PageFacts
from .dates import FoundDate, date_from_url, find_dates, parse_date
from .dom import attr_str, head_text, is_el, lines_of, norm, text_of
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

__all__ = ["parse_page", "looks_not_found", "STANDARD_META"]

log = logging.getLogger(__name__)

STANDARD_META = (
    "SiteName SiteDomain SiteIDCode ColumnName ColumnDescription ColumnKeywords ColumnType "
    "ArticleTitle PubDate ContentSource Keywords Author Description Image Url"
).split()
_META_CANON = {k.lower(): k for k in STANDARD_META}

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
# regions of a page
# ---------------------------------------------------------------------------

_BREAD_TOKEN = re.compile(
    r"crumb|bread|position|location|weizhi|dqwz|curpos|^current-?pos|^current_?path|^mbx|lujing|nav-?path|"
    r"^dqlm$|^path$|^local$|^posi$|^place$|^curmbs"
)
_BREAD_TEXT = ("当前位置", "您的位置", "您现在的位置", "您当前的位置", "所在位置", "当前所在位置", "位置：", "位置:", "您现在所在的位置", "您所在的位置", "您当前所在位置")
_RELATED_TOKEN = re.compile(r"xgjd|xgwj|xglj|xgxw|xgyd|xgzc|glzc|related|relevant|relation|relalink|^abouts?$|zcjd_box")
RELATED_WORDS = (
    "相关文件", "相关解读", "相关链接", "原文链接", "相关阅读", "相关新闻", "相关推荐", "政策解读", "解读文件",
    "关联政策", "相关政策", "关联文件", "关联阅读", "相关稿件", "相关信息", "相关文章", "文件解读", "图片解读", "视频解读",
)
_FOOTER_TOKEN = re.compile(
    r"^(?:foot|footer|bottom|copyright|banquan|bq|db|site-?info|gb-footer)(?:$|[_\-\d]|box|wrap|er)|[_\-](?:footer|foot)$"
)
# friendly-link blocks (政府网站/友情链接) sit above the footer on nearly every site
_LINKS_TOKEN = re.compile(
    r"^(?:yqlj|wzlj|zflj|friend\w*|out_?links?|g_links\w*|m_links\w*|linktab|link-tab|links?(?:[_-]\w+)?|\w*[_-]links?)$"
)
# CSS utility classes that look like region names
_UTILITY_TOKEN = re.compile(r"^(?:position-\w+|top-?\d+|bottom-?\d+|mt-?\d+|mb-?\d+|(?:margin|padding)-\w+)$")
_NAV_TOKEN = re.compile(
    r"^(?:nav|menu|header|topbar|top|banner|daohang|dh|sitemap|toolbar|mainnav|subnav|topnav|navbar|head-nav|headnav)(?:$|[_\-\d]|s$|bar|box|wrap|list|nav|menu)"
    r"|[_\-](?:nav|navs|menu|menus|navbar|daohang)$|^\w*(?:nav|menu)$"
)

def _tokens(e: etree._Element) -> list[str]:
    return f"{e.get('class') or ''} {e.get('id') or ''}".lower().split()


def own_region(e: etree._Element) -> str | None:
    """The region an element itself announces (tag, class/id, or leading words)."""
    tag = e.tag
    if tag == "footer":
        return "footer"
    if tag in ("nav", "header"):
        return "nav"
    toks: list[str] = []
    if e.get("class") is not None or e.get("id") is not None:
        toks = [t for t in _tokens(e) if not _UTILITY_TOKEN.match(t)]
        if tag != "a" and any(_BREAD_TOKEN.search(t) for t in toks):
            return "breadcrumb"
        if any(_RELATED_TOKEN.search(t) for t in toks):
            return "related"
        if any(_FOOTER_TOKEN.search(t) for t in toks):
            return "footer"
        if any(_NAV_TOKEN.search(t) for t in toks):
            return "breadcrumb" if _crumb_like(e) else "nav"
    if tag in ("div", "p", "td", "span") and _crumb_like(e):
        return "breadcrumb"
    if tag in ("ul", "ol") and len(e) and is_el(e[0]) and norm(e[0].text).startswith(_BREAD_TEXT) and len(text_of(e)) <= 300:
        return "breadcrumb"  # <ul><li>当前位置：<a>首页</a></li><li><a>政务信息</a></li></ul>
    if tag in ("div", "p", "td", "dl", "ul", "li", "section", "span"):
        own = norm(e.text)[:12]
        if own.startswith(_BREAD_TEXT) and len(text_of(e)) <= 300:
            return "breadcrumb"
        if tag != "span":
            h = own or head_text(e, 12)
            if h.startswith(RELATED_WORDS) and len(text_of(e)) <= 1500:
                return "related"
    if toks and tag != "a" and any(_LINKS_TOKEN.match(t) for t in toks):
        return "footer"
    return None


_CRUMB_SEPS = (">", "›", "»", "＞", "→", "〉")
_CRUMB_REST = re.compile(r"[\s>›»＞→〉:：|/]|当前位置|您的位置|您现在的位置|所在位置|位置")


def _crumb_like(e: etree._Element) -> bool:
    """Links separated by '>' with hardly any other text: '首页 > 新闻动态 > 工信动态'."""
    box = e
    if len(e) == 1 and is_el(e[0]) and e[0].tag in ("span", "p", "div") and not norm(e.text):
        box = e[0]
    seps = (box.text or "") + "".join(c.tail or "" for c in box)
    if not any(s in seps for s in _CRUMB_SEPS):
        return False
    anchors = [c for c in box if is_el(c) and c.tag == "a"]
    if len(anchors) < 2 or len(anchors) > 12:
        return False
    rest = seps + "".join(text_of(c) for c in box if is_el(c) and c.tag != "a")
    return len(_CRUMB_REST.sub("", rest)) <= 60


class Regions:
    """Memoised region lookup for elements (innermost announcing ancestor wins)."""

    def __init__(self, body: etree._Element | None, list_rows: set[etree._Element]):
        self.body = body
        self.list_rows = list_rows
        self._own: dict[etree._Element, str | None] = {}
        self._ctx: dict[etree._Element, str] = {}

    def own(self, e: etree._Element) -> str | None:
        if e in self._own:
            return self._own[e]
        if e in self.list_rows:
            r: str | None = "list"
        else:
            r = own_region(e)
            if r is None and e is self.body:
                r = "body"
        self._own[e] = r
        return r

    def context(self, e: etree._Element) -> str:
        path = []
        cur: etree._Element | None = e
        result = "other"
        while cur is not None:
            if cur in self._ctx:
                result = self._ctx[cur]
                break
            path.append(cur)
            r = self.own(cur)
            if r is not None:
                result = r
                break
            cur = cur.getparent()
        for p in path:
            self._ctx[p] = result
        return result

    def boilerplate(self, e: etree._Element) -> bool:
        """Skip predicate for text walks: nav, footer, breadcrumb, related blocks, list rows."""
        r = self.own(e)
        return r is not None and r != "body"


# ---------------------------------------------------------------------------
# body container
# ---------------------------------------------------------------------------

_BODY_STRONG = re.compile(
    r"(?:^|\s)(?:trs_editor|trs_ueditor|zoom|zoomcon|ivs_content|ucap-content|xiangqnr|article_content|"
    r"article-content|articlecontent|article_con|art_con|artcon|contenttext|content_text|con_text|detail-content|"
    r"detail_content|news_content|newscontent|pages_content|pages-content|maintext|main_text|textcontent|"
    r"text_content|zwnr|zw_content|view_content|info_content|conttext|art-content|nr_con|bt_content|"
    r"article-body|article_body|artibody|content_body|detail-body|wenzhang|wz_content)(?:\s|$)"
)


def find_body(
    root: etree._Element, skip: Callable[[etree._Element], bool] | None = None
) -> etree._Element | None:
    """The article content container, or None (``skip`` rejects fallback containers in nav/footer)."""
    strong: list[tuple[int, etree._Element]] = []
    for e in root.iter():
        if not is_el(e):
            if isinstance(e, etree._Comment) and "ZJEG_RSS.content.begin" in (e.text or ""):
                box = _zjeg_container(e)
                if box is not None:
                    strong.append((10**6, box))
            continue
        if e.tag == "ucapcontent":
            strong.append((len(text_of(e)), e))
            continue
        a = attr_str(e)
        if not a:
            continue
        if _BODY_STRONG.search(a):
            strong.append((len(text_of(e)), e))
    if strong:
        best = max(strong, key=lambda x: x[0])
        if best[0] >= 20 or (best[0] > 0 and next(best[1].iter("p"), None) is not None):
            # a wrapper (#articlecontent) around the real container (ucapcontent, .TRS_Editor):
            # take the innermost candidate that still holds most of the text
            inner = [c for c in strong if c[1] is not best[1] and c[0] >= 0.6 * best[0] and _inside(c[1], best[1])]
            while inner:
                best = max(inner, key=lambda x: x[0])
                inner = [c for c in strong if c[1] is not best[1] and c[0] >= 0.6 * best[0] and _inside(c[1], best[1])]
            return best[1]
        for n, e in strong:
            if n < 20 and next(e.iter("img", "video", "embed", "iframe"), None) is not None:
                return e  # an image-only article
    # paragraph density: the parent holding most paragraph text
    score: dict[etree._Element, int] = {}
    for p in root.iter("p", "br"):
        parent = p.getparent()
        if parent is None or (skip is not None and skip(parent)):
            continue
        n = len(text_of(p)) if p.tag == "p" else len(norm(p.tail))
        if n:
            score[parent] = score.get(parent, 0) + n
    if score:
        parent, n = max(score.items(), key=lambda x: x[1])
        if n >= 80:
            return parent
    return None


def _zjeg_container(begin: etree._Comment) -> etree._Element | None:
    """Smallest element holding both Hanweb ZJEG_RSS begin and end comments."""
    ancestors = list(begin.iterancestors())
    end = None
    for node in begin.itersiblings():
        if isinstance(node, etree._Comment) and "ZJEG_RSS.content.end" in (node.text or ""):
            end = node
            break
        hit = next((c for c in node.iter(etree.Comment) if "ZJEG_RSS.content.end" in (c.text or "")), None) if is_el(node) else None
        if hit is not None:
            end = hit
            break
    if end is None:
        for a in ancestors:
            for c in a.iter(etree.Comment):
                if "ZJEG_RSS.content.end" in (c.text or ""):
                    end = c
                    break
            if end is not None:
                break
    if end is None:
        return ancestors[0] if ancestors else None
    keep = set(ancestors)
    for a in end.iterancestors():
        if a in keep:
            return a
    return ancestors[0] if ancestors else None


# ---------------------------------------------------------------------------
# meta tags
# ---------------------------------------------------------------------------


_META_JUNK = re.compile(
    r"^(?:viewport|renderer|format-detection|theme-color|referrer|force-rendering|robots|generator|"
    r"apple-.*|msapplication-.*|x5-.*|screen-orientation|full-screen|browsermode|handheldfriendly|mobileoptimized|"
    r"wap-font-scale|applicable-device|google-site-verification|baidu-site-verification|360-site-verification|"
    r"progid|originator|csrf-.*|_csrf.*)$",
    re.I,
)


def read_meta(root: etree._Element) -> dict[str, str]:
    """Named meta tags: standard ones under canonical names, vendor ones (Maketime, DocId ...) as written."""
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        name = norm(m.get("name") or m.get("property") or m.get("itemprop"))
        if not name or _META_JUNK.match(name):
            continue
        content = (m.get("content") or "").strip()
        key = _META_CANON.get(name.lower(), name)
        if key in out and out[key]:
            continue
        out[key] = content[:2000]
    return out


# ---------------------------------------------------------------------------
# titles
# ---------------------------------------------------------------------------

_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]+|\s-+\s|--+|——|—|\s–\s|-{1}(?=[^\d]*(?:政府|网|局|委|厅|办|部|中心|门户)))\s*")
_SITEISH = re.compile(
    r"^.{0,24}(?:人民政府|政府|政府网|网站|门户|网|官网|之窗|局|委员会|委|厅|办公室|部|中心|管委会|政务网|首页|"
    r"Government|Portal)$|^(?:首页|主页)$",
    re.I,
)
_TITLE_ATTR = re.compile(
    r"(?:^|[\s_\-])(?:title|tit|bt|biaoti|ivs_title|articletitle|article-title|article_title|arttitle|art_title|"
    r"news_title|newstitle|detail-title|detail_title|con-title|con_title|content-title|content_title|xxgk_title|"
    r"zw-title|zwtitle|h-title|main-title|doc-title|doctitle|sp_title|wztitle|tittle|titles|bt_title)(?:$|[\s_\-\d])"
)


def split_title(title: str, site_name: str = "") -> str:
    """``<title>`` without its site-name parts (``通知_XX市人民政府`` -> ``通知``)."""
    t = norm(title)
    if not t:
        return ""
    parts = [p for p in _TITLE_SPLIT.split(t) if p and p.strip()]
    if len(parts) <= 1:
        if site_name and t.endswith(site_name) and t != site_name:
            return t[: -len(site_name)].rstrip(" _-|—")
        return t
    keep = [p for p in parts if p != site_name and not (site_name and site_name.startswith(p)) and not _SITEISH.search(p)]
    if keep:
        return keep[0]
    return parts[0]


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    a2, b2 = re.sub(r"\s", "", a), re.sub(r"\s", "", b)
    if a2 == b2:
        return True
    short, long_ = sorted((a2, b2), key=len)
    return len(short) >= 6 and (long_.startswith(short) or long_.endswith(short) or short in long_)


def heading_candidates(root: etree._Element, regions: Regions) -> list[tuple[etree._Element, str]]:
    out: list[tuple[etree._Element, str]] = []
    seen: set[str] = set()

    def add(e: etree._Element) -> None:
        t = text_of(e)
        if 2 <= len(t) <= 200 and t not in seen and regions.context(e) not in ("nav", "footer", "related", "list", "breadcrumb"):
            seen.add(t)
            out.append((e, t))

    for e in root.iter("h1"):
        add(e)
    for e in root.iter():
        if is_el(e) and e.tag not in ("meta", "title", "body", "html", "a", "img", "input") and _TITLE_ATTR.search(attr_str(e)):
            add(e)
    for e in root.iter("h2", "h3"):
        add(e)
    return out


# ---------------------------------------------------------------------------
# visible date
# ---------------------------------------------------------------------------

_LABEL = re.compile(
    r"(发布时间|发布日期|发稿时间|发表时间|发表日期|上传时间|信息时间|公开日期|公开时间|发布于|publishtime|"
    r"生成日期|发文日期|印发日期|成文日期|成文时间|时间|日期)",
    re.I,
)
_LABEL_RANK = {
    "发布时间": 0, "发布日期": 0, "发稿时间": 0, "发表时间": 0, "发表日期": 0, "上传时间": 0, "信息时间": 0,
    "公开日期": 0, "公开时间": 0, "发布于": 0, "publishtime": 0,
    "时间": 1, "日期": 1, "生成日期": 2, "发文日期": 2, "印发日期": 2, "成文日期": 3, "成文时间": 3,
}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DATE_ATTR = re.compile(r"date|time|pubtime|fbsj|fbrq|riqi|\brq\b|publish|\bsj\b|ivs_date")
_NOT_PUB = re.compile(r"开始|结束|截止|起止|有效期|失效|施行|更新|修改|start|end|begin|deadline|expire|update|modif", re.I)
_SOURCE_WORDS = re.compile(r"来源|作者|浏览|点击|字号|阅读|编辑|责任编辑|信息来源|打印|分享")


def _labeled(text: str) -> list[tuple[int, int, FoundDate]]:
    """(rank, position, date) for every 'label: date' in text."""
    out = []
    for m in _LABEL.finditer(text):
        label = m.group(1).lower() if m.group(1).lower() == "publishtime" else m.group(1)
        if label in ("时间", "日期") and m.start() > 0 and _CJK.match(text[m.start() - 1]):
            continue  # 开始时间, 留言时间, 更新日期 ...
        window = text[m.end(): m.end() + 40]
        for found in find_dates(window):
            lead = window[: found.start]
            if re.fullmatch(r"[\s:：\[\(（【】\]\)）\t]*", lead):
                out.append((_LABEL_RANK[label], m.start(), found))
            break
    return out


def _short_dated_lines(text: str) -> Iterable[tuple[int, FoundDate]]:
    pos = 0
    prev = ""
    for line in text.split("\n"):
        labelled = prev.endswith((":", "："))  # '开始时间：' / '结束时间：' on the line before
        prev = line
        if not labelled and len(line) <= 90 and not re.search(r"今天|今日|星期|周[一二三四五六日]", line):
            for found in find_dates(line):
                rest = (line[: found.start] + line[found.end:]).strip(" []()（）【】\t")
                if not rest or _SOURCE_WORDS.search(rest) or len(rest) <= 4:
                    yield pos, found
                break
        pos += len(line) + 1


def visible_date(
    root: etree._Element, regions: Regions, body: etree._Element | None, title: str
) -> FoundDate | None:
    """The publish date a reader sees on the page (not from nav, footer or related lists)."""
    text = lines_of(root, skip=regions.boilerplate, mark=body)
    i1, i2 = text.find("\x01"), text.find("\x02")
    if i1 >= 0 and i2 > i1:
        outside, inside = text[:i1] + "\n" + text[i2 + 1:], text[i1 + 1: i2]
        before_body = text[:i1]
    else:
        outside, inside, before_body = text, "", text
    for e in root.iter("publishtime"):
        d = find_dates(text_of(e))
        for found in d:
            return found
    hits = _labeled(outside)
    if hits:
        return min(hits, key=lambda h: (h[0], h[1]))[2]
    # element marked as a date (id/class), short text
    for e in root.iter():
        if not is_el(e) or e.tag in ("a", "meta", "script", "style", "input", "option", "select", "li", "ul"):
            continue
        a = attr_str(e)
        if not a or not _DATE_ATTR.search(a):
            continue
        t = text_of(e)
        if not t or len(t) > 90 or re.search(r"今天|今日|星期", t):
            continue
        if _NOT_PUB.search(t) or _NOT_PUB.search(a):
            continue  # event start/end dates, deadlines, validity
        if body is not None and _inside(e, body):
            continue
        ctx = regions.context(e)
        if ctx in ("nav", "footer", "related", "list", "breadcrumb"):
            continue
        for found in find_dates(t):
            return found
    # a short line near the heading: '2024-09-12 10:10' or '来源：XX 2024-10-17 08:03'
    start = 0
    if title:
        k = before_body.find(title[:20])
        if k >= 0:
            start = k
    for pos, found in _short_dated_lines(before_body[start:]):
        return found
    hits = [h for h in _labeled(inside) if h[0] <= 1 and h[1] < 400]
    if hits:
        return min(hits, key=lambda h: (h[0], h[1]))[2]
    return None


def _inside(e: etree._Element, container: etree._Element) -> bool:
    cur: etree._Element | None = e
    while cur is not None:
        if cur is container:
            return True
        cur = cur.getparent()
    return False


# ---------------------------------------------------------------------------
# breadcrumbs, info table, doc number, footer, js boxes
# ---------------------------------------------------------------------------

_BREAD_SEP = re.compile(r"[>›»→＞/|]+|&gt;")
_BREAD_LABEL = re.compile(r"^(?:您?(?:现在|当前)?(?:所在)?的?位置|当前(?:所在)?位置|所在位置)\s*(?:是)?\s*[:：]?\s*")


def read_breadcrumbs(root: etree._Element, regions: Regions, base_url: str) -> list[dict[str, str]]:
    container = None
    for e in root.iter():
        if (
            is_el(e)
            and e.tag not in ("html", "body", "a")
            and regions.own(e) == "breadcrumb"
            and not _HIDDEN.search(e.get("style") or "")
            and (next(e.iter("a"), None) is not None or norm(e.text).startswith(_BREAD_TEXT))
        ):
            t = text_of(e)
            if 2 <= len(t) <= 400:
                container = e
                break
    if container is None:
        return []
    items: list[dict[str, str]] = []

    def add_text(s: str | None) -> None:
        if not s:
            return
        for piece in _BREAD_SEP.split(norm(s)):
            piece = _BREAD_LABEL.sub("", piece.strip(" :：\t")).strip(" :：")
            if piece and not re.fullmatch(r"[\W_]+", piece):
                items.append({"text": piece, "url": ""})

    stack: list[tuple[etree._Element, bool]] = [(container, False)]
    while stack:
        e, closing = stack.pop()
        if closing:
            if e is not container:
                add_text(e.tail)
            continue
        if not is_el(e) or e.tag in ("script", "style"):
            if e is not container:
                add_text(e.tail)
            continue
        if e.tag == "a":
            t = _BREAD_LABEL.sub("", text_of(e)).strip()
            href = e.get("href")
            if t:
                url = ""
                if href:
                    u, kind = classify_link(href, base_url, None)
                    url = u if kind in ("page", "attachment", "external") else ""
                items.append({"text": t, "url": url})
            add_text(e.tail)
            continue
        add_text(e.text)
        stack.append((e, True))
        for c in reversed(e):
            stack.append((c, False))
    return items[:20]


INFO_LABELS = (
    "索引号", "发布机构", "发文机关", "发文单位", "发布单位", "成文日期", "发布日期", "生成日期", "公开日期",
    "印发日期", "施行日期", "废止日期", "文号", "发文字号", "文件编号", "主题分类", "体裁分类", "组配分类",
    "服务对象分类", "有效性", "时效", "公开方式", "公开范围", "公开时限", "分类", "信息分类", "所属主题",
    "主题词", "关键词", "关键字", "标题", "名称", "信息名称", "内容概述", "公文种类", "文种", "来源", "信息来源",
    "效力状态", "有效期", "统一编号", "登记号", "发文日期", "文件状态", "索取号", "发布时间", "备注",
)
_INFO_SET = frozenset(INFO_LABELS)
def _spaced(label: str) -> str:
    return "".join(re.escape(c) + r"[\s\u3000\u00a0]*" for c in label[:-1]) + re.escape(label[-1])


_LABEL_ALT = "|".join(_spaced(x) for x in sorted(INFO_LABELS, key=len, reverse=True))
_INFO_SPLIT = re.compile(r"(" + _LABEL_ALT + r")\s*[:：]")
_INFO_START = re.compile(r"^(?:" + _LABEL_ALT + r")")


def _label_key(s: str) -> str | None:
    k = re.sub(r"[\s\u3000\u00a0:：]", "", s or "")
    return k if k in _INFO_SET else None


def read_info_table(root: etree._Element) -> dict[str, str]:
    """信息公开 metadata: label -> value from label/value cells or 'label：value' blocks."""
    out: dict[str, str] = {}
    for tr in root.iter("tr"):
        cells = [c for c in tr if is_el(c) and c.tag in ("td", "th")]
        if len(cells) < 2 or len(cells) > 12:
            continue
        if not any(_INFO_START.match(head_text(c, 10)) for c in cells):
            continue
        texts = [text_of(c) for c in cells]
        keys = [_label_key(t) for t in texts]
        if all(keys):
            # a header row of labels: values sit in the next row, column by column
            table = next(tr.iterancestors("table"), None)
            rows = list(table.iter("tr")) if table is not None else []
            i = rows.index(tr) if tr in rows else -1
            nxt = rows[i + 1] if 0 <= i < len(rows) - 1 else None
            if nxt is not None:
                vals = [text_of(c) for c in nxt if is_el(c) and c.tag in ("td", "th")]
                if len(vals) == len(keys) and not any(_label_key(v) for v in vals):
                    for k, v in zip(keys, vals):
                        if k and k not in out and len(v) <= 300:
                            out[k] = v
            continue
        for i in range(len(texts) - 1):
            key = _label_key(texts[i])
            if key and key not in out and not _label_key(texts[i + 1]):
                val = texts[i + 1]
                if len(val) <= 300:
                    out[key] = val
    for e in root.iter("li", "p", "div", "span", "td", "dd", "dl", "tr"):
        if len(e) > 12 or not _INFO_START.match(head_text(e, 10)):
            continue
        t = text_of(e)
        if not t or len(t) > 400 or ("：" not in t and ":" not in t):
            continue
        parts = _INFO_SPLIT.split(t)
        if len(parts) < 3:
            continue
        if parts[0].strip():
            continue  # the block must start with a label
        for j in range(1, len(parts) - 1, 2):
            key = _label_key(parts[j])
            val = norm(parts[j + 1])
            if key and key not in out and val and len(val) <= 200:
                out[key] = val
    return out


DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fa5A-Za-z]{1,16}\s*[〔\[［【（(]\s*(?:19|20)\d{2}\s*[〕\]］】）)]\s*(?:第\s*)?\d{1,5}\s*号"
)


def find_doc_number(info: dict[str, str], body_text: str) -> str:
    """发文字号 from the info table (文号/发文字号/文件编号), else a line of its own in the body head."""
    for key in ("文号", "发文字号", "文件编号"):
        v = info.get(key, "")
        m = DOC_NUMBER.search(v)
        if m:
            return norm(m.group(0)).replace(" ", "")
        if v and re.search(r"\d", v) and len(v) <= 40 and not re.fullmatch(r"[无\-—/]+", v):
            return v
    # in the body head the number stands on its own line (a number inside a sentence cites another document)
    for line in (body_text or "").split("\n")[:12]:
        line = re.sub(r"^(?:文号|发文字号|文件编号)\s*[:：]\s*", "", line.strip())
        m = DOC_NUMBER.fullmatch(line)
        if m:
            return norm(m.group(0)).replace(" ", "")
    return ""


def read_footer(root: etree._Element, regions: Regions, full_text: str) -> dict[str, str]:
    parts = []
    for e in root.iter():
        if is_el(e) and regions.own(e) == "footer":
            parent = e.getparent()
            if parent is not None and regions.context(parent) == "footer":
                continue
            parts.append(text_of(e))
    text = " ".join(parts) + " " + full_text[-3000:]
    out: dict[str, str] = {}
    m = re.search(r"主办单位\s*[:：]?\s*([^\s|，,。;；:：]{2,40})", text)
    if m:
        out["主办单位"] = m.group(1)
    m = re.search(r"网站标识码\s*[:：]?\s*([0-9A-Za-z]{10})", text)
    if m:
        out["网站标识码"] = m.group(1)
    m = re.search(r"([\u4e00-\u9fa5]\s*ICP\s*[备证]\s*[:：]?\s*\d+\s*号(?:\s*-\s*\d+)?)", text, re.I)
    if m:
        out["ICP备案"] = re.sub(r"\s", "", m.group(1))
    m = re.search(r"([\u4e00-\u9fa5]\s*公网安备\s*\d+\s*号?)", text) or re.search(
        r"公安(?:机关)?备案号?\s*[:：]?\s*([\d\-]{6,})", text
    )
    if m:
        out["公安备案"] = re.sub(r"\s", "", m.group(1))
    return out


_JS_BOX_NAMES = (
    "相关解读", "政策解读", "相关文件", "政策文件", "关联政策", "相关链接", "相关政策", "原文链接", "关联文件",
    "相关阅读", "解读文件", "文件解读", "图片解读", "视频解读",
)
_TEMPLATE_ATTRS = ("ms-repeat", "ms-for", "v-for", "ms-each", "data-repeat", "ng-repeat")


def find_js_boxes(root: etree._Element, scripts: list[str], base_url: str) -> list[str]:
    """Relation boxes that JavaScript fills and the static HTML leaves empty."""
    out: list[str] = []
    for e in root.iter("div", "section", "dl", "td", "aside"):
        label = ""
        for n, sub in enumerate(e.iter()):
            if n > 6:
                break  # the box title comes first
            if sub is e or not is_el(sub):
                continue
            t = norm(sub.text)
            if t in _JS_BOX_NAMES:
                label = t
                break
            if len(t) > 0:
                break
        if not label:
            continue
        real_links = 0
        template = False
        lists = 0
        for sub in e.iter():
            if not is_el(sub):
                continue
            if any(k in sub.attrib for k in _TEMPLATE_ATTRS):
                template = True
            if sub.tag in ("ul", "ol", "dl") or (sub.tag == "div" and sub is not e and "list" in attr_str(sub)):
                lists += 1
            if sub.tag == "a":
                href = sub.get("href")
                if href is not None:
                    _, kind = classify_link(href, base_url, None)
                    if kind in ("page", "attachment", "external") and norm(text_of(sub)) not in ("更多", "more", "MORE", "更多>>"):
                        real_links += 1
        rest = text_of(e).replace(label, "", 1).strip()
        if real_links == 0 and (template or lists) and len(rest) <= 20 and label not in out:
            out.append(label)
    joined = "\n".join(scripts)
    if not out and re.search(r"enableReldoc\s*:\s*true", joined):
        out.append("相关文件")
    return out


# ---------------------------------------------------------------------------
# body details
# ---------------------------------------------------------------------------

_HEAD_LINE = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)]|第[一二三四五六七八九十百\d]+[章节条部分]|\d{1,2}[.．、](?!\d))"
)


_NOT_HEADING = re.compile(r"^(?:相关)?(?:附件|链接|文件)\W*$|^[\W\d_]*$")


def body_headings(body: etree._Element, body_lines: str) -> list[str]:
    out: list[str] = []
    for e in body.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b"):
        t = text_of(e)
        if _NOT_HEADING.match(t) or any(a.tag in ("td", "th", "a") for a in e.iterancestors()):
            continue
        if 2 <= len(t) <= 50 and t not in out:
            if e.tag in ("strong", "b"):
                parent = e.getparent()
                if parent is not None and len(text_of(parent)) > len(t) + 30:
                    continue
            out.append(t)
    for line in body_lines.split("\n"):
        if len(line) <= 60 and _HEAD_LINE.match(line) and line not in out:
            out.append(line)
    return out[:200]


def body_tables(body: etree._Element) -> list[list[list[str]]]:
    """Tables in the body as rows of cell texts (colspan/rowspan expanded)."""
    tables = []
    for t in body.iter("table"):
        rows: list[list[str]] = []
        pending: dict[int, tuple[int, str]] = {}
        for tr in t.iter("tr"):
            # rows of nested tables belong to those tables
            owner = next((p for p in tr.iterancestors("table")), None)
            if owner is not t:
                continue
            row: list[str] = []
            col = 0
            cells = [c for c in tr if is_el(c) and c.tag in ("td", "th")]
            ci = 0
            while ci < len(cells) or col in pending:
                if col in pending:
                    left, txt = pending[col]
                    row.append(txt)
                    if left <= 1:
                        del pending[col]
                    else:
                        pending[col] = (left - 1, txt)
                    col += 1
                    continue
                c = cells[ci]
                ci += 1
                txt = text_of(c)
                try:
                    cs = max(1, min(50, int(c.get("colspan") or 1)))
                except ValueError:
                    cs = 1
                try:
                    rs = max(1, min(500, int(c.get("rowspan") or 1)))
                except ValueError:
                    rs = 1
                for _ in range(cs):
                    row.append(txt)
                    if rs > 1:
                        pending[col] = (rs - 1, txt)
                    col += 1
            if any(x for x in row):
                rows.append(row)
        if rows:
            tables.append(rows)
        if len(tables) >= 50:
            break
    return tables


_EMPTY = re.compile(r"^(?:暂无(?:相关)?(?:信息|数据|内容|记录|文章|公开信息|数据信息)|没有(?:相关)?(?:记录|信息|数据|内容)|无相关(?:信息|数据|记录))")


# ---------------------------------------------------------------------------
# main entry
# ---------------------------------------------------------------------------

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _parse_tree(html: str) -> etree._Element | None:
    html = html.replace("\x00", "")
    html = _XML_DECL.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
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
    main_rows = _main_rows(find_rows(anchors, lambda a: pre.context(a) not in ("nav", "footer", "breadcrumb", "related")))
    title_tag = next((text_of(t) for t in root.iter("title")), "")

    script_pages, script_count, script_records = pager_from_scripts(scripts, url)
    link_pages, link_count = pager_from_links(anchors, url, hosts, base)
    has_pager = bool(script_pages or link_pages or script_count)
    body_strong = body is not None and len(text_of(body)) > 100
    kind = _first_kind(meta, len(main_rows), bool(ds_rows), has_pager, body_strong)
    if kind == "listing" and not main_rows and not ds_rows:
        # a column that shows titles without dates
        main_rows = find_undated_rows(anchors, lambda a: pre.context(a) not in ("nav", "footer", "breadcrumb", "related"))

    regions = Regions(body, {r.element for r in main_rows} if kind == "listing" else set())
    facts.breadcrumbs = read_breadcrumbs(root, regions, base)
    heads = heading_candidates(root, regions)
    tprefix = split_title(title_tag, facts.site_name)
    article_title = _article_title(heads, meta.get("ArticleTitle", ""), tprefix)

    vd = visible_date(root, regions, body, article_title)
    if vd is not None:
        facts.visible_date, facts.visible_date_raw = vd.date.isoformat(), vd.raw
    if kind == "unknown":
        has_date = vd is not None or facts.meta_date is not None
        kind = "article" if body is not None and (heads or (body_strong and title_tag)) and has_date else "other"
    facts.kind = kind
    facts.column = _column(meta, facts.breadcrumbs, kind, article_title, tprefix)
    facts.title = (facts.column or tprefix or article_title) if kind == "listing" else (article_title or tprefix)

    if body is not None:
        facts.body_text = lines_of(body, skip=lambda e: regions.own(e) in ("nav", "footer", "breadcrumb"), only_marked=True)
        facts.headings = body_headings(body, facts.body_text)
        facts.tables = body_tables(body)
    facts.info_table = read_info_table(root)
    facts.doc_number = find_doc_number(facts.info_table, facts.body_text)
    full_text = lines_of(root)
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
    facts.is_not_found = _not_found(facts, title_tag, full_text, body is not None)


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
    if meta.get("ColumnName") and (n_rows or has_pager or not body_strong):
        return "listing"
    if n_rows >= 2 or (has_pager and not body_strong):
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


def _column(meta: dict[str, str], crumbs: list[dict[str, str]], kind: str, title: str, tprefix: str) -> str:
    """ColumnName (without a glued site name), else the last breadcrumb, else the listing heading."""
    site = meta.get("SiteName", "")
    col = meta.get("ColumnName", "")
    if site and col.startswith(site) and col != site:
        col = col[len(site):].strip(" _-|>")
    if col and (col.isdigit() or col == site or _similar(col, meta.get("ArticleTitle", "")) or col == title):
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


def _not_found(facts: PageFacts, title_tag: str, full_text: str, has_body: bool) -> bool:
    if facts.kind == "article" and facts.meta.get("ArticleTitle"):
        return looks_not_found(title_tag, "")  # a real article: only its title can say so
    return looks_not_found(title_tag, (facts.body_text if has_body else "") or full_text[:2000])


_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


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
