"""Regions of a page (nav, breadcrumb, related, footer, list, body) and the article body container.

Pure functions over an lxml tree.

>>> import lxml.html
>>> root = lxml.html.fromstring('<div><div class="nav"><a href="/">首页</a></div><div id="zoom"><p>正文</p></div></div>')
>>> own_region(root[0]), find_body(root).get("id")
('nav', 'zoom')
"""

from __future__ import annotations

import re
from typing import Callable

from lxml import etree

from .dom import attr_str, head_text, is_el, norm, text_of

__all__ = ["Regions", "own_region", "find_body", "RELATED_WORDS", "BREAD_TEXT"]

_BREAD_TOKEN = re.compile(
    r"crumb|bread|position|location|weizhi|dqwz|curpos|^current-?pos|^current_?path|^mbx|lujing|nav-?path|"
    r"^dqlm$|^path$|^local$|^posi$|^place$|^curmbs"
)
BREAD_TEXT = ("当前位置", "您的位置", "您现在的位置", "您当前的位置", "所在位置", "当前所在位置", "位置：", "位置:", "您现在所在的位置", "您所在的位置", "您当前所在位置")
_RELATED_TOKEN = re.compile(r"xgjd|xgwj|xglj|xgxw|xgyd|xgzc|glzc|related|relevant|relation|relalink|^abouts?$|zcjd_box")
RELATED_WORDS = (
    "相关文件", "相关解读", "相关链接", "原文链接", "相关阅读", "相关新闻", "相关推荐", "政策解读", "解读文件",
    "关联政策", "相关政策", "关联文件", "关联阅读", "相关稿件", "相关信息", "相关文章", "文件解读", "图片解读", "视频解读",
)
_FOOTER_TOKEN = re.compile(
    r"^(?:foot|footer|bottom|copyright|banquan|bq|db|site-?info|gb-footer)(?:$|[_\-\d]|box|wrap|er)"
    r"|[_\-](?:footer|foot)$"
)
# friendly-link blocks (政府网站/友情链接) sit above the footer on nearly every site
_LINKS_TOKEN = re.compile(
    r"^(?:yqlj|wzlj|zflj|friend\w*|out_?links?|g_links\w*|m_links\w*|linktab|link-tab"
    r"|links?(?:[_-]\w+)?|\w*[_-]links?)$"
)
# CSS utility classes that look like region names
_UTILITY_TOKEN = re.compile(r"^(?:position-\w+|top-?\d+|bottom-?\d+|mt-?\d+|mb-?\d+|(?:margin|padding)-\w+)$")
_NAV_TOKEN = re.compile(
    r"^(?:nav|menu|header|topbar|top|banner|daohang|dh|sitemap|toolbar|mainnav|subnav|topnav|navbar|head-nav|headnav)"
    r"(?:$|[_\-\d]|s$|bar|box|wrap|list|nav|menu)"
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
    first = e[0] if tag in ("ul", "ol") and len(e) and is_el(e[0]) else None
    if first is not None and norm(first.text).startswith(BREAD_TEXT) and len(text_of(e)) <= 300:
        return "breadcrumb"  # <ul><li>当前位置：<a>首页</a></li><li><a>政务信息</a></li></ul>
    if tag in ("div", "p", "td", "dl", "ul", "li", "section", "span"):
        own = norm(e.text)[:12]
        if own.startswith(BREAD_TEXT) and len(text_of(e)) <= 300:
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
        hit = None
        if is_el(node):
            hit = next((c for c in node.iter(etree.Comment) if "ZJEG_RSS.content.end" in (c.text or "")), None)
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


def _inside(e: etree._Element, container: etree._Element) -> bool:
    cur: etree._Element | None = e
    while cur is not None:
        if cur is container:
            return True
        cur = cur.getparent()
    return False


_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
