"""Downloader and spider middlewares of the govaudit crawler.

Each is small, configured by settings and built with ``from_crawler``.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from .traps import TrapGuard

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

RETRY_STATUSES_DEFAULT = (429, 503, 500, 502, 504, 408, 522, 524)


def parse_retry_after(value: str | bytes | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date).

    >>> parse_retry_after("5")
    5.0
    >>> parse_retry_after(None) is None
    True
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class RetryAfterMiddleware:
    """Retries 429/503 (and other transient statuses) with exponential backoff,
    waiting as long as ``Retry-After`` asks when it asks for at most
    ``GOVAUDIT_RETRY_AFTER_MAX`` seconds.

    Scrapy's own RetryMiddleware keeps retrying network errors (timeouts,
    resets); this one owns the HTTP statuses so no status is retried twice.
    """

    def __init__(self, crawler: Crawler, *, statuses: tuple[int, ...], retry_after_max: float, backoff_base: float):
        self.crawler = crawler
        self.statuses = set(statuses)
        self.retry_after_max = retry_after_max
        self.backoff_base = backoff_base

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RetryAfterMiddleware":
        s = crawler.settings
        if not s.getbool("RETRY_ENABLED"):
            raise NotConfigured
        statuses = tuple(s.getlist("GOVAUDIT_RETRY_HTTP_CODES") or RETRY_STATUSES_DEFAULT)
        return cls(crawler, statuses=tuple(int(x) for x in statuses),
                   retry_after_max=s.getfloat("GOVAUDIT_RETRY_AFTER_MAX", 60),
                   backoff_base=s.getfloat("GOVAUDIT_RETRY_BACKOFF_BASE", 1.0))

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if response.status not in self.statuses or request.meta.get("dont_retry"):
            return response
        attempt = int(request.meta.get("retry_times", 0))
        wait = parse_retry_after(response.headers.get(b"Retry-After"))
        if wait is None:
            wait = self.backoff_base * (2 ** attempt)
        elif wait > self.retry_after_max:
            self.crawler.stats.inc_value("retry_after/too_long")
            logger.info("Not retrying %s: Retry-After %.0fs is over the limit", request.url, wait)
            return response
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"status_{response.status}")
        if retry is None:
            return response
        if wait > 0:
            self.crawler.stats.inc_value("retry_after/waited_seconds", int(wait))
            await asyncio.sleep(wait)
        return retry


class TrapGuardMiddleware(BaseSpiderMiddleware):
    """Drops requests that look like a spider trap (see :class:`crawler.traps.TrapGuard`)."""

    def __init__(self, crawler: Crawler, guard: TrapGuard):
        super().__init__(crawler)
        self.guard = guard
        self._logged = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "TrapGuardMiddleware":
        s = crawler.settings
        guard = TrapGuard(
            max_query_variants=s.getint("GOVAUDIT_TRAP_MAX_QUERY_VARIANTS", 50),
            max_query_length=s.getint("GOVAUDIT_TRAP_MAX_QUERY_LENGTH", 256),
            max_segment_repeat=s.getint("GOVAUDIT_TRAP_MAX_SEGMENT_REPEAT", 3),
            max_path_depth=s.getint("GOVAUDIT_TRAP_MAX_PATH_DEPTH", 16),
        )
        return cls(crawler, guard)

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if request.meta.get("govaudit_role") != "page":
            return request  # check-only targets are single requests; they cannot trap us
        ok, reason = self.guard.admit(request.url, trusted=bool(request.meta.get("govaudit_pagination")))
        if ok:
            return request
        self.crawler.stats.inc_value(f"trap/refused/{reason}")
        spider = self.crawler.spider
        if spider is not None and hasattr(spider, "note_trap"):
            spider.note_trap(request.url, reason)
        if not self._logged:
            logger.info("Refused %s as a likely spider trap (%s); no more trap refusals will be shown",
                        request.url, reason)
            self._logged = True
        return None
