"""Work plans (分工方案 / 任务分解表) as structured requirements.

Every year a government issues a 政务公开工作要点 and a 分工方案 that sets its own
rules (解读 within N working days, 年报 by a date …) and names a 牵头/责任单位 per
task.  This module reads such a plan (text, HTML, .docx, or the YAML/JSON that
``govaudit plan import`` writes) into a :class:`Plan`: one :class:`PlanItem` per
numbered task with its clause number as written, text, units, 完成时限, the
checks it maps to and the parameters read from its wording.  Which wording maps
to which check is data: ``govaudit/plan_rules.toml``.

Example::

    >>> plan = parse_plan_text("2024年示范县政务公开工作分工方案\\n"
    ...     "1.做好政府网站日常检查，杜绝错链、断链。（县政府办公室牵头落实）\\n"
    ...     "2.政策解读材料于文件公开后5个工作日内发布。（县司法局牵头落实）\\n")
    >>> [(i.clause, i.units, i.checks) for i in plan.items][0]
    ('1', ['县政府办公室'], ['broken_link'])
    >>> plan.params()
    {'interpretation_working_days': 5}

Shapes understood (see tests/data/plans/): numbered prose with units in
（…牵头落实）; numbered items each followed by a unit paragraph; tables (flattened
to tab-separated rows, one cell per line, or real HTML/.docx tables) whose empty
cells mean "same as above"; prose sections with numbered items and no units.
"""

from __future__ import annotations

import calendar
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from govaudit.errors import UserError

RULES_FILE = Path(__file__).with_name("plan_rules.toml")
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
DATA_SUFFIXES = (".yaml", ".yml", ".json")


class PlanError(UserError):
    """A plan file that cannot be read: the message names the file and the problem."""


# ---------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------


@dataclass
class PlanItem:
    """One task (clause) of a plan."""

    clause: str  # number as written: "31", or "（二）3" when numbering restarts per section
    text: str
    units: list[str] = field(default_factory=list)  # 牵头/责任单位, lead first
    due: str | None = None  # 完成时限 as written
    checks: list[str] = field(default_factory=list)  # automatic checks that verify it
    params: dict[str, Any] = field(default_factory=dict)  # parameters read from its wording
    manual: bool = False  # no automatic check: verify by hand

    def to_dict(self) -> dict[str, Any]:
        return {"clause": self.clause, "text": self.text, "units": list(self.units), "due": self.due,
                "checks": list(self.checks), "params": dict(self.params), "manual": self.manual}

    @classmethod
    def from_dict(cls, d: dict[str, Any], *, source: str = "") -> "PlanItem":
        if not isinstance(d, dict) or "clause" not in d or "text" not in d:
            raise PlanError(f"{source}: each item needs clause and text, got {str(d)[:60]!r}")
        checks = [str(c) for c in d.get("checks") or []]
        manual = d.get("manual")
        return cls(clause=str(d["clause"]), text=str(d["text"]),
                   units=[str(u) for u in d.get("units") or []],
                   due=None if d.get("due") in (None, "") else str(d["due"]),
                   checks=checks, params=dict(d.get("params") or {}),
                   manual=bool(manual) if manual is not None else not checks)


class _YamlDumper(yaml.SafeDumper):
    """Multi-line texts as | blocks, so a reviewer reads them as written."""


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_YamlDumper.add_representer(str, _str_presenter)


