"""Dates as Chinese government pages write them.

>>> parse_date("发布时间：2023-11-30  14:52")
datetime.date(2023, 11, 30)
>>> parse_date("[2026年7月15日]"), parse_date("2024.09.30 09:24:36 GMT+08:00")
(datetime.date(2026, 7, 15), datetime.date(2024, 9, 30))
>>> date_from_url("http://x.gov.cn/art/2024/6/19/art_1861_4982441.html")
datetime.date(2024, 6, 19)
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Iterator

__all__ = ["parse_date", "date_from_url", "find_dates", "FoundDate", "MIN_YEAR", "MAX_YEAR"]

MIN_YEAR = 1990
MAX_YEAR = 2100

_SEP = r"[-/.．／－]"
DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20|21)\d{2})\s*(?:"
    r"年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?"
    r"|(?P<s>" + _SEP + r")\s*(?P<m2>\d{1,2})\s*(?P=s)\s*(?P<d2>\d{1,2})(?!\d)"
    r")"
)
TIME_RE = re.compile(r"[\s\u00a0\u3000]*(\d{1,2})\s*[:：∶]\s*(\d{2})(?:\s*[:：∶]\s*(\d{2}))?")


@dataclass(frozen=True)
class FoundDate:
    date: _dt.date
    start: int
    end: int
    raw: str
    has_time: bool = False


def _make(y: str, m: str, d: str) -> _dt.date | None:
    try:
        year, month, day = int(y), int(m), int(d)
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        return _dt.date(year, month, day)
    except (TypeError, ValueError):
        return None


_CN_DIGIT = {
    "〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
CN_DATE_RE = re.compile(
    r"(?P<y>[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*(?P<m>十[一二]?|[一二三四五六七八九])\s*月\s*"
    r"(?P<d>三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])\s*日"
)


def _cn_number(s: str) -> int:
    """'二十三' -> 23, '十' -> 10, '九' -> 9."""
    if "十" not in s:
        return _CN_DIGIT[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def _cn_date(m: re.Match[str]) -> _dt.date | None:
    year = "".join(str(_CN_DIGIT[c]) for c in m.group("y"))
    return _make(year, str(_cn_number(m.group("m"))), str(_cn_number(m.group("d"))))


def find_dates(text: str) -> Iterator[FoundDate]:
    """Every valid date in ``text``, in order, with its span (time included in raw).

    >>> [f.raw for f in find_dates("成文日期：二〇二四年五月二十日，发布 2024-05-21 10∶08")]
    ['二〇二四年五月二十日', '2024-05-21 10∶08']
    """
    found: list[FoundDate] = []
    for m in DATE_RE.finditer(text):
        d = _make(m.group("y"), m.group("m1") or m.group("m2"), m.group("d1") or m.group("d2"))
        if d is None:
            continue
        end = m.end()
        t = TIME_RE.match(text, end)
        if t and int(t.group(1)) < 24 and int(t.group(2)) < 60:
            end = t.end()
        found.append(FoundDate(d, m.start(), end, text[m.start():end], bool(t)))
    if "年" in text and any(c in text for c in "〇零○Ｏ"):
        for m in CN_DATE_RE.finditer(text):
            d = _cn_date(m)
            if d is not None:
                found.append(FoundDate(d, m.start(), m.end(), m.group(0)))
        found.sort(key=lambda f: f.start)
    yield from found


def parse_date(text: str | None) -> _dt.date | None:
    """The first date written in ``text`` (years 1990-2100 only), else None.

    >>> parse_date("2024-10-21 12:51:44_194"), parse_date("1899-01-01"), parse_date("n/a")
    (datetime.date(2024, 10, 21), None, None)
    """
    if not text:
        return None
    for found in find_dates(text):
        return found.date
    return None


_URL_PATTERNS = (
    # TRS: /t20260715_123.html
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+"),
    # Hanweb: /art/2026/7/15/art_..., Ucap /2025/6/3/<hex>.shtml
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
    # gov.cn: /2018-06/22/content_
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
    # Shanghai: /20240511/<hex>.html, and /20240511_xx
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?=[/_])"),
)
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})(\d{2})/")


def date_from_url(url: str | None) -> _dt.date | None:
    """The date a CMS wrote into a URL; a bare ``/YYYYMM/`` folder gives the 1st.

    >>> date_from_url("https://a.gov.cn/zcjd/202201/t20220128_30293.htm")
    datetime.date(2022, 1, 28)
    >>> date_from_url("https://a.gov.cn/xw/202607/abc.html")
    datetime.date(2026, 7, 1)
    """
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url, flags=re.I)
    for pat in _URL_PATTERNS:
        for m in pat.finditer(path):
            d = _make(*m.groups())
            if d:
                return d
    for m in _URL_MONTH.finditer(path):
        d = _make(m.group(1), m.group(2), "1")
        if d:
            return d
    return None
