"""Decode the bytes of an HTML page into text.

Order of evidence: a byte-order mark wins; otherwise every declared charset
(HTTP header, ``<meta charset>``, ``<meta http-equiv>``) plus UTF-8 and
GB18030 is tried with *strict* decoding and the plausible one wins.  A
declared charset that decodes but produces mojibake (a lying header) loses
to one that yields real Chinese text.

>>> decode_body("政府".encode("gbk"), "utf-8")
('政府', 'gb18030')
>>> decode_body(b"\\xef\\xbb\\xbfabc")
('abc', 'utf-8')
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_body", "normalize_charset", "sniff_meta_charset"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_ALIASES = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "gb18030": "gb18030",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode": "utf-16",
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "big5": "big5",
}

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I
)


def normalize_charset(name: str | None) -> str | None:
    """Return a Python codec name for a declared charset, or None when unknown.

    >>> normalize_charset("GB2312"), normalize_charset(" UTF8 "), normalize_charset("bogus")
    ('gb18030', 'utf-8', None)
    """
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def sniff_meta_charset(body: bytes) -> str | None:
    """The charset a ``<meta>`` tag declares in the first 8 KB, normalised."""
    head = body[:8192]
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or b"\x00" in head[:200]:
        # UTF-16 text: look at the ASCII letters only
        head = head.replace(b"\x00", b"")
    m = _META_CHARSET.search(head)
    return normalize_charset(m.group(1).decode("ascii", "ignore")) if m else None


def _common_hanzi(ch: str) -> bool:
    """A GB2312 level-1 character (the 3,755 everyday hanzi)."""
    try:
        lead = ch.encode("gb2312")[0]
    except UnicodeEncodeError:
        return False
    return 0xB0 <= lead <= 0xD7


def _plausibility(text: str, limit: int = 4000) -> float:
    """Score decoded text: everyday hanzi are good, rare hanzi weak, mojibake signs bad.

    GBK bytes read as UTF-8 give combining marks and Latin-1 letters; UTF-8 bytes read as
    GB18030 give rare (level-2) hanzi, so only everyday hanzi count in full.
    """
    good = bad = 0.0
    seen = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            continue
        seen += 1
        if seen > limit:
            break
        if 0x4E00 <= o <= 0x9FFF:
            good += 1 if _common_hanzi(ch) else 0.3
        elif 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2010 <= o <= 0x2027:
            good += 1  # CJK punctuation, fullwidth forms, quotes and dashes
        elif o == 0xFFFD or 0x80 <= o <= 0xFF or 0xE000 <= o <= 0xF8FF or 0x3400 <= o <= 0x4DBF:
            bad += 1
        elif 0x0300 <= o <= 0x036F or 0x0591 <= o <= 0x05C7:
            bad += 1  # combining marks, Hebrew points: UTF-8 read of GBK bytes
        elif 0x2000 <= o <= 0x206F or 0x2100 <= o <= 0x22FF or 0x25A0 <= o <= 0x25FF:
            continue
        else:
            bad += 0.5
    return good - 3 * bad


_ASCII = bytes(range(0x80))


def _short_ambiguous(body: bytes, utf8_text: str, candidates: list[str]) -> tuple[str, str]:
    """A short page valid as UTF-8: keep UTF-8 unless another charset reads clearly better."""
    best = (_plausibility(utf8_text), utf8_text, "utf-8")
    for name in candidates:
        if name == "utf-8":
            continue
        try:
            text = body.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausibility(text)
        if score > best[0] + 1:
            best = (score, text, name)
    return best[1], best[2]


def decode_body(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; return ``(text, charset used)``.  Never raises."""
    if not body:
        return "", normalize_charset(header_charset) or "utf-8"
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, "replace"), name
    candidates: list[str] = []
    wide_ok = b"\x00" in body[:2000]  # UTF-16/32 without a BOM still shows NUL bytes
    for name in (normalize_charset(header_charset), sniff_meta_charset(body), "utf-8", "gb18030"):
        if not name or name in candidates:
            continue
        if name.startswith(("utf-16", "utf-32", "utf_16", "utf_32")) and not wide_ok:
            continue  # Word's charset=unicode on a page saved as 8-bit text
        candidates.append(name)
    head = body[:4000]
    if wide_ok and head.count(b"\x00") * 5 > len(head):
        # UTF-16 without a BOM: ASCII letters leave NUL bytes on the odd (LE) or even (BE) side
        name = "utf-16-le" if head[1::2].count(b"\x00") >= head[0::2].count(b"\x00") else "utf-16-be"
        return body.decode(name, "replace"), name
    try:
        body.decode("ascii")
        return body.decode(candidates[0], "replace"), candidates[0]
    except UnicodeDecodeError:
        pass
    try:
        text = body.decode("utf-8")
        # strict UTF-8 of many non-ASCII bytes is never an accident; a few bytes may be
        # GBK that happens to be valid UTF-8 ('通知' = CD A8 D6 AA = '֪ͨ')
        if len(body.translate(None, _ASCII)) >= 64:
            return text, "utf-8"
        return _short_ambiguous(body, text, candidates)
    except UnicodeDecodeError:
        pass
    for cut in (1, 2, 3):
        try:
            body[:-cut].decode("utf-8")
            return body.decode("utf-8", "replace"), "utf-8"  # valid UTF-8 cut off mid-character
        except UnicodeDecodeError:
            continue
    loose = body.decode("utf-8", "replace")
    bad = loose.count("\ufffd")
    non_ascii = sum(1 for ch in loose[:50000] if ord(ch) > 0x7F)
    if non_ascii >= 500 and bad * 200 <= non_ascii:
        return loose, "utf-8"  # a few stray bytes in a long UTF-8 page
    best: tuple[float, int, str, str] | None = None
    for rank, name in enumerate(candidates):
        if name == "utf-8":
            continue  # already tried
        try:
            text = body.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, rank, name, text)
    if best is not None:
        return best[3], best[2]
    # nothing decodes strictly (truncated or damaged page): the least damaged wins
    scored = []
    for name in candidates:
        try:
            text = body.decode(name, "replace")
        except LookupError:
            continue
        scored.append((_plausibility(text), name, text))
    scored.sort(key=lambda x: -x[0])
    return scored[0][2], scored[0][1]