@dataclass
class Plan:
    """A 分工方案: its title, issuer, year and tasks."""

    title: str
    issuer: str = ""
    year: int | None = None
    items: list[PlanItem] = field(default_factory=list)
    source: str = field(default="", compare=False)  # the file it was read from

    def params(self) -> dict[str, Any]:
        """Parameters from all items merged; the first item that sets one wins.

        >>> Plan("p", items=[PlanItem("1", "t", params={"a": 1}), PlanItem("2", "u", params={"a": 2, "b": 3})]).params()
        {'a': 1, 'b': 3}
        """
        out: dict[str, Any] = {}
        for it in self.items:
            for k, v in it.params.items():
                out.setdefault(k, v)
        return out

    def items_for_check(self, name: str) -> list[PlanItem]:
        """The tasks an automatic check verifies (their clauses become the finding's 依据)."""
        return [it for it in self.items if name in it.checks]

    def manual_items(self) -> list[PlanItem]:
        """Tasks no automatic check can verify: listed in the 通报 to verify by hand."""
        return [it for it in self.items if it.manual]

    def item(self, clause: str) -> PlanItem:
        """The task with this clause number (KeyError if none)."""
        for it in self.items:
            if it.clause == str(clause):
                return it
        raise KeyError(clause)

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "issuer": self.issuer, "year": self.year,
                "items": [it.to_dict() for it in self.items]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_yaml(self) -> str:
        """YAML for people to review and edit, then pass back with ``--plan``."""
        head = (
            "# 政务公开工作分工方案 — requirements read by `govaudit plan import`.\n"
            "# Review and edit, then audit with: govaudit audit --plan THIS_FILE\n"
            "# Per item: clause (条款号), text, units (牵头/责任单位), due (完成时限),\n"
            "# checks (automatic checks that verify it), params (e.g. interpretation_working_days),\n"
            "# manual (true = no automatic check; listed in the 通报 for checking by hand).\n"
        )
        body = yaml.dump(self.to_dict(), Dumper=_YamlDumper, allow_unicode=True, sort_keys=False, width=100,
                         default_flow_style=False)
        return head + body

    @classmethod
    def from_dict(cls, d: Any, *, source: str = "") -> "Plan":
        if not isinstance(d, dict):
            raise PlanError(f"{source}: a plan must be a mapping with title and items")
        items = d.get("items")
        if not isinstance(items, list) or not items:
            raise PlanError(f"{source}: the plan has no items")
        year = d.get("year")
        try:
            year = int(year) if year not in (None, "") else None
        except (TypeError, ValueError):
            raise PlanError(f"{source}: year must be a number, got {year!r}") from None
        plan = cls(title=str(d.get("title") or ""), issuer=str(d.get("issuer") or ""), year=year,
                   items=[PlanItem.from_dict(x, source=source) for x in items], source=source)
        known = set(load_rules().get("known_checks", []))
        for it in plan.items:
            unknown = [c for c in it.checks if c not in known]
            if unknown:
                raise PlanError(f"{source}: clause {it.clause} names unknown check(s) {', '.join(unknown)}")
        return plan


# ---------------------------------------------------------------------------
# Rules (govaudit/plan_rules.toml)
# ---------------------------------------------------------------------------

_RULES: dict[str, Any] | None = None


def load_rules(path: Path | None = None) -> dict[str, Any]:
    """The rule table mapping wording to checks and parameters (validated)."""
    global _RULES
    if path is None and _RULES is not None:
        return _RULES
    p = path or RULES_FILE
    with p.open("rb") as fh:
        rules = tomllib.load(fh)
    known = set(rules.get("known_checks", []))
    for r in rules.get("rule", []):
        bad = [c for c in r.get("checks", []) if c not in known]
        if bad:
            raise ValueError(f"{p}: rule {r.get('id')} names unknown check(s) {bad}")
        for key in ("pattern",):
            if r.get(key):
                re.compile(r[key])
        for ex in r.get("extract", []):
            re.compile(ex["pattern"])
    if path is None:
        _RULES = rules
    return rules


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}


def cn_number(s: str) -> int | None:
    """An Arabic or Chinese numeral as int.

    >>> [cn_number(x) for x in ("10", "１５", "三", "十", "十五", "二十", "三十一")]
    [10, 15, 3, 10, 15, 20, 31]
    """
    s = s.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    if not s or any(ch not in _CN_DIGITS and ch != "十" for ch in s):
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[s] if len(s) == 1 else None


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。；;！？\n]", text) if s.strip()]


def _extract_sentence(ex: dict[str, Any], sent: str) -> Any:
    """The value one extractor reads from one sentence, or None."""
    if ex.get("sentence_any") and not any(w in sent for w in ex["sentence_any"]):
        return None
    if ex.get("sentence_all") and not all(w in sent for w in ex["sentence_all"]):
        return None
    if ex.get("sentence_none") and any(w in sent for w in ex["sentence_none"]):
        return None
    m = re.search(ex["pattern"], sent)
    if not m:
        return None
    if ex["kind"] == "int":
        return cn_number(m.group(1))
    if ex["kind"] == "month_day":
        mo, day = cn_number(m.group(1)), cn_number(m.group(2))
        return f"{mo:02d}-{day:02d}" if mo and day and 1 <= mo <= 12 and 1 <= day <= 31 else None
    if ex["kind"] == "month_end":
        mo = cn_number(m.group(1))
        return f"{mo:02d}-{calendar.monthrange(2023, mo)[1]:02d}" if mo and 1 <= mo <= 12 else None  # 02-28
    raise ValueError(f"unknown extractor kind {ex['kind']!r}")


