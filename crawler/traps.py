"""Spider-trap protection: decide whether a URL is worth requesting.

Pure and stateful-per-crawl, so it can be tested without Scrapy::

    >>> g = TrapGuard(max_query_variants=2)
    >>> g.admit("http://a.gov.cn/cal?d=1"), g.admit("http://a.gov.cn/cal?d=2"), g.admit("http://a.gov.cn/cal?d=3")
    ((True, ''), (True, ''), (False, 'query_variants'))
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SESSION_PARAMS = {"jsessionid", "phpsessid", "sid", "sessionid", "aspsessionid", "session_id", "_t", "timestamp"}
_JSESSION = re.compile(r";jsessionid=[^?#/]*", re.I)


def canonical_url(url: str) -> str:
    """Drop fragments and session ids so the same page is not crawled twice."""
    url = _JSESSION.sub("", url)
    parts = urlsplit(url)
    if parts.query:
        q = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in SESSION_PARAMS]
        query = urlencode(q, doseq=True, safe="/:,")
    else:
        query = ""
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


class TrapGuard:
    """Counts URLs per path and refuses the ones that look like a trap.

    Refused: query strings longer than ``max_query_length``; more than
    ``max_query_variants`` distinct query strings on one path (calendars,
    endlessly growing parameters); a path segment repeated
    ``max_segment_repeat`` times (relative-link loops such as /a/b/a/b/a/b);
    paths deeper than ``max_path_depth``.  Pagination announced by a listing
    page is admitted with ``trusted=True``.
    """

    def __init__(self, *, max_query_variants: int = 50, max_query_length: int = 256, max_segment_repeat: int = 3,
                 max_path_depth: int = 16):
        self.max_query_variants = max_query_variants
        self.max_query_length = max_query_length
        self.max_segment_repeat = max_segment_repeat
        self.max_path_depth = max_path_depth
        self._variants: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()

    def admit(self, url: str, *, trusted: bool = False) -> tuple[bool, str]:
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        reason = ""
        if len(parts.query) > self.max_query_length:
            reason = "query_length"
        elif len(segments) > self.max_path_depth:
            reason = "path_depth"
        elif segments and max(Counter(segments).values()) >= self.max_segment_repeat:
            reason = "segment_repeat"
        elif parts.query and not trusted:
            key = f"{parts.netloc}{parts.path}"
            self._variants[key] += 1
            if self._variants[key] > self.max_query_variants:
                reason = "query_variants"
        if reason:
            self.refused[reason] += 1
            return False, reason
        return True, ""
