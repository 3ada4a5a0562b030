"""Conditional requests: an unchanged page is not downloaded again.

The previous *finished* run of the same site (same start URL) in the store
holds each page's ETag and Last-Modified.  Every GET whose URL that run
fetched successfully is sent with ``If-None-Match`` / ``If-Modified-Since``;
nothing is skipped, listings included, so a changed page is always seen.  A
``304 Not Modified`` answer gets the previous run's stored row and facts
(links included) attached as ``request.meta["govaudit_cached"]``; the spider
stores them for this run (marked ``revalidated``) and follows their links as
if it had parsed the page.

Settings: ``GOVAUDIT_CONDITIONAL`` (default True; ``--full`` turns it off).
Stats: ``govaudit/conditional_sent``, ``govaudit/requests_304``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from govaudit.store import Store

logger = logging.getLogger(__name__)


class ConditionalRequestsMiddleware:
    """Downloader middleware sending If-None-Match / If-Modified-Since from the previous run."""

    def __init__(self, crawler: Crawler, db_path: str):
        self.crawler = crawler
        self.db_path = db_path
        self.store: Store | None = None
        self.previous_run: int | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ConditionalRequestsMiddleware":
        s = crawler.settings
        if not s.getbool("GOVAUDIT_CONDITIONAL", True):
            raise NotConfigured
        return cls(crawler, s.get("GOVAUDIT_DB", "govaudit.db"))

    def spider_opened(self, spider: Any = None) -> None:
        from govaudit.store import Store

        spider = self.crawler.spider
        run_id = getattr(spider, "run_id", None)
        if run_id is None:
            return
        self.store = Store(self.db_path)
        prev = self.store.previous_finished_run(int(run_id))
        if prev is not None:
            self.previous_run = int(prev["id"])
            logger.info("conditional requests against run %s of %s", self.previous_run, prev["site"])

    def process_request(self, request: Request, spider: Any = None) -> None:
        if self.previous_run is None or self.store is None or request.method != "GET":
            return None
        url = request.meta.get("govaudit_url")
        if not url or request.meta.get("govaudit_role") == "probe":
            return None
        found = self.store.validators(self.previous_run, url)
        if found is None:
            return None
        final_url, etag, last_modified = found
        if request.url != final_url:  # a redirect: only the last hop carries the validators
            return None
        if etag:
            request.headers[b"If-None-Match"] = etag
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified
        request.meta["govaudit_conditional"] = url
        self.crawler.stats.inc_value("govaudit/conditional_sent")
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        url = request.meta.get("govaudit_conditional")
        if response.status != 304 or not url or self.store is None or self.previous_run is None:
            return response
        cached = self.store.cached_page(self.previous_run, url)
        if cached is not None:
            request.meta["govaudit_cached"] = cached
            self.crawler.stats.inc_value("govaudit/requests_304")
        return response