def _extract_all(extractors: list[dict[str, Any]], text: str) -> dict[str, Any]:
    """Parameters read by a rule's extractors.  Extractors sharing a ``group`` are alternatives
    for each sentence (the first that matches it wins); the first value of a parameter wins."""
    found: dict[str, Any] = {}
    sentences = _sentences(text)
    groups: dict[str, list[dict[str, Any]]] = {}
    for i, ex in enumerate(extractors):
        groups.setdefault(ex.get("group") or f"#{i}", []).append(ex)
    for alternatives in groups.values():
        for sent in sentences:
            for ex in alternatives:
                val = _extract_sentence(ex, sent)
                if val is not None:
                    found.setdefault(ex["param"], val)
                    break
    return found


def map_text(text: str, rules: dict[str, Any] | None = None) -> tuple[list[str], dict[str, Any]]:
    """The checks a task's wording maps to and the parameters read from it.

    >>> map_text("相关解读材料要于文件公布后3个工作日内主动发布")
    (['missing_interpretation', 'late_interpretation'], {'interpretation_working_days': 3})
    >>> map_text("做好信访工作")
    ([], {})
    """
    rules = rules or load_rules()
    checks: list[str] = []
    params: dict[str, Any] = {}
    for rule in rules.get("rule", []):
        t = text
        for phrase in rule.get("ignore", []):
            t = t.replace(phrase, "　" * len(phrase))
        if rule.get("any") and not any(w in t for w in rule["any"]):
            continue
        if rule.get("pattern") and not re.search(rule["pattern"], t):
            continue
        found = _extract_all(rule.get("extract", []), t)
        if rule.get("require_params") and not found:
            continue
        for c in rule.get("checks", []):
            if c not in checks:
                checks.append(c)
        for k, v in found.items():
            params.setdefault(k, v)
    return checks, params


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------

def _unit_cfg() -> dict[str, Any]:
    return load_rules().get("units", {})


def _is_unit_name(s: str) -> bool:
    cfg = _unit_cfg()
    if not (2 <= len(s) <= 40) or s in cfg.get("stop", []):
        return False
    if re.search(r"[，。；：:,;《》“”\"]", s):
        return False
    core = re.sub(r"[（(][^（()）]*[)）]$", "", s)
    if any(core.endswith(x) for x in cfg.get("not_suffixes", [])):
        return False
    return any(s.endswith(suf) or core.endswith(suf) for suf in cfg.get("suffixes", []))


def split_units(text: str) -> list[str]:
    """Unit names in a unit cell, a unit paragraph or a （…牵头落实） note, lead first.

    >>> split_units("区财政局牵头,会同区民政局、区农业农村局等有关单位以及各镇(街)办理。")
    ['区财政局', '区民政局', '区农业农村局', '各镇(街)']
    >>> split_units("相关各部门、城南办事处分别落实")
    ['相关各部门', '城南办事处']
    """
    cfg = _unit_cfg()
    t = normalize_spaces(text)
    # a parenthesis listing units (牵头单位:区委宣传部、…) is split like the rest; a short one (街) stays
    t = re.sub(r"[（(]([^（()）]*[、:：，,][^（()）]*)[)）]", r"、\1、", t)
    t = re.sub(r"(牵头|责任|配合)(单位|部门)[:：]", "、", t)
    for j in cfg.get("joiners", []):
        t = t.replace(j, "、")
    out: list[str] = []
    for seg in re.split(r"[、，,；;。\n\t/]+", t):
        seg = seg.strip(" 　:：")
        cut = len(seg)
        for w in cfg.get("cut_at", []):
            i = seg.find(w)
            if 0 < i < cut:
                cut = i
        seg = seg[:cut]
        if seg[:1] in "（(" and not re.search(r"[)）]", seg):  # the note's own parenthesis
            seg = seg[1:]
        if seg[-1:] in ")）" and not re.search(r"[（(]", seg):
            seg = seg[:-1]
        for p in cfg.get("strip_prefix", []):
            if seg.startswith(p) and len(seg) > len(p) + 1:
                seg = seg[len(p):]
        if _is_unit_name(seg) and seg not in out:
            out.append(seg)
    return out


_UNIT_ACTION = re.compile(r"(牵头|落实|负责|配合|办理|指导工作|技术支持|巡查通报)")


def is_unit_text(text: str) -> bool:
    """Whether a paragraph or cell only names responsible units (牵头/责任单位)."""
    t = _UNIT_LABEL.sub("", normalize_spaces(text).strip().rstrip("。."), count=1).strip()
    if not t or len(t) > 220 or t.count("。") > 2:
        return False
    units = split_units(t)
    if not units:
        return False
    if sum(len(u) for u in units) < 0.25 * len(t):  # a sentence that mentions a unit, not a unit list
        return False
    if _UNIT_ACTION.search(t):
        first = re.split(r"[、，,；;。\n（(]", t, maxsplit=1)[0]
        return any(first.startswith(u) or u.startswith(first) for u in units) or t.startswith(units[0])
    # a bare list of unit names: every piece is a unit
    pieces = [p.strip() for p in re.split(r"[、，,；;\n]+", t) if p.strip()]
    return all(_is_unit_name(p) for p in pieces)


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》"


