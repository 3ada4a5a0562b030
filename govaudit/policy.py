"""Policy documents and their 解读: recognition and matching over PageFacts.

Pure functions: nothing here reads the network or the store.

* :func:`recognise_document` — is this page a policy document that needs a
  解读 (规章, 行政规范性文件, 政策文件 …)?  Returns a :class:`PolicyDoc` with the
  signals that decided it, or ``None``.  :func:`exemption` says why a page
  with a document shape needs no 解读 (任免, 招聘, 公示, 年度报告 …).
* :func:`recognise_interpretation` — is this page a 解读 (政策解读 column,
  《…》政策解读 / 答记者问 / 一图读懂 titles)?
* :func:`analyse` — both over a whole crawl, then match each 解读 to its
  document, strongest evidence first:

  ==================== ======== ===========================================
  evidence             strength meaning
  ==================== ======== ===========================================
  doc_links_to_jiedu   4        the document page links to the 解读
  jiedu_links_to_doc   3        the 解读 links back to the document
  doc_number           2        the 解读 quotes the document's 文号
  title                1        the 《》 title in the 解读 matches the
                                document title (similarity kept)
  ==================== ======== ===========================================

Example::

    >>> core_title("平潭综合实验区管委会关于印发《平潭综合实验区培育集成电路产业发展的若干措施》的通知")
    '平潭综合实验区培育集成电路产业发展的若干措施'
    >>> normalise_doc_number("清政办发[2026]12号")
    '清政办发〔2026〕12号'
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from .extract.dates import parse_date as _extract_date
from .models import Link, PageFacts

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

EVIDENCE_STRENGTH = {"doc_links_to_jiedu": 4, "jiedu_links_to_doc": 3, "doc_number": 2, "title": 1}

#: Default minimum similarity for a 《》 title match.
TITLE_THRESHOLD = 0.8

#: Words in a column / breadcrumb / ColumnType that mark policy documents.
POLICY_COLUMN_RE = re.compile(r"规范性文件|政策文件|政府文件|政府规章|规章|政策法规|部门文件|文件")
#: Column words that are not policy documents even with 文件 in them.
NON_POLICY_COLUMN_RE = re.compile(r"下载|表格")
#: Column words of news / people / reports (no 解读 needed unless a 文号 says otherwise).
NEWS_COLUMN_RE = re.compile(r"动态|要闻|新闻|图片|视频|媒体|人事|任免|招聘|招考|公示|年报|年度报告|统计|财政|预决算")
#: Columns of documents drafted elsewhere (谁起草谁解读: the drafter interprets them).
UPPER_COLUMN_RE = re.compile(r"上级|中央|国家政策")
#: A 解读 column: 解读 without 文件 (政策文件及解读 holds both kinds).
JIEDU_COLUMN_RE = re.compile(r"解读|图解")

#: Titles of 解读 pages (解读 at the end or after the named document, not "做好政策解读工作的通知").
JIEDU_TITLE_RE = re.compile(
    r"(?:解读|答记者问|政策问答|问答|解答|图解)(?:材料|稿|文章)?(?:[（(][^()（）]*[)）])?$"
    r"|》.{0,8}(?:解读|图解)|的(?:政策)?解读|解读[：:]|^(?:政策)?解读|一图[读看]懂|图解|答记者问|政策问答"
)
#: Titles of policy documents.
DOC_TITLE_RE = re.compile(
    r"(?:关于)?(?:印发|转发|颁布|发布).+的(?:通知|决定)"
    r"|(?:办法|规定|意见|措施|细则|决定|规则|条例|实施方案|规划|指引)$"
)
#: Trailing qualifiers stripped before the title-shape test.
TITLE_TAIL_RE = re.compile(r"[（(](?:试行|暂行|修订|修正|\d{4}年?修订|\d{4}年?版)[)）]\s*$")

#: Why a page with a document shape needs no 解读 (checked on the title, in order).
EXEMPTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("解读", re.compile(r"解读")),
    ("转发", re.compile(r"转发")),
    ("任免", re.compile(r"任免|任职|免职|任命|聘任|职务|人事|干部")),
    ("招聘", re.compile(r"招聘|招考|录用|遴选|选调|招录|考录|考试")),
    ("公示", re.compile(r"公示|名单|人选")),
    ("报告", re.compile(r"年度报告|年报|工作总结|工作报告|总结|报表|统计公报|决算|预算")),
    ("批复", re.compile(r"批复|复函|答复|审批意见|审查意见")),
    ("表彰", re.compile(r"表彰|表扬|嘉奖|通报批评|处分")),
    ("征求意见", re.compile(r"征求意见|意见征集|草案")),
    ("放假", re.compile(r"放假")),
    ("采购", re.compile(r"采购|招标|中标|成交|比选")),
    ("会议", re.compile(r"会议纪要|会议召开|召开")),
    ("活动通知", re.compile(r"(?:开展|举办|举行|组织|参加).{0,60}(?:活动|培训|比赛|大赛|竞赛|评选|展览|展演|论坛|讲座|宣传周|宣传月)")),
)

#: 文号 such as 清政办发〔2026〕12号, with 〔〕 [] ［］ （） () 【】 variants.
DOC_NUMBER_RE = re.compile(
    r"([\u4e00-\u9fa5A-Za-z]{1,12}?)\s*[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]\s*第?\s*0*(\d{1,5})\s*号"
)

_INFO_KEYS = {
    "doc_number": ("文号", "文件编号", "发文字号", "发文编号", "文件文号"),
    "issuer": ("发布机构", "发文机关", "发文单位", "发布单位", "制发机关", "发文机构"),
    "written": ("成文日期", "印发日期", "制发日期"),
    "published": ("发布日期", "公开日期", "发文日期", "公布日期"),
}

_PUNCT_RE = re.compile(r"[\s\u3000《》〈〉<>“”\"'‘’「」『』()（）〔〕\[\]［］【】,，.。、:：;；!！?？·\-—_/]+")
_URL_DATE_RES = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})/(\d{2})/"),
)
_LINK_CONTEXTS = ("body", "related")
#: Link texts that name a 解读 column, not one 解读.
_COLUMN_LINK_TEXT_RE = re.compile(r"^(?:政策|本[县市区]政策|上级政策|部门政策|[\u4e00-\u9fa5]{0,4}政策)?(?:解读|图解)(?:回应)?$")


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


@dataclass
class PolicyDoc:
    """A policy document that needs a 解读."""

    url: str
    title: str
    doc_number: str = ""  # normalised 文号
    issuer: str = ""
    written_date: str | None = None  # 成文日期 YYYY-MM-DD
    published: str | None = None  # 发布日期 YYYY-MM-DD (info table, else the page date)
    column: str = ""
    signals: list[str] = field(default_factory=list)  # why it counts: column:…, doc_number, title_shape
    js_boxes: list[str] = field(default_factory=list)  # relation boxes filled by JavaScript (unread)

    @property
    def js_jiedu_box(self) -> bool:
        """The page has a 解读 relation box that only JavaScript fills."""
        return any(JIEDU_COLUMN_RE.search(b) or "关联" in b or "相关" in b for b in self.js_boxes)


@dataclass
class Interpretation:
    """A 解读 page (crawled) or a 解读 known only from a link to it."""

    url: str
    title: str
    published: str | None = None
    published_source: str | None = None  # visible | meta | url (url = read from the link address)
    quoted_titles: list[str] = field(default_factory=list)  # 《…》 it names
    doc_numbers: list[str] = field(default_factory=list)  # 文号 it quotes (normalised)
    column: str = ""
    signals: list[str] = field(default_factory=list)
    crawled: bool = True
    js_boxes: list[str] = field(default_factory=list)


@dataclass
class Evidence:
    kind: str  # doc_links_to_jiedu | jiedu_links_to_doc | doc_number | title
    strength: int
    detail: str = ""
    similarity: float | None = None

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"kind": self.kind, "strength": self.strength, "detail": self.detail}
        if self.similarity is not None:
            d["similarity"] = round(self.similarity, 3)
        return d


@dataclass
class Match:
    doc_url: str
    interpretation_url: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def strength(self) -> int:
        return max((e.strength for e in self.evidence), default=0)

    def has(self, kind: str) -> bool:
        return any(e.kind == kind for e in self.evidence)

    def add(self, ev: Evidence) -> None:
        if not self.has(ev.kind):
            self.evidence.append(ev)
            self.evidence.sort(key=lambda e: -e.strength)


@dataclass
class PolicyAnalysis:
    documents: list[PolicyDoc] = field(default_factory=list)
    interpretations: list[Interpretation] = field(default_factory=list)
    exempt: list[tuple[str, str, str]] = field(default_factory=list)  # (url, title, reason)
    matches: dict[str, list[Match]] = field(default_factory=dict)  # doc url -> matches, strongest first
    _by_url: dict[str, Interpretation] = field(default_factory=dict, repr=False, compare=False)

    def matches_for(self, doc_url: str) -> list[Match]:
        return self.matches.get(doc_url, [])

    def interpretation(self, url: str) -> Interpretation | None:
        if len(self._by_url) != len(self.interpretations):
            self._by_url = {i.url: i for i in self.interpretations}
        return self._by_url.get(url)

    def documents_for(self, interpretation_url: str) -> list[str]:
        """URLs of the documents a 解读 was matched to."""
        return [d for d, ms in self.matches.items() if any(m.interpretation_url == interpretation_url for m in ms)]


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def url_key(url: str) -> str:
    """A URL reduced for comparison: no scheme, no www., no fragment, no index page.

    >>> url_key("https://www.a.gov.cn/x/index.html#top") == url_key("http://a.gov.cn/x/")
    True
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = re.sub(r"/index\.(?:s?html?|jsp|aspx?|php)$", "/", parts.path or "/")
    return f"{host}{port}{path}" + (f"?{parts.query}" if parts.query else "")


