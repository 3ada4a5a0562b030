"""Facts read from regions of a page: meta tags, title, visible date, breadcrumbs, the
信息公开 info table, 发文字号, footer identity, JS-filled relation boxes, body headings and tables.

>>> split_title("关于开展植树活动的通知_政策文件_某市人民政府")
'关于开展植树活动的通知'
"""

from __future__ import annotations

import re
from typing import Iterable

from lxml import etree

from .dates import FoundDate, find_dates
from .dom import attr_str, head_text, is_el, lines_of, norm, text_of
from .links import classify_link
from .regions import _HIDDEN, BREAD_TEXT, Regions, _inside

STANDARD_META = (
    "SiteName SiteDomain SiteIDCode ColumnName ColumnDescription ColumnKeywords ColumnType "
    "ArticleTitle PubDate ContentSource Keywords Author Description Image Url"
).split()
_META_CANON = {k.lower(): k for k in STANDARD_META}

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
    keep = [
        p for p in parts
        if p != site_name and not (site_name and site_name.startswith(p)) and not _SITEISH.search(p)
    ]
    if keep:
        return keep[0]
    return parts[0]


def site_from_title(title: str) -> str:
    """The site-name part of a ``<title>`` (``通知_某市人民政府`` -> ``某市人民政府``), else ''.

    >>> site_from_title("关于开展植树活动的通知_政策文件_某市人民政府"), site_from_title("通知")
    ('某市人民政府', '')
    """
    parts = [p for p in _TITLE_SPLIT.split(norm(title)) if p and p.strip()]
    if len(parts) >= 2 and _SITEISH.search(parts[-1]) and not re.fullmatch(r"首页|主页", parts[-1]):
        return parts[-1]
    return ""


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    a2, b2 = re.sub(r"\s", "", a), re.sub(r"\s", "", b)
    if a2 == b2:
        return True
    short, long_ = sorted((a2, b2), key=len)
    return len(short) >= 6 and (long_.startswith(short) or long_.endswith(short) or short in long_)


_NOT_HEADING_CONTEXTS = ("nav", "footer", "related", "list", "breadcrumb")
_NOT_HEADING_TAGS = ("meta", "title", "body", "html", "a", "img", "input")


def heading_candidates(root: etree._Element, regions: Regions) -> list[tuple[etree._Element, str]]:
    out: list[tuple[etree._Element, str]] = []
    seen: set[str] = set()

    def add(e: etree._Element) -> None:
        t = text_of(e)
        if 2 <= len(t) <= 200 and t not in seen and regions.context(e) not in _NOT_HEADING_CONTEXTS:
            seen.add(t)
            out.append((e, t))

    for e in root.iter("h1"):
        add(e)
    for e in root.iter():
        if is_el(e) and e.tag not in _NOT_HEADING_TAGS and _TITLE_ATTR.search(attr_str(e)):
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


def page_text(root: etree._Element, regions: Regions, body: etree._Element | None) -> str:
    """The page's text without nav, footer, breadcrumb, related blocks and list rows, as lines;
    the body container's text sits between '\\x01' and '\\x02'."""
    return lines_of(root, skip=regions.boilerplate, mark=body)


def visible_date(
    root: etree._Element, regions: Regions, body: etree._Element | None, title: str, text: str | None = None
) -> FoundDate | None:
    """The publish date a reader sees on the page (not from nav, footer or related lists).

    ``text`` is :func:`page_text` when the caller has it already.
    """
    if text is None:
        text = page_text(root, regions, body)
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
            and (next(e.iter("a"), None) is not None or norm(e.text).startswith(BREAD_TEXT))
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
        if not t or len(t) > 400:
            continue
        if "：" not in t and ":" not in t:
            _label_then_value(e, out)  # <li><span>索引号</span><span>000014349/2024-00012</span></li>
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


def _label_then_value(e: etree._Element, out: dict[str, str]) -> None:
    kids = [c for c in e if is_el(c)]
    if e.tag in ("li", "dd", "dl", "div", "p") and kids and not norm(e.text):
        key = _label_key(text_of(kids[0]))
        if key and key not in out:
            rest = norm(" ".join([kids[0].tail or ""] + [text_of(c) + " " + (c.tail or "") for c in kids[1:]]))
            if rest and len(rest) <= 200 and not _label_key(rest):
                out[key] = rest


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
                    more = norm(text_of(sub)).lower() in ("更多", "more", "更多>>", "more>>")
                    if kind in ("page", "attachment", "external") and not more:
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