def normalize_spaces(s: str) -> str:
    """Drop spaces next to Chinese characters (PDF copies break words: 财 政局 → 财政局)."""
    s = s.replace("\u00a0", " ").replace("\u3000", " ")
    return re.sub(rf"(?<=[{_CJK}0-9]) +(?=[{_CJK}])|(?<=[{_CJK}]) +(?=[{_CJK}0-9])", "", s)


_TOP = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.*)$")
_SUB = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]{1,3})\s*[)）]\s*(.*)$")
_UNIT_NOTE = re.compile(r"[（(]([^（()）]*(?:[（(][^（()）]{1,2}[)）][^（()）]*)*(?:牵头|落实|负责|办理|配合|责任单位|责任部门)"
                        r"[^（()）]*)[)）]\s*[。.]?\s*$")
_UNIT_LABEL = re.compile(r"(?:牵头|责任|配合|主办|协办)(?:单位|部门)\s*[:：]")


def _unit_tail(text: str) -> tuple[str, list[str]]:
    """Split units named at the end of a task: （…牵头落实） or 责任单位：… ; returns (text, units)."""
    m = _UNIT_NOTE.search(text)
    if m and split_units(m.group(1)):
        return text[: m.start()].rstrip(), split_units(m.group(1))
    m = _UNIT_LABEL.search(text)
    if m and len(text) - m.start() <= 150:
        units = split_units(text[m.start():])
        if units:
            return text[: m.start()].rstrip(" 　（(；;，,"), units
    return text, []


# 完成时限 written in a task: 2021年底前, 11月底前, 3月31日前
_DUE = re.compile(r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*(?:底|中旬|上旬|下旬|末)?\s*前(?:完成)?"
                  r"|\d{4}\s*年\s*(?:底|末)\s*前?(?:完成)?|年底前")


def _numbered(line: str) -> tuple[int, str] | None:
    m = re.match(r"^\s*(\d{1,3})\s*[、．.]\s*(.+)$", line)
    if not m:
        return None
    rest = m.group(2)
    if re.match(r"^\d", rest) and not re.match(r"^\d{4}\s*年", rest):  # 1.5 is a number, not a task
        return None
    return int(m.group(1)), rest.strip()


def _due_in_text(text: str) -> str | None:
    m = _DUE.search(text)
    return re.sub(r"\s+", "", m.group(0)) if m else None


# ---------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------


