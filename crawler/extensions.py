"""Extensions of the govaudit crawler."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import StopDownload

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class HeadersOnly:
    """Stops a download once the headers are in, for requests marked
    ``meta["govaudit_headers_only"]``: a GET that only checks a link (after a
    refused HEAD) never downloads a large attachment."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        crawler.signals.connect(self.headers_received, signal=signals.headers_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "HeadersOnly":
        return cls(crawler)

    def headers_received(self, headers: Any, body_length: int, request: Any, spider: Any = None) -> None:
        if request.meta.get("govaudit_headers_only"):
            raise StopDownload(fail=False)