def parse_date(text: str | None) -> str | None:
    """YYYY-MM-DD from ``2021-12-31 15:09``, ``2021年12月31日`` … or None."""
    got = _extract_date(text) if text else None
    return got.isoformat() if got is not None else None


def url_date(url: str) -> str | None:
    """The date a CMS writes into an article address (t20220128_…, /art/2024/6/19/ …)."""
    for rx in _URL_DATE_RES:
        m = rx.search(url)
        if m:
            try:
                return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            except ValueError:
                continue
    return None


def normalise_doc_number(text: str) -> str:
    """The first 文号 in ``text`` in canonical form (〔〕 brackets, no spaces, no leading zeros), or ''."""
    nums = find_doc_numbers(text)
    return nums[0] if nums else ""


def find_doc_numbers(text: str) -> list[str]:
    """Every 文号 in ``text``, canonical, in order, without repeats.

    >>> find_doc_numbers("根据（国办发〔2016〕80号）和 岚综管综（2021） 143号")
    ['国办发〔2016〕80号', '岚综管综〔2021〕143号']
    """
    out: list[str] = []
    for m in DOC_NUMBER_RE.finditer(text or ""):
        prefix = m.group(1)
        num = f"{prefix}〔{m.group(2)}〕{int(m.group(3))}号"
        if num not in out:
            out.append(num)
    return out


