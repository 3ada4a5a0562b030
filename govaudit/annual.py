"""政府信息公开工作年度报告: find, read and add up annual reports.

What this module does, without any network or store access:

* title matching — :func:`looks_like_report_title` (the year or ``None``),
  :func:`report_owner_from_title`, owner matching (:func:`is_own_report`);
* parsing one report from text, HTML, :class:`PageFacts` or PDF bytes into an
  :class:`AnnualReport` (sections found, tables 二/三/四 as numbers);
* arithmetic — :func:`check_arithmetic` (one report) and :func:`cross_year`
  (this year against last year), each returning :class:`ArithmeticIssue`;
* similarity of two years' prose (:func:`text_similarity`) for copied reports;
* deadlines (:func:`due_date`, :func:`expected_years`).

Reports reach us in three shapes, all handled by the same row locator:

* real tables (HTML, PDF tables, markdown): rows become ``|a|b|c|`` lines;
* PDF text: cells separated by spaces (turned into ``|``);
* flattened text where cells are concatenated (``予以公开710000071``): the digit
  run is split into the expected number of values using the table's own
  arithmetic (row total = sum of the columns).  Such a row therefore cannot
  show a row-total error; when no split adds up the row is "unread", never
  guessed.

Example::

    >>> looks_like_report_title("平潭综合实验区2024年度政府信息公开工作年度报告")
    2024
    >>> looks_like_report_title("河北省2023年政府网站工作年度报表") is None
    True
    >>> r = parse_text("三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5")
    >>> r.table3["new"]
    [5, 0, 0, 0, 0, 0, 5]
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .models import PageFacts

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

#: The six sections of the 2021 format (国办公开办函〔2021〕30号), with patterns
#: run on whitespace-free text.  The 2019 试行 wording of 四 is accepted too.
SECTIONS: list[tuple[str, str]] = [
    ("一、总体情况", r"一[、.．，]总体情况"),
    ("二、主动公开政府信息情况", r"二[、.．，]主动公开政府信息情况"),
    ("三、收到和处理政府信息公开申请情况", r"三[、.．，]收到和处理政府信息公开申请情况"),
    ("四、政府信息公开行政复议、行政诉讼情况", r"四[、.．，](?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议"),
    ("五、存在的主要问题及改进情况", r"五[、.．，][^。|]{0,14}?存在的主要问题"),
    ("六、其他需要报告的事项", r"六[、.．，]其他需要报告的事项"),
]

#: Applicant columns of table 三, then the 总计 column.
T3_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

#: Table 三 rows: (key, label as printed, number prefix or "", core pattern).
T3_ROWS: list[tuple[str, str, str, str]] = [
    ("new", "一、本年新收政府信息公开申请数量", "", r"本年新收"),
    ("carried", "二、上年结转政府信息公开申请数量", "", r"上年结转"),
    ("open", "（一）予以公开", "", r"予以公开"),
    ("partial", "（二）部分公开", "", r"部分公开"),
    ("deny", "（三）不予公开", "", r"不予公开"),
    ("deny_1", "1.属于国家秘密", "1", r"属于国家秘密"),
    ("deny_2", "2.其他法律行政法规禁止公开", "2", r"其他法律行政法规禁止公开"),
    ("deny_3", "3.危及“三安全一稳定”", "3", r"危及"),
    ("deny_4", "4.保护第三方合法权益", "4", r"保护第三方合法权益"),
    ("deny_5", "5.属于三类内部事务信息", "5", r"属于三类内部事务信息"),
    ("deny_6", "6.属于四类过程性信息", "6", r"属于四类过程性信息"),
    ("deny_7", "7.属于行政执法案卷", "7", r"属于行政执法案卷"),
    ("deny_8", "8.属于行政查询事项", "8", r"属于行政查询事项"),
    ("unable", "（四）无法提供", "", r"无法提供"),
    ("unable_1", "1.本机关不掌握相关政府信息", "1", r"本机关不掌握相关政府信息"),
    ("unable_2", "2.没有现成信息需要另行制作", "2", r"没有现成信息需要另行制作"),
    ("unable_3", "3.补正后申请内容仍不明确", "3", r"补正后申请内容仍不明确"),
    ("refuse", "（五）不予处理", "", r"不予处理"),
    ("refuse_1", "1.信访举报投诉类申请", "1", r"信访举报投诉类申请"),
    ("refuse_2", "2.重复申请", "2", r"重复申请"),
    ("refuse_3", "3.要求提供公开出版物", "3", r"要求提供公开出版物"),
    ("refuse_4", "4.无正当理由大量反复申请", "4", r"无正当理由大量反复申请"),
    ("refuse_5", "5.要求行政机关确认或重新出具已获取信息", "5", r"要求行政机关确认或重新出具已获取信息"),
    ("other", "（六）其他处理", "", r"（六）其他(?:处理)?"),
    ("other_1", "1.申请人无正当理由逾期不补正", "1", r"申请人无正当理由逾期不补正"),
    ("other_2", "2.申请人逾期未按收费通知要求缴纳费用", "2", r"申请人逾期未按收费通知要求缴纳费用"),
    ("other_3", "3.其他", "3!", r"其他"),
    ("total", "（七）总计", "", r"（七）总计"),
    ("carry_next", "四、结转下年度继续办理", "", r"结转下年度继续办理"),
]
T3_LABELS = {k: label for k, label, _p, _c in T3_ROWS}
#: Result rows whose sum is （七）总计 (group rows count only when they have no items).
T3_RESULT_GROUPS: list[tuple[str, list[str]]] = [
    ("open", []),
    ("partial", []),
    ("deny", [f"deny_{i}" for i in range(1, 9)]),
    ("unable", [f"unable_{i}" for i in range(1, 4)]),
    ("refuse", [f"refuse_{i}" for i in range(1, 6)]),
    ("other", [f"other_{i}" for i in range(1, 4)]),
]

#: Table 四: three blocks of five columns.
T4_BLOCKS = ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]
T4_COLUMNS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

#: Table 二 rows: (key, label, number of values, core pattern).
T2_ROWS: list[tuple[str, str, int, str]] = [
    ("rules", "规章", 3, r"规章"),
    ("normative", "行政规范性文件", 3, r"(?:行政)?规范性文件"),
    ("licensing", "行政许可", 1, r"行政许可"),
    ("penalty", "行政处罚", 1, r"行政处罚"),
    ("enforcement", "行政强制", 1, r"行政强制"),
    ("fees", "行政事业性收费", 1, r"行政事业性收费"),
]
T2_COLUMNS_2021 = ["本年制发件数", "本年废止件数", "现行有效件数"]

# ---------------------------------------------------------------------------
# Titles and owners
# ---------------------------------------------------------------------------

_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年")
_EXCLUDE_RE = re.compile(
    r"报表|要点|落实情况|的函|通知|意见|格式|解读|图解|问答|新闻发布|关于报送|关于印发|关于做好|关于开展|统计表|报告会"
)
_REPORT_RE = re.compile(
    r"信息公开.{0,8}?(?:年度报告|年度工作报告|年报|年度报(?:\.{2,}|…+)?$|年度(?:\.{2,}|…+)$|年(?:\.{2,}|…+)$)"
)
_DEPT_SUFFIX_RE = re.compile(
    r"(?:局|厅|委|委员会|办|办公室|中心|院|所|队|站|处|科|署|镇|乡|街道|街道办事处|社区|村|公司|集团|学校|医院|"
    r"分局|支队|大队|馆|台|会|部|行|协会|联合会|工委|党校)$"
)
_GOV_SUFFIXES = ("党工委管委会", "党工委、管委会", "管理委员会", "管委会", "人民政府", "政府", "党工委")
_SITE_SUFFIXES = ("门户网站", "政府网站", "网站", "官网", "官方网站")
IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff")


def _norm_title(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def looks_like_report_title(text: str) -> int | None:
    """The report year when ``text`` is the title of a 政府信息公开工作年度报告, else None.

    Accepts 年度报告 / 年报 / 工作年度报告, with or without 工作/政府, （图片版）,
    and list titles cut short with … or ...; rejects 政府网站工作年度报表,
    关于…工作要点落实情况的函, notices, templates and 解读.

    >>> looks_like_report_title("沭阳县发展和改革局2023年政府信息公开年度报告")
    2023
    >>> looks_like_report_title("河北省科学技术厅2023年政府信息公开工作年度报...")
    2023
    >>> looks_like_report_title("关于2014年政府信息公开工作要点落实情况的函") is None
    True
    """
    t = _norm_title(text)
    if not t or "信息公开" not in t:
        return None
    if _EXCLUDE_RE.search(t):
        return None
    if not _REPORT_RE.search(t):
        return None
    m = _YEAR_RE.search(t)
    if not m:
        m = re.search(r"((?:19|20)\d\d)(?:年度|年)?(?:政府)?信息公开", t)
        if not m:
            return None
    year = int(m.group(1))
    return year if 1990 <= year <= 2100 else None


def report_owner_from_title(text: str) -> str:
    """The body named before the year in a report title ('' when none).

    >>> report_owner_from_title("平潭综合实验区2024年度政府信息公开工作年度报告")
    '平潭综合实验区'
    >>> report_owner_from_title("2023年政府信息公开工作年度报告")
    ''
    """
    t = _norm_title(text)
    m = _YEAR_RE.search(t) or re.search(r"(?:19|20)\d\d", t)
    if not m:
        return ""
    owner = t[: m.start()]
    owner = re.sub(r"^(?:【[^】]*】|\[[^\]]*\]|关于)", "", owner)
    return owner.strip("：:-_|·")


def owner_core(name: str) -> str:
    """A body's name without 人民政府/管委会/网站 endings (used to compare owners).

    >>> owner_core("平潭综合实验区党工委管委会")
    '平潭综合实验区'
    >>> owner_core("沭阳县人民政府")
    '沭阳县'
    """
    n = _norm_title(name)
    n = re.sub(r"^中国", "", n)
    changed = True
    while changed:
        changed = False
        for suf in _SITE_SUFFIXES + _GOV_SUFFIXES:
            if n.endswith(suf) and len(n) > len(suf):
                n = n[: -len(suf)]
                changed = True
    return n


def owner_type_of(name: str) -> str:
    """'government' for 人民政府/管委会 names, 'department' for 局/委/办 … names.

    >>> owner_type_of("沭阳县人民政府"), owner_type_of("沭阳县发展和改革局")
    ('government', 'department')
    """
    n = _norm_title(name)
    for suf in _SITE_SUFFIXES:
        if n.endswith(suf) and len(n) > len(suf):
            n = n[: -len(suf)]
    if any(n.endswith(s) for s in _GOV_SUFFIXES):
        return "government"
    if _DEPT_SUFFIX_RE.search(n):
        return "department"
    return "government"


def _close(a: str, b: str) -> bool:
    """Equal, or the same length with one character different (OCR: 沭/沐)."""
    if a == b:
        return True
    return len(a) == len(b) >= 3 and sum(x != y for x, y in zip(a, b)) <= 1


def is_own_report(report_owner: str, site_owner: str) -> bool:
    """Whether a report titled for ``report_owner`` is the site owner's own report.

    A report whose title names no body is taken as the owner's.  A department,
    township or 直属单位 listed beside it (its name extends the owner's name
    with a unit, e.g. 平潭综合实验区 + 地方税务局) is not.

    >>> is_own_report("平潭综合实验区", "平潭综合实验区党工委管委会")
    True
    >>> is_own_report("平潭综合实验区地方税务局", "平潭综合实验区党工委管委会")
    False
    """
    r = owner_core(report_owner)
    if not r:
        return True
    if not site_owner:
        return owner_type_of(report_owner) == "government"
    s = owner_core(site_owner)
    if _close(r, s):
        return True
    if s.endswith(r) or r.endswith(s):
        longer, shorter = (r, s) if len(r) > len(s) else (s, r)
        rest = longer[: len(longer) - len(shorter)] if longer.endswith(shorter) else ""
        # 福建省平潭综合实验区 vs 平潭综合实验区: only a region prefix differs
        if rest and not _DEPT_SUFFIX_RE.search(rest) and re.search(r"(?:省|市|区|县|自治区|自治州|州|盟|旗)$", rest):
            return True
        if longer == r and r.startswith(s):
            return False
        if longer == s and s.startswith(r):
            rest = s[len(r):]
            if re.search(r"(?:省|市|区|县|州|盟|旗|镇|乡|街道)$", rest):
                return False  # the site is a district of the report's body (市 report on a 区 site)
            return owner_type_of(report_owner) == owner_type_of(site_owner)
    return False


# ---------------------------------------------------------------------------
# Data model
# ---------------------------------------------------------------------------


@dataclass
class ArithmeticIssue:
    """One sum in a report (or across two years) that does not add up."""

    rule: str  # row_total | balance | result_total | review_total | carried_over | valid_count
    table: str  # 二 | 三 | 四
    row: str  # row label as printed
    column: str  # column label
    expected: float  # what the other figures give
    actual: float  # what the report says
    message: str  # one line in Chinese

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class AnnualReport:
    """What govaudit reads in one annual report."""

    url: str = ""
    title: str = ""
    owner: str = ""
    year: int | None = None
    published: str | None = None  # YYYY-MM-DD
    doc_format: str = "html"  # html | pdf | image | text
    sections: list[str] = field(default_factory=list)  # section headings found (canonical wording)
    missing_sections: list[str] = field(default_factory=list)
    tables_found: list[str] = field(default_factory=list)  # 二 | 三 | 四
    table2: dict[str, list[float | None]] = field(default_factory=dict)
    table2_format: str = ""  # 2021 | 2019 | ''
    table2_candidates: dict[str, list[list[int]]] = field(default_factory=dict)  # concatenated rows read several ways
    table3: dict[str, list[int | None]] = field(default_factory=dict)
    table4: list[int | None] = field(default_factory=list)  # 15 values, blocks of 5
    notes: list[str] = field(default_factory=list)  # rows that could not be read, and why
    text: str = ""  # whole text, whitespace-normalised
    prose: str = ""  # text outside the tables (for similarity)

    @property
    def readable(self) -> bool:
        """False for image-only reports: no text to read."""
        return self.doc_format != "image" and (len(self.text) >= 200 or bool(self.sections) or bool(self.table3))

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        if not with_text:
            d.pop("text")
            d.pop("prose")
        d["readable"] = self.readable
        return d


# ---------------------------------------------------------------------------
# Text normalisation and the row locator
# ---------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("０１２３４５６７８９．（）｜", "0123456789.（）|")
_ASCII_PARENS = str.maketrans({"(": "（", ")": "）"})


def normalize(text: str) -> str:
    """Whitespace-free text in which cells stay apart.

    Digits separated only by whitespace get a ``|`` between them (PDF text,
    space-separated cells); all other whitespace goes (Word-pasted labels are
    full of it); line breaks stay.  Markdown ``数据1``-style placeholder
    headers are dropped; ASCII parentheses become full-width.
    """
    t = (text or "").translate(_FULLWIDTH).translate(_ASCII_PARENS)
    t = t.replace("\xa0", " ").replace("\u3000", " ").replace("\r", "\n")
    t = re.sub(r"数据\d+", "", t)
    t = re.sub(r"(?<=\d)[ \t]+(?=\d)", "|", t)
    t = re.sub(r"[ \t\f\v]+", "", t)
    t = re.sub(r"\n{2,}", "\n", t)
    return t


def _is_num(cell: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", cell))


def _is_blank(cell: str) -> bool:
    return cell in ("", "-", "—", "–", "/", "／", "无", "—/—")


def _num(cell: str) -> float | int | None:
    if _is_blank(cell):
        return None
    return float(cell) if "." in cell else int(cell)


def _pipe_values(line: str, mid_cell: bool) -> list[float | int | None] | None:
    """Values of one ``|``-separated row line, or None when it is not a value row."""
    if line.startswith("|"):
        line = line[1:]
        mid_cell = False
    if line.endswith("|"):
        line = line[:-1]
    cells = line.split("|")
    if cells and not _is_num(cells[0]) and len(cells) > 1:
        m = re.search(r"(?<![\d.])(\d+(?:\.\d+)?)$", cells[0])
        if m and (mid_cell or not _is_blank(cells[0])) and not re.search(r"[.．、]\d+$", cells[0]):
            cells[0] = m.group(1)  # label and first value not separated (PDF/flattened text)
        elif mid_cell:
            cells = cells[1:]  # the rest of the label cell the match ended in
    if len(cells) > 1:
        m = re.match(r"^(\d+(?:\.\d+)?)\D+$", cells[-1])
        if m:
            cells[-1] = m.group(1)  # the next row's label follows the last value
    while cells and not _is_num(cells[0]) and not _is_blank(cells[0]):
        cells = cells[1:]  # further label cells (三、本年度办理结果 | （一）予以公开 | …)
    if not cells or not all(_is_num(c) or _is_blank(c) for c in cells):
        return None
    if not any(_is_num(c) for c in cells):
        return None
    return [_num(c) for c in cells]


def _splits(run: str, n: int) -> Iterable[list[int]]:
    """Every way to cut a digit run into n integers without leading zeros."""
    if n == 1:
        if run and (run == "0" or not run.startswith("0")):
            yield [int(run)]
        return
    if not run:
        return
    if run[0] == "0":
        for rest in _splits(run[1:], n - 1):
            yield [0, *rest]
        return
    for i in range(1, len(run) - n + 2):
        for rest in _splits(run[i:], n - 1):
            yield [int(run[:i]), *rest]


def split_run(run: str, n: int, ok: Callable[[list[int]], bool]) -> list[list[int]]:
    """The splits of a concatenated digit run into n values that satisfy ``ok``.

    >>> split_run("21710000218", 7, lambda v: sum(v[:6]) == v[6])
    [[217, 1, 0, 0, 0, 0, 218]]
    """
    out: list[list[int]] = []
    for vals in _splits(run, n):
        if ok(vals):
            out.append(vals)
            if len(out) > 8:
                break
    return out


def _row_total_ok(vals: list[int]) -> bool:
    return sum(vals[:-1]) == vals[-1]


@dataclass
class _Row:
    key: str
    start: int
    end: int


def _locate(text: str, rows: list[tuple[str, str, str]], start: int = 0) -> list[_Row]:
    """Find row labels in order: (key, number prefix, core pattern) -> positions.

    A prefix ``"2"`` matches an optional ``2.``/``2、`` before the core; ``"3!"``
    makes the prefix required (``3.其他``).
    """
    found: list[_Row] = []
    pos = start
    for key, prefix, core in rows:
        if prefix.endswith("!"):
            pat = rf"{prefix[:-1]}[.．、]{core}"
        elif prefix:
            pat = rf"(?:{prefix}[.．、])?{core}"
        else:
            pat = core
        m = re.compile(pat).search(text, pos)
        if not m:
            continue
        found.append(_Row(key, m.start(), m.end()))
        pos = m.end()
    return found


AMBIGUOUS = "ambiguous"


def _segment_values(
    seg: str, n: int | None, ok: Callable[[list[int]], bool] | None
) -> tuple[list[Any] | None, str]:
    """Values in the text between one row label and the next.

    Returns (values, note): values None with a note when nothing can be read;
    when a concatenated run splits several ways, the candidates (a list of
    value lists) with a note starting with ``ambiguous``.
    """
    lines = seg.split("\n")
    for i, line in enumerate(lines):
        if "|" in line:
            vals = _pipe_values(line, mid_cell=(i == 0))
            if vals is not None:
                return vals, ""
            continue
        runs = re.findall(r"\d+(?:\.\d+)?", line)
        if not runs:
            continue
        run = runs[0]
        if n is None or n == 1:
            return [_num(run)], ""
        if "." in run:
            return None, f"无法读取：{run}"
        if ok is None:
            cands = list(_splits(run, n))
        else:
            cands = split_run(run, n, ok)
        if len(cands) == 1:
            return list(cands[0]), ""
        if not cands:
            return None, f"数字串 {run} 无法拆分为 {n} 个合计相符的数"
        return [list(c) for c in cands], AMBIGUOUS + f"：数字串 {run} 有多种拆分方式"
    return None, ""


# ---------------------------------------------------------------------------
# Sections and tables
# ---------------------------------------------------------------------------


def find_sections(norm: str) -> dict[str, int]:
    """Canonical section heading -> position in the normalised text."""
    out: dict[str, int] = {}
    pos = 0
    for name, pat in SECTIONS:
        m = re.compile(pat).search(norm, pos)
        if m is None:
            m = re.compile(pat).search(norm)
        if m:
            out[name] = m.start()
            pos = max(pos, m.end())
    return out


def _window(norm: str, secs: dict[str, int], idx: int) -> str | None:
    name = SECTIONS[idx][0]
    if name not in secs:
        return None
    start = secs[name]
    ends = [p for n2, p in secs.items() if p > start]
    end = min(ends) if ends else len(norm)
    return norm[start:end]


def parse_table3(text: str) -> tuple[dict[str, list[Any]], list[str]]:
    """Table 三 rows (key -> 7 values) from the normalised table text."""
    rows = _locate(text, [(k, p, c) for k, _l, p, c in T3_ROWS])
    out: dict[str, list[Any]] = {}
    notes: list[str] = []
    ambiguous: dict[str, list[list[int]]] = {}
    for i, row in enumerate(rows):
        end = rows[i + 1].start if i + 1 < len(rows) else len(text)
        seg = text[row.end:end]
        if row.key == "partial":
            seg = re.sub(r"^（[^）]*）", "", seg)
        vals, note = _segment_values(seg, 7, _row_total_ok)
        if note.startswith(AMBIGUOUS):
            assert vals is not None
            ambiguous[row.key] = vals
            notes.append(f"表三 {T3_LABELS[row.key]}{note[len(AMBIGUOUS):]}")
        elif vals is not None:
            out[row.key] = vals
        elif note:
            notes.append(f"表三 {T3_LABELS[row.key]}：{note}")
    if ambiguous:
        solved = _resolve_by_columns(out, ambiguous)
        if solved:
            out.update(solved)
            notes = [n + "，已按各列合计确定" if any(T3_LABELS[k] in n for k in solved) else n for n in notes]
    order = [k for k, *_rest in T3_ROWS]
    return {k: out[k] for k in order if k in out}, notes


def _column_sums_ok(t3: dict[str, list[Any]]) -> bool:
    """Every column-wise sum of table 三 that can be checked adds up."""
    rep = AnnualReport(table3=t3)
    return not [i for i in check_arithmetic(rep) if i.rule in ("balance", "result_total")]


def _resolve_by_columns(
    known: dict[str, list[Any]], ambiguous: dict[str, list[list[int]]], limit: int = 5000
) -> dict[str, list[int]] | None:
    """Pick the one combination of ambiguous row splits whose columns add up."""
    import itertools

    keys = list(ambiguous)
    total = 1
    for k in keys:
        total *= len(ambiguous[k])
    if total > limit:
        return None
    good = []
    for combo in itertools.product(*(ambiguous[k] for k in keys)):
        t3 = dict(known)
        t3.update(zip(keys, combo))
        if _column_sums_ok(t3):
            good.append(dict(zip(keys, combo)))
            if len(good) > 1:
                return None
    return good[0] if good else None


def _numeric_tail(line: str) -> list[Any]:
    """The values at the end of a ``|`` line (after any header cells)."""
    cells = line.strip("|").split("|")
    tail: list[Any] = []
    for i in range(len(cells) - 1, -1, -1):
        c = cells[i]
        if _is_num(c) or (_is_blank(c) and c != ""):
            tail.insert(0, _num(c))
        elif c == "" and tail:
            tail.insert(0, None)
        else:
            m = re.search(r"(?<![\d.])(\d+)$", c)
            if m and tail:
                tail.insert(0, int(m.group(1)))
            break
    return tail if any(v is not None for v in tail) else []


def _t4_ok(vals: list[int]) -> bool:
    return all(sum(vals[b:b + 4]) == vals[b + 4] for b in (0, 5, 10))


def parse_table4(text: str) -> tuple[list[Any], list[str]]:
    """Table 四 as 15 values (three blocks of 结果维持 … 总计)."""
    vals: list[Any] = []
    runs: list[str] = []
    for line in text.split("\n"):
        if "|" in line:
            v = _numeric_tail(line)
            if v:
                vals.extend(v)
        else:
            runs.extend(r for r in re.findall(r"\d+", line) if len(r) >= 15)
    if len(vals) >= 15:
        return vals[-15:], []
    if vals:
        return [], [f"表四 只读到 {len(vals)} 个数"]
    if runs:
        cands = split_run(runs[-1], 15, _t4_ok)
        if len(cands) == 1:
            return list(cands[0]), []
        return [], [f"表四 数字串 {runs[-1]} " + ("有多种拆分方式" if cands else "无法拆分为合计相符的 15 个数")]
    return [], []


def _t2_hint(full_norm: str) -> int | None:
    m = re.search(r"制发(?:的)?(?:行政)?规范性文件(\d+)件", full_norm)
    return int(m.group(1)) if m else None


def parse_table2(
    text: str, full_norm: str = "", candidates: dict[str, list[list[int]]] | None = None
) -> tuple[dict[str, list[Any]], str, list[str]]:
    """Table 二 rows (key -> values), the format year (2021/2019) and notes.

    Rows whose concatenated digits split several ways are left out (or keep
    only 本年制发 when the prose states it); their possible readings go to
    ``candidates`` when given.
    """
    anchor = re.search(r"第二十条第（一）项", text)
    start = anchor.end() if anchor else 0
    rows = _locate(text, [(k, "", c) for k, _l, _n, c in T2_ROWS], start)
    nvals = {k: n for k, _l, n, _c in T2_ROWS}
    labels = {k: lab for k, lab, _n, _c in T2_ROWS}
    out: dict[str, list[Any]] = {}
    notes: list[str] = []
    hint = _t2_hint(full_norm or text)
    for i, row in enumerate(rows):
        end = rows[i + 1].start if i + 1 < len(rows) else len(text)
        seg = text[row.end:end]
        n = nvals[row.key]
        if n == 1:
            vals, note = _segment_values(seg, 1, None)
            if vals:
                vals = vals[:1]
        else:
            vals, note = _segment_values(seg, n, lambda v: True)
            if note.startswith(AMBIGUOUS):
                cands = vals or []
                run = note.split("数字串 ")[-1].split(" ")[0]
                vals, note = None, f"数字串 {run} 有多种拆分方式"
                if row.key == "normative" and hint is not None and any(c[0] == hint for c in cands):
                    cands = [c for c in cands if c[0] == hint]
                if candidates is not None and len(cands) > 1:
                    candidates[row.key] = cands
                if len(cands) == 1:
                    vals, note = list(cands[0]), ""
                elif cands and all(c[0] == cands[0][0] for c in cands):
                    vals = [cands[0][0], None, None]
                    note = f"数字串 {run} 中废止件数与现行有效件数无法区分（本年制发{cands[0][0]}件取自正文）"
        if vals is not None:
            out[row.key] = vals
        if note:
            notes.append(f"表二 {labels[row.key]}：{note}")
    fmt = "2021" if "现行有效" in text else ("2019" if out else "")
    return out, fmt, notes


# ---------------------------------------------------------------------------
# Building a report
# ---------------------------------------------------------------------------


def _table_text(rows: list[list[str]]) -> str:
    lines = []
    for r in rows:
        cells = [normalize(c or "").replace("\n", "").replace("|", "") for c in r]
        lines.append("|" + "|".join(cells) + "|")
    return "\n".join(lines)


def _classify_table(rows: list[list[str]]) -> str | None:
    flat = normalize("".join("".join(c or "" for c in r) for r in rows))
    if "本年新收" in flat or "予以公开" in flat:
        return "三"
    if "第二十条" in flat or "本年制发" in flat or "行政许可" in flat:
        return "二"
    if "结果维持" in flat or "尚未审结" in flat:
        return "四"
    return None


def _prose(norm: str, secs: dict[str, int]) -> str:
    """Text outside tables 二–四 (preamble, 一, 五, 六) for similarity."""
    names = [s[0] for s in SECTIONS]
    cut_from = [secs[n] for n in names[1:4] if n in secs]
    cut_to = [secs[n] for n in names[4:] if n in secs]
    if not cut_from:
        return norm
    a = min(cut_from)
    b = min(cut_to) if cut_to else len(norm)
    return norm[:a] + norm[b:] if b > a else norm[:a]


def build_report(
    text: str,
    *,
    tables: list[list[list[str]]] | None = None,
    url: str = "",
    title: str = "",
    published: str | None = None,
    doc_format: str = "text",
    owner: str = "",
) -> AnnualReport:
    """Read one report from its text (and its tables, when known as rows of cells)."""
    norm = normalize(text)
    secs = find_sections(norm)
    rep = AnnualReport(url=url, title=title.strip(), published=published, doc_format=doc_format)
    rep.text = re.sub(r"\s+", " ", text or "").strip()
    rep.sections = [n for n, _p in SECTIONS if n in secs]
    rep.missing_sections = [n for n, _p in SECTIONS if n not in secs]
    rep.prose = _prose(norm, secs)
    if not rep.title:
        m = re.search(r"[^\n。|]{0,40}?(?:19|20)\d\d\s*年度?[^\n。|]{0,20}?信息公开[^\n。|]{0,10}?(?:年度报告|年报)", text or "")
        if m:
            rep.title = re.sub(r"^[#\s]+", "", m.group(0)).strip()
    rep.year = looks_like_report_title(rep.title) if rep.title else None
    if rep.year is None:
        m = re.search(r"统计期限(?:为|从|是)?((?:19|20)\d\d)年1月1日", norm)
        if m:
            rep.year = int(m.group(1))
    rep.owner = owner or report_owner_from_title(rep.title)

    by_type: dict[str, str] = {}
    for t in tables or []:
        kind = _classify_table(t)
        if kind and kind not in by_type:
            by_type[kind] = _table_text(t)
    t2 = by_type.get("二") or _window(norm, secs, 1)
    t3 = by_type.get("三") or _window(norm, secs, 2)
    t4 = by_type.get("四") or _window(norm, secs, 3)
    if t2:
        rep.table2, rep.table2_format, notes = parse_table2(t2, norm, rep.table2_candidates)
        rep.notes += notes
    if t3:
        rep.table3, notes = parse_table3(t3)
        rep.notes += notes
    if t4:
        rep.table4, notes = parse_table4(t4)
        rep.notes += notes
    if rep.table2:
        rep.tables_found.append("二")
    if "new" in rep.table3 and "total" in rep.table3:
        rep.tables_found.append("三")
    if len(rep.table4) == 15:
        rep.tables_found.append("四")
    return rep


def report_from_facts(facts: PageFacts) -> AnnualReport:
    """Read the report held in one stored page (HTML article, PDF or image)."""
    return build_report(
        facts.body_text,
        tables=facts.tables,
        url=facts.url,
        title=facts.title,
        published=facts.published,
        doc_format=facts.doc_format if facts.doc_format in ("html", "pdf", "image") else "html",
    )


# ---------------------------------------------------------------------------
# HTML, plain text and PDF input
# ---------------------------------------------------------------------------

_DATE_RE = re.compile(r"((?:19|20)\d\d)[-/年.](\d{1,2})[-/月.](\d{1,2})")


def _iso(m: re.Match[str]) -> str | None:
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _date_after(text: str, labels: str) -> str | None:
    """The first date right after one of the labels, trying the labels in order."""
    for label in labels.split("|"):
        m = re.search(rf"{label}\s*[:：|]*\s*((?:19|20)\d\d[-/年.]\d{{1,2}}[-/月.]\d{{1,2}})", text)
        if m:
            d = _DATE_RE.search(m.group(1))
            if d:
                return _iso(d)
    return None


def parse_html(html: str, url: str = "") -> AnnualReport:
    """Read a report from an article page's HTML (tables kept as tables).

    The title comes from ArticleTitle meta, a heading or <title>; the date
    from PubDate meta or a visible 发布时间/公开日期/时间 label.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    meta = {}
    for m in soup.find_all("meta"):
        name = m.get("name") or m.get("property")
        if name and m.get("content") is not None and name not in meta:
            meta[str(name)] = str(m.get("content")).strip()
    for s in soup(["script", "style", "noscript"]):
        s.decompose()
    tables: list[list[list[str]]] = []
    for t in soup.find_all("table"):
        if t.find("table"):
            continue
        rows = []
        for tr in t.find_all("tr"):
            cells = [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
            if cells:
                rows.append(cells)
        tables.append(rows)
        t.replace_with(soup.new_string("\n" + _table_text(rows) + "\n"))
    for el in soup.find_all(["p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"]):
        el.append(soup.new_string("\n"))
    body = soup.select_one(".TRS_Editor") or soup.select_one("article") or soup.body or soup
    text = body.get_text("")
    full_text = soup.get_text("")
    candidates = [meta.get("ArticleTitle", "")]
    candidates += [h.get_text(" ", strip=True) for h in soup.find_all(["h1", "h2", "h3"])]
    if soup.title:
        candidates += re.split(r"[-_|]", soup.title.get_text(" ", strip=True))
    flat_full = normalize(full_text)
    m = re.search(r"名称\|([^|\n]+)", flat_full)
    if m:
        candidates.append(m.group(1))
    title = next((c for c in candidates if c and looks_like_report_title(c)), "")
    published = None
    if meta.get("PubDate"):
        d = _DATE_RE.search(meta["PubDate"])
        published = _iso(d) if d else None
    if published is None:
        published = _date_after(flat_full, "发布时间|发布日期|公开日期|成文日期|(?<!采集)时间")
    rep = build_report(text, tables=[], url=url or meta.get("Url", ""), title=title, published=published,
                       doc_format="html")
    if not rep.readable and soup.find("img"):
        rep.doc_format = "image"
    return rep


def parse_text(text: str, *, url: str = "", title: str = "", published: str | None = None) -> AnnualReport:
    """Read a report from plain text (flattened page text, markdown or PDF text).

    A ``标题:``/``发布时间:`` header (archived pages) gives title and date.
    """
    if not title:
        m = re.search(r"^\s*标题\s*[:：]\s*(.+)$", text, re.M)
        if m:
            title = m.group(1).strip()
    header, sep, body = text.partition("==================== 正文 ====================")
    if sep:  # archived page: metadata header, then the body
        if published is None:
            published = _date_after(header, "发布时间|发布日期|公开日期")
        text = body
    if published is None:
        published = _date_after(text[:600], "发布时间|发布日期|公开日期")
        if published is None:
            m = re.search(r"[（(]\s*((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日\s*[)）]", text[:800])
            published = _iso(m) if m else None
    return build_report(text, url=url, title=title, published=published, doc_format="text")


def pdf_facts(body: bytes, url: str) -> PageFacts:
    """PageFacts of a PDF attachment: text and tables (pdfplumber).

    An image-only PDF (no text layer) gives ``doc_format="image"`` and empty
    text: such a report exists but is not machine-readable.
    Raises ValueError when the bytes are not a readable PDF.
    """
    import pdfplumber

    texts: list[str] = []
    tables: list[list[list[str]]] = []
    images = 0
    title = ""
    try:
        with pdfplumber.open(io.BytesIO(body)) as pdf:
            info = pdf.metadata or {}
            title = str(info.get("Title") or "")
            for page in pdf.pages:
                texts.append(page.extract_text() or "")
                images += len(page.images)
                for t in page.extract_tables() or []:
                    tables.append([[("" if c is None else str(c)) for c in row] for row in t])
    except Exception as exc:  # pdfplumber raises many kinds on broken input
        raise ValueError(f"not a readable PDF ({url}): {type(exc).__name__}: {exc}") from exc
    text = "\n".join(texts).strip()
    if not looks_like_report_title(title):
        title = ""
        for line in text.splitlines()[:8]:
            if looks_like_report_title(line):
                title = line.strip()
                break
    facts = PageFacts(url=url, kind="article", title=title, body_text=text, tables=tables, doc_format="pdf")
    if len(re.sub(r"\s+", "", text)) < 20:
        facts.doc_format = "image"
        facts.body_text = ""
        facts.tables = []
    return facts


# ---------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------


def _v(x: Any) -> float:
    return 0 if x is None else x


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def check_arithmetic(rep: AnnualReport) -> list[ArithmeticIssue]:
    """Sums inside one report (table 三 and table 四), per 国办公开办函〔2021〕30号.

    Blank cells count as 0 (Word tables leave 法人 columns empty).
    """
    issues: list[ArithmeticIssue] = []
    t3 = rep.table3
    # 总计 column = sum of the applicant columns, every row
    for key, vals in t3.items():
        if len(vals) < 3 or all(v is None for v in vals):
            continue
        parts = sum(_v(v) for v in vals[:-1])
        if parts != _v(vals[-1]):
            label = T3_LABELS[key]
            issues.append(ArithmeticIssue(
                "row_total", "三", label, "总计", parts, _v(vals[-1]),
                f"表三“{label}”各申请人列之和为{_fmt(parts)}，总计列填报{_fmt(_v(vals[-1]))}"))
    ncol = max((len(v) for v in t3.values()), default=0)
    cols = T3_COLUMNS if ncol == 7 else [f"第{i + 1}列" for i in range(ncol)]

    def col(key: str, c: int) -> float | None:
        vals = t3.get(key)
        if vals is None or len(vals) != ncol:
            return None
        return _v(vals[c])

    # 新收 + 上年结转 = 办理结果总计 + 结转下年度
    for c in range(ncol):
        a, b, t, n = col("new", c), col("carried", c), col("total", c), col("carry_next", c)
        if None in (a, b, t, n):
            continue
        assert a is not None and b is not None and t is not None and n is not None
        if a + b != t + n:
            issues.append(ArithmeticIssue(
                "balance", "三", "一+二=三（七）+四", cols[c], a + b, t + n,
                f"表三{cols[c]}列：新收{_fmt(a)}+上年结转{_fmt(b)}={_fmt(a + b)}，"
                f"而办理结果总计{_fmt(t)}+结转下年度{_fmt(n)}={_fmt(t + n)}"))
    # （七）总计 = sum of the result rows
    for c in range(ncol):
        total = col("total", c)
        if total is None:
            continue
        s = 0.0
        complete = True
        for group, items in T3_RESULT_GROUPS:
            present = [k for k in items if k in t3]
            got = [col(k, c) for k in present]
            if present and (len(present) < len(items) or None in got):
                complete = False  # an item row was not read: the sum cannot be checked
            elif present:
                s += sum(g for g in got if g is not None)
            elif col(group, c) is not None:
                s += col(group, c) or 0  # 2019 format: （六）其他处理 is one row
            elif not items:
                complete = False  # （一）予以公开 or （二）部分公开 not read
        if complete and s != total:
            issues.append(ArithmeticIssue(
                "result_total", "三", "（七）总计", cols[c], s, total,
                f"表三{cols[c]}列：各项办理结果之和为{_fmt(s)}，（七）总计填报{_fmt(total)}"))
    # table 四: 维持 + 纠正 + 其他 + 尚未审结 = 总计
    t4 = rep.table4
    if len(t4) == 15:
        for i, block in enumerate(T4_BLOCKS):
            vals = t4[i * 5:(i + 1) * 5]
            s = sum(_v(v) for v in vals[:4])
            if s != _v(vals[4]):
                issues.append(ArithmeticIssue(
                    "review_total", "四", block, "总计", s, _v(vals[4]),
                    f"表四{block}：维持、纠正、其他、尚未审结之和为{_fmt(s)}，总计填报{_fmt(_v(vals[4]))}"))
    return issues


def cross_year(prev: AnnualReport, cur: AnnualReport) -> list[ArithmeticIssue]:
    """This year's report against last year's.

    * 二、上年结转 (this year) = 四、结转下年度继续办理 (last year), every column;
    * 现行有效件数 (this year) = last year's + 本年制发 − 本年废止 (规章, 规范性文件),
      when both reports use the 2021 table.
    """
    issues: list[ArithmeticIssue] = []
    a, b = prev.table3.get("carry_next"), cur.table3.get("carried")
    if a and b and len(a) == len(b):
        cols = T3_COLUMNS if len(a) == 7 else [f"第{i + 1}列" for i in range(len(a))]
        for c in range(len(a)):
            if _v(a[c]) != _v(b[c]):
                issues.append(ArithmeticIssue(
                    "carried_over", "三", "二、上年结转政府信息公开申请数量", cols[c], _v(a[c]), _v(b[c]),
                    f"{cur.year}年报告上年结转（{cols[c]}）填报{_fmt(_v(b[c]))}，"
                    f"{prev.year}年报告结转下年度为{_fmt(_v(a[c]))}"))
    if prev.table2_format == "2021" and cur.table2_format == "2021":
        for key, label in (("rules", "规章"), ("normative", "行政规范性文件")):
            issue = _valid_count_issue(prev, cur, key, label)
            if issue:
                issues.append(issue)
    return issues


def _t2_readings(rep: AnnualReport, key: str) -> list[list[Any]]:
    """Every reading of a table 二 row: the values, or each candidate split."""
    if key in rep.table2_candidates:
        return rep.table2_candidates[key]
    vals = rep.table2.get(key)
    if vals and len(vals) >= 3 and None not in vals[:3]:
        return [vals]
    return []


def _valid_count_issue(prev: AnnualReport, cur: AnnualReport, key: str, label: str) -> ArithmeticIssue | None:
    """现行有效件数 continuity; with ambiguous readings, only when no reading adds up."""
    ps, qs = _t2_readings(prev, key), _t2_readings(cur, key)
    if not ps or not qs:
        return None
    for p in ps:
        for q in qs:
            if _v(p[2]) + _v(q[0]) - _v(q[1]) == _v(q[2]):
                return None
    if len(ps) == 1 and len(qs) == 1:
        p, q = ps[0], qs[0]
        expected = _v(p[2]) + _v(q[0]) - _v(q[1])
        return ArithmeticIssue(
            "valid_count", "二", label, "现行有效件数", expected, _v(q[2]),
            f"{label}现行有效件数：{prev.year}年{_fmt(_v(p[2]))}+本年制发{_fmt(_v(q[0]))}"
            f"−本年废止{_fmt(_v(q[1]))}={_fmt(expected)}，{cur.year}年报告填报{_fmt(_v(q[2]))}")
    p, q = ps[0], qs[0]
    which = " 和 ".join(f"{r.year}年" for r, rs in ((prev, ps), (cur, qs)) if len(rs) > 1)
    return ArithmeticIssue(
        "valid_count", "二", label, "现行有效件数", _v(p[2]) + _v(q[0]) - _v(q[1]), _v(q[2]),
        f"{label}现行有效件数前后年度不衔接：{which}报告表格数字连写、可有多种读法，"
        f"但任何一种读法下{prev.year}年现行有效件数加{cur.year}年制发、减{cur.year}年废止"
        f"都不等于{cur.year}年现行有效件数")


# ---------------------------------------------------------------------------
# Similarity
# ---------------------------------------------------------------------------


def _shingles(text: str, k: int = 8) -> set[str]:
    t = re.sub(r"\d+(?:\.\d+)?", "#", text)
    t = re.sub(r"[^\w#]", "", t)
    return {t[i:i + k] for i in range(max(0, len(t) - k + 1))}


def text_similarity(cur: str, prev: str) -> float:
    """Share (0–1) of this year's prose found word for word in last year's.

    Numbers are masked (a copied report with new figures still counts as copied).

    >>> text_similarity("我们推进政务公开工作取得成效", "我们推进政务公开工作取得成效")
    1.0
    """
    a, b = _shingles(cur), _shingles(prev)
    if not a:
        return 0.0
    return round(len(a & b) / len(a), 3)


# ---------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------


def due_date(year: int, owner_type: str, *, department: str = "01-31", government: str = "03-31") -> _dt.date:
    """The publication deadline of the report for ``year`` (条例 第四十九条).

    >>> due_date(2024, "department"), due_date(2024, "government")
    (datetime.date(2025, 1, 31), datetime.date(2025, 3, 31))
    """
    mmdd = department if owner_type == "department" else government
    try:
        month, day = (int(x) for x in str(mmdd).split("-"))
        return _dt.date(year + 1, month, day)
    except ValueError as exc:
        raise ValueError(f"bad annual report due date {mmdd!r} (expected MM-DD)") from exc


def expected_years(as_of: _dt.date, owner_type: str, n: int = 3, **due: str) -> list[int]:
    """The last ``n`` report years whose deadline has passed by ``as_of`` (newest first).

    A report is still on time on its due date, so it is expected from the day after.

    >>> expected_years(_dt.date(2026, 4, 1), "government", 2)
    [2025, 2024]
    >>> expected_years(_dt.date(2026, 3, 31), "government", 2)
    [2024, 2023]
    """
    year = as_of.year
    while due_date(year, owner_type, **due) >= as_of:
        year -= 1
    return [year - i for i in range(max(0, int(n)))]
