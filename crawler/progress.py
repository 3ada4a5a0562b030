"""Crawl progress, one line per site.

On a terminal (``sys.stderr.isatty()``) every running site keeps one live
line at the bottom of the screen, redrawn twice a second::

    示范县教育局      412 pages   1,903 URLs  queue   88  errors  12  304s 390   41.2 URL/s

Under cron (no terminal) the same figures go to the log as one INFO line per
site every ``GOVAUDIT_PROGRESS_INTERVAL`` seconds at most, and once when the
site ends.  ``GOVAUDIT_PROGRESS = False`` turns both off.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class _Screen:
    """The block of live lines shared by every site crawled in this process."""

    lines: ClassVar[dict[int, str]] = {}
    drawn: ClassVar[int] = 0

    @classmethod
    def draw(cls, key: int, line: str, out: TextIO) -> None:
        cls.lines[key] = line
        buf = f"\x1b[{cls.drawn}F" if cls.drawn else ""
        for text in cls.lines.values():
            buf += "\x1b[2K" + text + "\n"
        out.write(buf)
        out.flush()
        cls.drawn = len(cls.lines)


class Progress:
    def __init__(self, crawler: Crawler, *, interval: float, tty: bool, out: TextIO | None = None):
        self.crawler = crawler
        self.interval = interval
        self.tty = tty
        self.out = out or sys.stderr
        self.counts = {"pages": 0, "urls": 0, "errors": 0, "304": 0}
        self.started = time.monotonic()
        self.label = crawler.settings.get("GOVAUDIT_SITE_LABEL") or ""
        self._timer: Any = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "Progress":
        s = crawler.settings
        if not s.getbool("GOVAUDIT_PROGRESS", True):
            raise NotConfigured
        return cls(crawler, interval=s.getfloat("GOVAUDIT_PROGRESS_INTERVAL", 60.0), tty=_is_tty())

    def spider_opened(self, spider: Any = None) -> None:
        from twisted.internet import task

        spider = self.crawler.spider
        if not self.label and spider is not None:
            self.label = getattr(spider, "start_url", spider.name)
        self.started = time.monotonic()
        self._timer = task.LoopingCall(self.report)
        self._timer.start(0.5 if self.tty else max(1.0, self.interval), now=False)

    def item_scraped(self, item: Any, response: Any = None, spider: Any = None) -> None:
        fetch = item.get("fetch") if isinstance(item, dict) else None
        if fetch is None:
            return
        self.counts["urls"] += 1
        if fetch.role == "page":
            self.counts["pages"] += 1
        if fetch.error or (fetch.status or 0) >= 400:
            self.counts["errors"] += 1
        if item.get("revalidated"):
            self.counts["304"] += 1

    def queue_size(self) -> int:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        return max(0, int(stats.get("scheduler/enqueued", 0)) - int(stats.get("scheduler/dequeued", 0)))

    def line(self, final: str = "") -> str:
        c = self.counts
        rate = c["urls"] / max(0.001, time.monotonic() - self.started)
        state = f"  {final}" if final else ""
        return (f"{self.label}  {c['pages']:,} pages  {c['urls']:,} URLs  queue {self.queue_size():,}  "
                f"errors {c['errors']:,}  304s {c['304']:,}  {rate:.1f} URL/s{state}")

    def report(self, final: str = "") -> None:
        if self.tty:
            _Screen.draw(id(self), self.line(final), self.out)
        else:
            logger.info("progress %s", self.line(final))

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.report(final=reason or "done")


def _is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