def _split_number(num: str) -> tuple[str, str, str]:
    m = re.match(r"(.*)〔(\d{4})〕(\d+)号$", num)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", "", "")


def same_doc_number(a: str, b: str) -> bool:
    """Same year and number, and one issuer code ends the other (text around a 文号 can
    stick to its prefix: 根据国办发〔2016〕80号).

    >>> same_doc_number("国办发〔2016〕80号", "根据国办发〔2016〕80号")
    True
    >>> same_doc_number("国办发〔2016〕80号", "国办函〔2016〕80号")
    False
    """
    pa, ya, na = _split_number(a)
    pb, yb, nb = _split_number(b)
    if not (ya and ya == yb and na == nb):
        return False
    short, long_ = sorted((pa, pb), key=len)
    return len(short) >= 2 and long_.endswith(short)


def normalise_title(text: str) -> str:
    """Title reduced for comparison: no punctuation, spaces, 《》, 关于/印发/的通知 wrapping."""
    t = _PUNCT_RE.sub("", text or "")
    t = TITLE_TAIL_RE.sub("", t)
    idx = t.find("关于")
    if 0 <= idx <= 30:
        t = t[idx + 2:]
    t = re.sub(r"^(?:印发|转发|颁布|发布|修订|修改)", "", t)
    t = re.sub(r"(?:的)?(?:通知|决定)$", "", t)
    t = re.sub(r"(?:试行|暂行)$", "", t)
    return t