def _decode(data: bytes, source: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise PlanError(f"{source}: not readable as UTF-8 or GB18030 text")


def _cell_text(strings: list[str]) -> str:
    strings = [normalize_spaces(s.strip()) for s in strings if s.strip()]
    if len(strings) > 1 and all(len(s) <= 30 for s in strings):
        return "、".join(s.rstrip("、，,") for s in strings)
    return "".join(strings)


def html_to_text(html: str) -> str:
    """Page text with one block per line; tables become tab-separated rows."""
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    for table in reversed(soup.find_all("table")):
        rows = []
        for tr in table.find_all("tr"):
            cells = [_cell_text(list(td.stripped_strings)) for td in tr.find_all(["td", "th"], recursive=False)]
            if any(cells):
                rows.append("\t".join(c.replace("\t", " ") for c in cells))
        table.replace_with(NavigableString("\n" + "\n".join(rows) + "\n"))
    for br in soup.find_all("br"):
        br.replace_with(NavigableString("\n"))
    blocks = ["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tr", "dd", "dt",
              "title", "blockquote", "pre"]
    for tag in soup.find_all(blocks):
        tag.insert_after(NavigableString("\n"))
        tag.insert_before(NavigableString("\n"))
    text = soup.get_text()
    lines = [ln if "\t" in ln else ln.strip() for ln in text.splitlines()]
    return "\n".join(lines)


def cn_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 31 → 三十一 (the numbering of （一） 一、 headings).

    >>> [cn_numeral(n) for n in (1, 10, 12, 20, 31)]
    ['一', '十', '十二', '二十', '三十一']
    """
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


class _WordNumbering:
    """Word's automatic list numbers (1. （一） …), which are not part of a paragraph's text."""

    def __init__(self, doc: Any) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> (numFmt, lvlText, start)
        self.counters: dict[str, list[int]] = {}
        try:
            root = doc.part.numbering_part.element
        except Exception:  # no numbering part: nothing is auto-numbered
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            absn = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            if absn is None:
                continue
            for lvl in absn.findall(qn("w:lvl")):
                fmt, text, start = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText")), lvl.find(qn("w:start"))
                self.levels[(num.get(qn("w:numId")), int(lvl.get(qn("w:ilvl"))))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1)

    def _num_pr(self, para: Any) -> Any:
        ppr = para._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        style = para.style
        while style is not None:
            sppr = style.element.pPr
            if sppr is not None and sppr.numPr is not None:
                return sppr.numPr
            style = style.base_style
        return None

    def label(self, para: Any) -> str:
        """The number Word shows before this paragraph ("" when none)."""
        num_pr = self._num_pr(para)
        if num_pr is None or num_pr.numId is None:
            return ""
        num_id = str(num_pr.numId.val)
        ilvl = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        if (num_id, ilvl) not in self.levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        start = self.levels[(num_id, ilvl)][2]
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        fmt, text, _ = self.levels[(num_id, ilvl)]
        if fmt in ("bullet", "none"):
            return ""
        for k in range(ilvl + 1):
            kfmt = self.levels.get((num_id, k), ("decimal", "", 1))[0]
            n = counts[k] or self.levels.get((num_id, k), ("", "", 1))[2]
            shown = cn_numeral(n) if kfmt.startswith(("chinese", "ideograph", "taiwanese")) and n < 100 else str(n)
            text = text.replace(f"%{k + 1}", shown)
        return text


def docx_to_text(path: Path) -> str:
    """Paragraphs and tables of a .docx in document order; tables as tab-separated rows."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = docx.Document(str(path))
    except Exception as exc:  # BadZipFile, PackageNotFoundError, KeyError, lxml errors …
        raise PlanError(f"{path}: not a readable .docx ({type(exc).__name__}: {exc})") from None
    numbering = _WordNumbering(doc)
    out: list[str] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, doc)
            out.append(numbering.label(para) + para.text)
        elif tag == "tbl":
            table = Table(child, doc)
            for row in table.rows:
                cells: list[str] = []
                seen: list[Any] = []
                for cell in row.cells:
                    if any(cell._tc is s for s in seen):  # a horizontally merged cell repeats
                        continue
                    seen.append(cell._tc)
                    cells.append(_cell_text([p.text for p in cell.paragraphs]))
                out.append("\t".join(c.replace("\t", " ") for c in cells))
    return "\n".join(out)


