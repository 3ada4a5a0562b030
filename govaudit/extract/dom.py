"""Small DOM helpers shared by the extractor modules (lxml trees)."""

from __future__ import annotations

import re
from typing import Callable, Iterator

from lxml import etree

__all__ = [
    "BLOCK_TAGS",
    "SKIP_TAGS",
    "norm",
    "is_el",
    "attr_str",
    "text_of",
    "lines_of",
    "head_text",
]

BLOCK_TAGS = frozenset(
    """p div br tr li h1 h2 h3 h4 h5 h6 table tbody thead tfoot section article aside dl dt dd ul ol
    blockquote pre hr form header footer nav center address figure figcaption main caption title
    ucapcontent publishtime""".split()
)
SKIP_TAGS = frozenset("script style noscript template textarea select option head object".split())

_WS = re.compile(r"[\s\u00a0\u3000\u2002\u2003\u2009\u200b\u200c\u200d\ufeff]+")


def norm(text: str | None) -> str:
    """Collapse every kind of whitespace (nbsp, ideographic, zero-width) to one space.

    >>> norm("  发布\\u3000日期：\\xa02024 ")
    '发布 日期： 2024'
    """
    if not text:
        return ""
    return _WS.sub(" ", text).strip()


def is_el(e: object) -> bool:
    """True for a real element (not a comment or processing instruction)."""
    return isinstance(getattr(e, "tag", None), str)


def attr_str(e: etree._Element) -> str:
    """Lower-case ``class`` + ``id`` of an element, for cheap pattern matching."""
    c = e.get("class")
    i = e.get("id")
    if c is None and i is None:
        return ""
    return f"{c or ''} {i or ''}".lower()


def _walk(
    root: etree._Element, skip: Callable[[etree._Element], bool] | None, mark: etree._Element | None
) -> Iterator[str]:
    """Yield text pieces of ``root`` with '\\n' around block elements (no recursion limit)."""
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        e, closing = stack.pop()
        tag = e.tag if isinstance(e.tag, str) else None
        if closing:
            if tag in BLOCK_TAGS:
                yield "\n"
            elif tag in ("td", "th"):
                yield " \t "
            if e is mark:
                yield "\x02"
            if e is not root and e.tail:
                yield e.tail
            continue
        if tag is None and isinstance(e, etree._Comment) and e.text and "ZJEG_RSS.content." in e.text:
            yield "\x03" if "content.begin" in e.text else "\x04"
        if tag is None or tag.lower() in SKIP_TAGS or (skip is not None and e is not root and skip(e)):
            if e is not root and e.tail:
                yield e.tail
            continue
        if e is mark:
            yield "\x01"
        if tag in BLOCK_TAGS:
            yield "\n"
        if e.text:
            yield e.text
        stack.append((e, True))
        for child in reversed(e):
            stack.append((child, False))


def text_of(e: etree._Element, skip: Callable[[etree._Element], bool] | None = None) -> str:
    """Whitespace-normalised visible text of an element (scripts and styles left out)."""
    return norm("".join(_walk(e, skip, None)).replace("\x03", "").replace("\x04", ""))


def lines_of(
    e: etree._Element,
    skip: Callable[[etree._Element], bool] | None = None,
    mark: etree._Element | None = None,
    only_marked: bool = False,
) -> str:
    """Visible text as lines (one per block), each whitespace-normalised, empty lines dropped.

    When ``mark`` is given, its text is wrapped in '\\x01' ... '\\x02' sentinels.  With
    ``only_marked``, only the text between Hanweb ``ZJEG_RSS.content.begin``/``end`` comments is kept.
    """
    raw = "".join(_walk(e, skip, mark))
    if "\x03" in raw:
        start = raw.index("\x03")
        end = raw.find("\x04", start)
        if only_marked and end > start:
            raw = raw[start + 1: end]  # Hanweb: the text between ZJEG_RSS.content.begin and .end
        raw = raw.replace("\x03", "").replace("\x04", "")
    out = []
    for line in raw.split("\n"):
        line = norm(line)
        if line:
            out.append(line)
    return "\n".join(out)


def head_text(e: etree._Element, limit: int = 12) -> str:
    """The first characters an element shows (its own text, else its first child's)."""
    t = norm(e.text)
    if not t and len(e):
        first = e[0]
        if is_el(first):
            t = norm(first.text)
            if not t and len(first) and is_el(first[0]):
                t = norm(first[0].text)
    return t[:limit]