def core_title(title: str) -> str:
    """What a document is called inside 《》 when it is 印发/转发-ed, else its normalised title."""
    quoted = re.findall(r"《([^《》]{2,})》", title or "")
    if quoted and re.search(r"印发|转发|颁布|发布|公布", title):
        return normalise_title(max(quoted, key=len))
    return normalise_title(title)


def title_similarity(a: str, b: str) -> float:
    """difflib ratio of two normalised titles; containment of a long enough title counts 0.9.

    >>> title_similarity("集成电路产业发展的若干措施", "集成电路产业发展的若干措施")
    1.0
    """
    if not a or not b:
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 6 and short in long_:
        ratio = max(ratio, 0.9)
    return ratio


def _clean_key(label: str) -> str:
    return re.sub(r"[\s\u3000:：]+", "", label or "")


def info_value(info_table: Mapping[str, str], field_name: str) -> str:
    """A value from a 信息公开 metadata table by meaning (doc_number, issuer, written, published)."""
    wanted = _INFO_KEYS[field_name]
    for k, v in (info_table or {}).items():
        if _clean_key(k) in wanted and v and v.strip():
            return v.strip()
    return ""


def _column_texts(facts: PageFacts) -> list[str]:
    texts = [facts.column] + [c.get("text", "") for c in facts.breadcrumbs or []]
    texts += [facts.meta.get(k, "") for k in ("ColumnName", "ColumnType")]
    return [t for t in texts if t]


def _linked(facts: PageFacts) -> list[Link]:
    return [ln for ln in facts.links if ln.context in _LINK_CONTEXTS and ln.url.startswith(("http://", "https://"))]


# ---------------------------------------------------------------------------
# Recognition
# ---------------------------------------------------------------------------


def recognise_interpretation(facts: PageFacts, *, extra_signals: Iterable[str] = ()) -> Interpretation | None:
    """A 解读 page: 解读 column / breadcrumb, or a 解读-shaped title (``extra_signals``: other reasons
    known to the caller, such as a document linking to the page as its 解读)."""
    if facts.kind == "listing" or facts.is_not_found:
        return None
    signals: list[str] = list(extra_signals)
    title = facts.title or facts.meta.get("ArticleTitle", "")
    if JIEDU_TITLE_RE.search(title):
        signals.append("title")
    for t in _column_texts(facts):
        if JIEDU_COLUMN_RE.search(t) and "文件" not in t:
            signals.append(f"column:{t}")
            break
    if re.search(r"/(?:zcjd|jdhy)/", urlsplit(facts.url).path or ""):
        signals.append("url_path")
    if not signals or signals == ["url_path"] and not title:
        return None
    head = (facts.body_text or "")[:600]
    quoted = [q.strip() for q in re.findall(r"《([^《》]{2,})》", title)]
    if not quoted:
        quoted = [q.strip() for q in re.findall(r"《([^《》]{4,})》", head)][:1]
    if not quoted:
        bare = re.sub(r"(?:的)?(?:政策)?(?:解读|图解|答记者问)(?:材料)?$|^(?:一图[读看]懂|图解)", "", _PUNCT_RE.sub("", title))
        if len(bare) >= 4 and bare != _PUNCT_RE.sub("", title):
            quoted = [bare]
    numbers: list[str] = []
    for src in (facts.doc_number, info_value(facts.info_table, "doc_number"), title, head):
        for n in find_doc_numbers(src):
            if n not in numbers:
                numbers.append(n)
    return Interpretation(
        url=facts.url,
        title=title,
        published=facts.published,
        published_source=facts.published_source,
        quoted_titles=quoted,
        doc_numbers=numbers,
        column=facts.column,
        signals=signals,
        js_boxes=list(facts.js_boxes),
    )