def read_plan_text(path: Path) -> str:
    """The text of a plan file (.txt, .html/.htm, .docx)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return docx_to_text(path)
    if suffix == ".doc":
        raise PlanError(f"{path}: old Word .doc files are not supported; save it as .docx or .txt")
    data = path.read_bytes()
    text = _decode(data, str(path))
    looks_html = re.search(r"<(html|body|p|table|div)\b", text[:2000], re.I)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_html):
        return html_to_text(text)
    return text


def _check_file(path: Path) -> None:
    if not path.exists():
        raise PlanError(f"{path}: plan file not found")
    if path.is_dir():
        raise PlanError(f"{path}: is a directory, not a plan file")
    if path.stat().st_size == 0:
        raise PlanError(f"{path}: plan file is empty")


def import_plan(path: str | Path) -> Plan:
    """Read a plan as text, HTML or .docx into structured requirements."""
    p = Path(path)
    _check_file(p)
    if p.suffix.lower() in DATA_SUFFIXES:
        return load_plan(p)
    text = read_plan_text(p)
    if not text.strip():
        raise PlanError(f"{p}: plan file is empty (no text)")
    return parse_plan_text(text, source=str(p))


def load_plan(path: str | Path) -> Plan:
    """A plan from .txt/.html/.htm/.docx (imported) or .yaml/.yml/.json (as written by ``plan import``)."""
    p = Path(path)
    _check_file(p)
    if p.suffix.lower() not in DATA_SUFFIXES:
        return import_plan(p)
    text = _decode(p.read_bytes(), str(p))
    if not text.strip():
        raise PlanError(f"{p}: plan file is empty")
    try:
        data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise PlanError(f"{p}: bad JSON at line {exc.lineno}: {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PlanError(f"{p}: bad YAML{where}: {problem}") from None
    return Plan.from_dict(data, source=str(p))


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


@dataclass
class _Draft:
    number: str
    text: str = ""
    topics: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    due: str | None = None
    section: str = ""  # （二）
    top: str = ""  # 四
    closed: bool = False
    pending: bool = False  # table row whose 具体要求 is in a later (shifted) row
    block: int = 0
    generated: bool = False  # no number in the plan: counted per section


_HEADER_WORDS = ("序号", "工作任务", "具体要求", "牵头", "责任单位", "责任部门", "完成时限", "时限", "工作内容",
                 "任务内容", "重点任务", "主要内容", "配合单位", "任务", "完成时间", "备注")


def _is_header_cell(c: str) -> bool:
    c = c.strip()
    return bool(c) and len(c) <= 12 and any(w in c for w in _HEADER_WORDS) and not re.search(r"[，。]", c)


def _is_header_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return len(filled) >= 3 and sum(_is_header_cell(c) for c in filled) >= max(2, len(filled) - 1)


def _cell_lines_to_rows(lines: list[str], start: int) -> list[list[str]]:
    """A table flattened one cell per line (each cell line starts with a tab; a blank line
    followed by a cell line starts the next row) back into rows of cells."""
    rows: list[list[str]] = []
    cur: list[str] | None = None
    blank = True
    for ln in lines[start:]:
        if not ln.strip() and not ln.startswith("\t"):
            blank = True
            continue
        if ln.startswith("\t"):
            if blank or cur is None:
                cur = []
                rows.append(cur)
            cur.append(ln.strip())
        elif cur is not None:
            cur[-1] = (cur[-1] + "\n" + ln.strip()) if cur else ln.strip()
        blank = False
    return rows


_DUE_CELL = re.compile(r"全年|年底|月底|中旬|上旬|下旬|日内|日前|前完成|底前|每月|每季度|每年|按月|按季|按年|季度|月度|年内|"
                       r"长期|持续|常态|\d{4}\s*年|\d{1,2}\s*月|周内|之前|以前|前$")


_DUE_EXPLICIT = re.compile(r"\d{1,2}\s*月|年底|底前|前完成|日内完成|之前|以前")


def _classify(cell: str) -> str:
    c = cell.strip()
    if not c:
        return "empty"
    if _SUB.match(c) and len(c) < 50 and "。" not in c.rstrip("。"):
        return "section"
    if is_unit_text(c):
        return "units"
    if "。" not in c and "，" not in c.rstrip("，") and (
            (len(c) <= 20 and _DUE_CELL.search(c)) or (len(c) <= 40 and _DUE_EXPLICIT.search(c))):
        return "due"
    if len(c) >= 20 or re.search(r"[，。；]", c):
        return "text"
    return "short"


def _table_items(rows: list[list[str]]) -> list[_Draft]:
    """Items from table rows; a cell's meaning is read from its content (cells shift)."""
    has_number = any(r and re.fullmatch(r"\d{1,3}", r[0].strip()) for r in rows)
    drafts: list[_Draft] = []
    section = top = ""
    block = 0
    seq_in_section: dict[str, int] = {}
    for cells in rows:
        cells = [normalize_spaces(c).strip() for c in cells]
        if _is_header_row(cells):
            block += 1
            continue
        filled = [c for c in cells if c]
        if not filled:
            continue
        if len(filled) == 1 and _TOP.match(filled[0]) and len(filled[0]) < 60:
            top = _TOP.match(filled[0]).group(1)
            continue
        number = cells[0] if cells and re.fullmatch(r"\d{1,3}", cells[0]) else ""
        body = cells[1:] if number else cells
        kinds = [(_classify(c), i, c) for i, c in enumerate(body, start=1 if number else 0)]
        units: list[str] = []
        due = None
        texts: list[tuple[int, str]] = []
        shorts: list[tuple[int, str]] = []
        for kind, i, c in kinds:
            if kind == "section":
                section = f"（{_SUB.match(c).group(1)}）"
                shorts.append((i, c))
                continue
            if kind == "units":
                units += [u for u in split_units(c) if u not in units]
            elif kind == "due" and due is None:
                due = re.sub(r"\s+", "", c)
            elif kind == "text":
                texts.append((i, c))
            elif kind == "short":
                shorts.append((i, c))
        # a short cell far right is the 具体要求, not a 工作任务 heading
        for i, c in list(shorts):
            if i >= 3 and not _SUB.match(c) and sum(c == o for _, o in shorts) == 1:
                texts.append((i, c))
                shorts.remove((i, c))
        text = max(texts, key=lambda t: len(t[1]))[1] if texts else ""
        topics = [c for _, c in shorts]
        if number or not has_number:
            if not text and not topics and not units and not due:
                continue
            generated = False
            if not has_number:
                if not text:
                    continue
                written = _numbered(text)
                if written:  # the 具体要求 cell carries its own number: 31.对政府网站…
                    number, text = str(written[0]), written[1]
                else:
                    seq_in_section[section] = seq_in_section.get(section, 0) + 1
                    number, generated = str(seq_in_section[section]), True
            drafts.append(_Draft(number=number, text=text, topics=topics, units=units, due=due, section=section,
                                 top=top, pending=not text, block=block, generated=generated))
            continue
        # a row without a number: the 具体要求 of an earlier row (cells shifted down), or more of the last one
        if not drafts:
            continue
        target = next((d for d in drafts if d.pending and d.block == block), None)
        if target is not None and text:
            target.text, target.pending = text, False
        else:
            target = drafts[-1]
            if text:
                target.text = (target.text + "\n" + text) if target.text else text
        if units and not target.units:
            target.units = units
        if due and not target.due:
            target.due = due
    for d in drafts:
        if not d.text:
            d.text = d.topics[-1] if d.topics else ""
    # empty cell = same as above
    prev: _Draft | None = None
    for d in drafts:
        if prev is not None:
            if not d.units:
                d.units = list(prev.units)
            if not d.due:
                d.due = prev.due
        prev = d
    for d in drafts:
        if d.generated and d.section:
            d.number = f"{d.section}{d.number}"
    return [d for d in drafts if d.text]