def exemption(title: str) -> str | None:
    """Why a document with this title needs no 解读 (任免, 招聘, 公示, 报告 …), or None.

    >>> exemption("关于张三同志任职的通知"), exemption("平潭综合实验区2024年度政府信息公开工作年度报告")
    ('任免', '报告')
    """
    for reason, rx in EXEMPTIONS:
        if rx.search(title or ""):
            return reason
    return None


def recognise_document(facts: PageFacts) -> PolicyDoc | None:
    """A policy document that needs a 解读, or None (see :func:`document_or_exemption`)."""
    doc, _ = document_or_exemption(facts)
    return doc


def document_or_exemption(facts: PageFacts) -> tuple[PolicyDoc | None, str | None]:
    """(document, None) for a policy document; (None, reason) for a document shape that needs
    no 解读; (None, None) for any other page."""
    if facts.kind == "listing" or facts.is_not_found:
        return None, None
    title = (facts.title or facts.meta.get("ArticleTitle", "")).strip()
    if not title:
        return None, None
    signals: list[str] = []
    number = ""
    for src in (facts.doc_number, info_value(facts.info_table, "doc_number")):
        number = normalise_doc_number(src)
        if number:
            signals.append("doc_number")
            break
    if facts.kind != "article" and not number:
        return None, None  # a column page or an unreadable page is not a document without a 文号
    columns = _column_texts(facts)
    if title in columns:
        return None, None  # the column's own page
    policy_col = next((t for t in columns if POLICY_COLUMN_RE.search(t) and not NON_POLICY_COLUMN_RE.search(t)), "")
    if policy_col:
        signals.append(f"column:{policy_col}")
    bare = TITLE_TAIL_RE.sub("", _strip_end(title))
    if DOC_TITLE_RE.search(bare):
        signals.append("title_shape")
    if not signals:
        return None, None
    news_col = any(NEWS_COLUMN_RE.search(t) for t in columns) and not policy_col
    if signals == ["title_shape"] and news_col:
        return None, None
    reason = exemption(title)
    if not reason and any(UPPER_COLUMN_RE.search(t) for t in columns):
        reason = "上级文件"
    if reason:
        return None, reason
    issuer = info_value(facts.info_table, "issuer") or facts.meta.get("ContentSource", "")
    published = parse_date(info_value(facts.info_table, "published")) or facts.published
    return (
        PolicyDoc(
            url=facts.url,
            title=title,
            doc_number=number,
            issuer=issuer,
            written_date=parse_date(info_value(facts.info_table, "written")),
            published=published,
            column=facts.column,
            signals=signals,
            js_boxes=list(facts.js_boxes),
        ),
        None,
    )


def _strip_end(title: str) -> str:
    return re.sub(r"[\s\u3000。.]+$", "", title)


def _looks_like_jiedu_link(link: Link) -> bool:
    text = _PUNCT_RE.sub("", link.text or "")
    return bool(JIEDU_TITLE_RE.search(text)) and not _COLUMN_LINK_TEXT_RE.match(text) and len(text) > 4


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------