def _prose_items(paras: list[str]) -> list[_Draft]:
    """Numbered tasks (1、 1. 1．) in prose, with units in a （…落实） note or the next paragraph."""
    drafts: list[_Draft] = []
    top = section = ""
    last = 0
    cur: _Draft | None = None
    for p in paras:
        m_top, m_sub = _TOP.match(p), _SUB.match(p)
        num = _numbered(p)
        if num and (num[0] == last + 1 or num[0] == 1 or not drafts):  # an excerpt may start at 31.
            last = num[0]
            text, units = _unit_tail(num[1])
            cur = _Draft(number=str(num[0]), text=text, units=units, section=section, top=top,
                         closed=bool(units), due=_due_in_text(text))
            drafts.append(cur)
            continue
        if m_top and len(p) < 80:
            top, section, cur = m_top.group(1), "", None
            continue
        if m_sub:
            section, cur = f"（{m_sub.group(1)}）", None
            continue
        if cur is None or cur.closed:
            continue
        if not cur.units and is_unit_text(p):
            cur.units = split_units(p)
            cur.closed = True
        elif len(p) >= 8 and re.search(r"[，。；]", p) and not _UNIT_NOTE.search(p) and not _UNIT_LABEL.search(p):
            cur.text += "\n" + p
        else:
            text, units = _unit_tail(p)
            if units:
                if text:
                    cur.text += "\n" + text
                cur.units, cur.closed = units, True
    # a unit paragraph missing after a task (merged table cell): same as the task above
    paragraph_units = sum(1 for d in drafts if d.units) >= max(2, len(drafts) // 2)
    if paragraph_units:
        for prev, d in zip(drafts, drafts[1:]):
            if not d.units and prev.section == d.section:
                d.units = list(prev.units)
    return drafts


def _section_items(paras: list[str]) -> list[_Draft]:
    """Fallback: sections （一）… with their text inline, when no task is numbered 1. 2. …"""
    drafts: list[_Draft] = []
    top = ""
    for p in paras:
        m_top, m_sub = _TOP.match(p), _SUB.match(p)
        if m_top and len(p) < 80:
            top = m_top.group(1)
        elif m_sub and len(m_sub.group(2)) >= 20 and "。" in m_sub.group(2):
            text, units = _unit_tail(m_sub.group(2))
            drafts.append(_Draft(number=f"（{m_sub.group(1)}）", text=text, units=units, top=top,
                                 due=_due_in_text(text)))
    return drafts


def _unique_clauses(drafts: list[_Draft]) -> list[str]:
    """Clause numbers as written; prefixed with the section (（二）3) when numbering restarts."""
    plain = [d.number for d in drafts]
    if len(set(plain)) == len(plain):
        return plain
    with_section = [d.number if d.number.startswith("（") else f"{d.section}{d.number}" for d in drafts]
    if len(set(with_section)) == len(with_section):
        return with_section
    return [f"{d.top}{c}" if d.top else c for d, c in zip(drafts, with_section)]


def _find_table(lines: list[str]) -> list[list[str]] | None:
    for i, ln in enumerate(lines):
        if "\t" in ln.strip("\t") and _is_header_row(ln.split("\t")):
            return [ln.split("\t") for ln in lines[i:] if "\t" in ln or not ln.strip()]
    # one cell per line: \t工作任务 / \t牵头部门 / \t责任单位 …
    for i in range(len(lines) - 2):
        window = [ln for ln in lines[i:i + 6] if ln.strip()]
        heads = [ln for ln in window if ln.startswith("\t") and _is_header_cell(ln)]
        if lines[i].startswith("\t") and _is_header_cell(lines[i]) and len(heads) >= 3:
            return _cell_lines_to_rows(lines, i)
    return None


_TITLE_WORDS = ("分工方案", "实施方案", "任务分解表", "工作要点", "任务分工", "工作方案", "分解表")


def _title(lines: list[str], source: str) -> str:
    cands = [normalize_spaces(ln).strip() for ln in lines[:200]]
    for i, ln in enumerate(cands):
        if (ln and len(ln) <= 50 and any(w in ln for w in _TITLE_WORDS) and "通知" not in ln
                and not re.search(r"[《》，。：:]", ln) and not re.match(r"^(关于|附件|根据|按照|为|现将)", ln)):
            prev = next((c for c in reversed(cands[:i]) if c), "")
            if prev and len(prev) <= 20 and prev.endswith("年") and not re.search(r"[，。]", prev):
                return prev + ln
            return ln
    return Path(source).stem if source else "政务公开工作方案"


def _issuer(lines: list[str], title: str) -> str:
    head = [normalize_spaces(ln).strip() for ln in lines[:120] if ln.strip()]
    for ln in head:
        m = re.match(r"^(?:来源[:：])?\s*(\S{2,30}?)(?:关于印发|关于)", ln)
        if m and not re.search(r"[《》，。]", m.group(1)) and re.search(r"(政府|办公室|管委会|委员会|厅|局)$", m.group(1)):
            return m.group(1)
    for ln in head:
        if len(ln) <= 24 and re.search(r"(人民政府办公室|人民政府|管委会办公室|管委会|办公室)$", ln) and not re.search(r"[，。、]", ln):
            return ln
    m = re.match(r"^(\S{2,20}?)\d{4}\s*年", title)
    return m.group(1) if m else ""


def _year(title: str, text: str) -> int | None:
    m = re.search(r"(20\d{2})\s*年", title)
    if m:
        return int(m.group(1))
    years = [int(y) for y in re.findall(r"(20\d{2})\s*年", text[:3000])]
    return max(years) if years else None


def parse_plan_text(text: str, *, source: str = "") -> Plan:
    """Parse the text of a plan into a :class:`Plan` (see the module docstring)."""
    name = source or "<text>"
    if not text or not text.strip():
        raise PlanError(f"{name}: plan is empty")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    rows = _find_table(lines)
    table = _table_items(rows) if rows else []
    paras = [normalize_spaces(ln).strip() for ln in lines if ln.strip() and "\t" not in ln.strip()]
    prose = _prose_items(paras)
    drafts = table if len(table) >= len(prose) else prose  # a small table (contacts …) in a prose plan
    if not drafts:
        drafts = _section_items(paras)
    if not drafts:
        raise PlanError(f"{name}: no numbered tasks found (expected items such as 1. / 1、 / a task table)")
    rules = load_rules()
    items: list[PlanItem] = []
    for d, clause in zip(drafts, _unique_clauses(drafts)):
        checks, params = map_text(d.text, rules)
        items.append(PlanItem(clause=clause, text=d.text.strip(), units=d.units, due=d.due, checks=checks,
                              params=params, manual=not checks))
    title = _title(lines, source)
    return Plan(title=title, issuer=_issuer(lines, title), year=_year(title, text), items=items, source=source)


def summary(plan: Plan) -> str:
    """A human summary: one line per task."""
    auto = sum(1 for it in plan.items if not it.manual)
    out = [f"{plan.title} ({plan.issuer or '发文机关未识别'}, {plan.year or '年份未识别'}): "
           f"{len(plan.items)} tasks, {auto} checked automatically, {len(plan.items) - auto} to verify by hand"]
    params = plan.params()
    if params:
        out.append("parameters: " + ", ".join(f"{k}={v}" for k, v in params.items()))
    for it in plan.items:
        what = ", ".join(it.checks) if it.checks else "manual"
        text = it.text.replace("\n", " ")
        out.append(f"  {it.clause:>6}  [{what}]  {text[:40]}{'…' if len(text) > 40 else ''}"
                   f"  — {'、'.join(it.units) or '(no unit)'}{'  ' + it.due if it.due else ''}")
    return "\n".join(out)


__all__ = ["Plan", "PlanItem", "PlanError", "import_plan", "load_plan", "parse_plan_text", "map_text",
           "split_units", "load_rules", "summary"]