def analyse(
    pages: Iterable[PageFacts],
    *,
    aliases: Mapping[str, str] | None = None,
    title_threshold: float = TITLE_THRESHOLD,
) -> PolicyAnalysis:
    """Recognise documents and 解读 among ``pages`` and match them.

    ``aliases`` maps other addresses of a page (request URL, redirect target)
    to its ``facts.url`` so that links to either count.
    """
    facts_list = list(pages)
    out = PolicyAnalysis()
    facts_by_url: dict[str, PageFacts] = {}
    other_pages: dict[str, PageFacts] = {}  # url_key -> facts of pages that are neither kind
    for f in facts_list:
        interp = recognise_interpretation(f)
        if interp:
            out.interpretations.append(interp)
            facts_by_url[f.url] = f
            continue
        doc, reason = document_or_exemption(f)
        if doc:
            out.documents.append(doc)
            facts_by_url[f.url] = f
        elif reason:
            out.exempt.append((f.url, f.title, reason))
        if not doc:
            other_pages[url_key(f.url)] = f

    key_to_url: dict[str, str] = {url_key(u): u for u in facts_by_url}
    for alias, target in (aliases or {}).items():
        if target in facts_by_url:
            key_to_url.setdefault(url_key(alias), target)
        elif url_key(target) in other_pages:
            other_pages.setdefault(url_key(alias), other_pages[url_key(target)])
    docs = {d.url: d for d in out.documents}
    interps = {i.url: i for i in out.interpretations}
    pairs: dict[tuple[str, str], Match] = {}

    def add(doc_url: str, i_url: str, ev: Evidence) -> None:
        pairs.setdefault((doc_url, i_url), Match(doc_url, i_url)).add(ev)

    # 1. the document links to the 解读 (a crawled 解读, or a 解读-titled link we did not crawl)
    for d in out.documents:
        for ln in _linked(facts_by_url[d.url]):
            target = key_to_url.get(url_key(ln.url))
            if target is None and _looks_like_jiedu_link(ln) and url_key(ln.url) in other_pages:
                # a crawled page the document presents as its 解读: take it as one
                promoted = recognise_interpretation(other_pages[url_key(ln.url)],
                                                    extra_signals=["linked_from_document"])
                if promoted:
                    out.interpretations.append(promoted)
                    interps[promoted.url] = promoted
                    facts_by_url[promoted.url] = other_pages[url_key(ln.url)]
                    key_to_url[url_key(ln.url)] = target = promoted.url
            if target in interps:
                add(d.url, target, Evidence("doc_links_to_jiedu", 4, f"{ln.context}: {ln.text}".strip()))
            elif target is None and _looks_like_jiedu_link(ln):
                if ln.url not in interps:
                    quoted = re.findall(r"《([^《》]{2,})》", ln.text)
                    i = Interpretation(url=ln.url, title=ln.text.strip(), published=url_date(ln.url),
                                       published_source="url" if url_date(ln.url) else None,
                                       quoted_titles=quoted, signals=["linked_from_document"], crawled=False)
                    interps[i.url] = i
                    out.interpretations.append(i)
                add(d.url, ln.url, Evidence("doc_links_to_jiedu", 4, f"{ln.context}: {ln.text}".strip()))
    # 2. the 解读 links back to the document
    for i in out.interpretations:
        if not i.crawled:
            continue
        for ln in _linked(facts_by_url[i.url]):
            target = key_to_url.get(url_key(ln.url))
            if target in docs:
                add(target, i.url, Evidence("jiedu_links_to_doc", 3, f"{ln.context}: {ln.text}".strip()))
    # 3. the 解读 quotes the document's 文号
    by_year_num: dict[tuple[str, str], list[PolicyDoc]] = defaultdict(list)
    for d in out.documents:
        _, y, n = _split_number(d.doc_number)
        if y:
            by_year_num[(y, n)].append(d)
    for i in out.interpretations:
        for num in i.doc_numbers:
            _, y, n = _split_number(num)
            for d in by_year_num.get((y, n), []):
                if same_doc_number(d.doc_number, num):
                    add(d.url, i.url, Evidence("doc_number", 2, num))
    # 4. 《》 title, only for 解读 without stronger evidence elsewhere
    strong = {i_url for (_, i_url) in pairs}
    _match_titles(out, [i for i in out.interpretations if i.url not in strong], title_threshold, add)
    # titles also strengthen pairs that are already known
    for (d_url, i_url), m in pairs.items():
        if not m.has("title"):
            sim = max((title_similarity(core_title(docs[d_url].title), normalise_title(q))
                       for q in interps[i_url].quoted_titles), default=0.0)
            if sim >= title_threshold:
                m.add(Evidence("title", 1, interps[i_url].quoted_titles[0], sim))

    for (d_url, _), m in pairs.items():
        out.matches.setdefault(d_url, []).append(m)
    for ms in out.matches.values():
        ms.sort(key=lambda m: (-m.strength, -max((e.similarity or 0) for e in m.evidence)))
    return out


def _bigrams(s: str) -> set[str]:
    return {s[k:k + 2] for k in range(len(s) - 1)}


def _match_titles(out: PolicyAnalysis, interps: list[Interpretation], threshold: float, add) -> None:
    """Title evidence: exact normalised titles first, else fuzzy among candidates that share
    enough informative character bigrams (common ones such as 办法 or the city name are skipped)."""
    cores = [(d, core_title(d.title)) for d in out.documents]
    exact: dict[str, list[int]] = defaultdict(list)
    index: dict[str, set[int]] = defaultdict(set)
    for n, (_, c) in enumerate(cores):
        exact[c].append(n)
        for bg in _bigrams(c):
            index[bg].add(n)
    common = max(50, len(cores) // 20)
    for i in interps:
        best: list[tuple[float, PolicyDoc, str]] = []
        for q in i.quoted_titles:
            nq = normalise_title(q)
            if nq in exact:
                best += [(1.0, cores[n][0], q) for n in exact[nq]]
                continue
            for n in _candidates(nq, index, common):
                doc, core = cores[n]
                sim = title_similarity(core, nq)
                if sim >= threshold:
                    best.append((sim, doc, q))
        if not best:
            continue
        top = max(s for s, _, _ in best)
        seen: set[str] = set()
        for sim, doc, q in sorted(best, key=lambda t: -t[0]):
            if sim >= top - 0.02 and doc.url not in seen:
                seen.add(doc.url)
                add(doc.url, i.url, Evidence("title", 1, q, sim))


def _candidates(title: str, index: Mapping[str, set[int]], common: int, limit: int = 40) -> list[int]:
    grams = [g for g in _bigrams(title) if g in index]
    if not grams:
        return []
    rare = [g for g in grams if len(index[g]) <= common] or grams
    counts: dict[int, int] = defaultdict(int)
    for g in rare:
        for n in index[g]:
            counts[n] += 1
    need = 0.4 * len(rare)
    ranked = sorted((n for n, c in counts.items() if c >= need), key=lambda n: -counts[n])
    return ranked[:limit]


# ---------------------------------------------------------------------------
# Text overlap (形式化解读)
# ---------------------------------------------------------------------------


def _plain(text: str) -> str:
    return _PUNCT_RE.sub("", text or "")


def copy_share(interpretation_text: str, document_text: str, n: int = 6) -> float:
    """Share of the 解读's character n-grams (punctuation and spaces removed) found in the document.

    >>> copy_share("第一条为了规范管理制定本办法", "第一条为了规范管理制定本办法。第二条本办法适用于全市")
    1.0
    """
    a, b = _plain(interpretation_text), _plain(document_text)
    if len(a) < n or len(b) < n:
        return 0.0
    doc_grams = {b[k:k + n] for k in range(len(b) - n + 1)}
    grams = [a[k:k + n] for k in range(len(a) - n + 1)]
    return sum(1 for g in grams if g in doc_grams) / len(grams)


def heading_share(interpretation_text: str, document_headings: Iterable[str]) -> float:
    """Share of the 解读's characters taken up by the document's own headings."""
    a = _plain(interpretation_text)
    if not a:
        return 0.0
    covered = [False] * len(a)
    for h in document_headings:
        ph = _plain(h)
        if len(ph) < 4:
            continue
        start = a.find(ph)
        while start >= 0:
            for k in range(start, start + len(ph)):
                covered[k] = True
            start = a.find(ph, start + len(ph))
    return sum(covered) / len(a)
