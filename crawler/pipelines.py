"""Item pipelines: the crawler's only way into the store."""

from __future__ import annotations

import datetime as _dt
import logging
import time
from typing import TYPE_CHECKING, Any

from govaudit.models import Fetch, PageFacts
from govaudit.store import Store

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class StorePipeline:
    """Writes fetched URLs, page facts, links and soft-404 probes to SQLite.

    Items are written in small batches (``GOVAUDIT_STORE_BATCH`` items or
    ``GOVAUDIT_STORE_FLUSH_SECONDS``), each batch committed at once, so a crawl
    that is killed keeps what it had collected.  When the spider was not given
    a ``run_id`` (plain ``scrapy crawl govaudit -a url=…``) a run is opened here.
    """

    def __init__(self, crawler: Crawler, db_path: str, batch: int, flush_seconds: float):
        self.crawler = crawler
        self.db_path = db_path
        self.batch = batch
        self.flush_seconds = flush_seconds
        self.store: Store | None = None
        self.run_id: int | None = None
        self.owns_run = False
        self.buffer: list[tuple[Fetch, PageFacts | None]] = []
        self.buffer_revalidated: set[str] = set()
        self.last_flush = time.monotonic()
        self.counts = {"pages": 0, "checked": 0, "bytes": 0, "errors": 0, "requests_304": 0}
        self.before: dict[str, Any] = {}  # stats of the interrupted part of a resumed run
        self.opened = time.monotonic()
        self._timer: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StorePipeline":
        from scrapy import signals

        s = crawler.settings
        pipe = cls(crawler, s.get("GOVAUDIT_DB", "govaudit.db"), s.getint("GOVAUDIT_STORE_BATCH", 50),
                   s.getfloat("GOVAUDIT_STORE_FLUSH_SECONDS", 2.0))
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        return pipe

    def open_spider(self, spider: Any = None) -> None:
        spider = self.crawler.spider
        self.store = Store(self.db_path)
        self.run_id = getattr(spider, "run_id", None)
        if self.run_id is None:
            self.run_id = self.store.new_run(spider.start_url, as_of=_dt.date.today().isoformat(),
                                             settings={"source": "scrapy crawl"})
            spider.run_id = self.run_id
            self.owns_run = True
        if self.crawler.settings.getbool("GOVAUDIT_RESUME"):
            self._load_resumed_counts()
        from twisted.internet import task

        # a crawl waiting on slow answers still commits what it has: a kill loses at most this much
        self._timer = task.LoopingCall(self._tick)
        self._timer.start(max(0.2, self.flush_seconds), now=False)

    def _load_resumed_counts(self) -> None:
        """A resumed run goes on counting from what its interrupted part stored."""
        assert self.store is not None and self.run_id is not None
        self.before = dict(self.store.run(self.run_id).get("stats") or {})
        row = next(iter(self.store.db.execute(
            "select sum(role = 'page'), sum(role != 'page'), coalesce(sum(length), 0), "
            "sum(error is not null or status >= 400), coalesce(sum(revalidated), 0) from pages where run_id = ?",
            [self.run_id]).fetchall()))
        pages, checked, length, errors, revalidated = (int(x or 0) for x in row)
        self.counts.update(pages=pages, checked=checked, errors=errors, requests_304=revalidated)
        self.before.setdefault("bytes_received", length)

    def _tick(self) -> None:
        try:
            self.flush()
            self._snapshot()
        except Exception:  # never let a busy database stop the crawl; the next tick retries
            logger.exception("could not write to the store")

    def _snapshot(self) -> None:
        """Running stats in the store (seen by reports of a killed run and by a resume)."""
        if self.store is not None and self.run_id is not None:
            self.store.update_run_stats(self.run_id, self._stats())

    def _stats(self, reason: str | None = None) -> dict[str, Any]:
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        bytes_now = int(stats.get("downloader/response_bytes", 0))
        return {
            "pages": self.counts["pages"],
            "urls_checked": self.counts["pages"] + self.counts["checked"],
            "bytes_received": bytes_now + int(self.before.get("bytes_received", 0) or 0),
            "requests": int(stats.get("downloader/request_count", 0)) + int(self.before.get("requests", 0) or 0),
            "requests_304": self.counts["requests_304"],
            "errors": self.counts["errors"],
            "seconds": round(time.monotonic() - self.opened + float(self.before.get("seconds", 0) or 0), 2),
            "resumed": bool(self.before) or bool(self.crawler.settings.getbool("GOVAUDIT_RESUME")),
            **({"finish_reason": reason} if reason else {}),
        }

    def process_item(self, item: dict[str, Any], spider: Any = None) -> dict[str, Any]:
        assert self.store is not None and self.run_id is not None
        if item.get("type") == "probe":
            self.store.save_probe(self.run_id, item["host"], item["url"], item["status"], item["final_url"],
                                  item["title"], item["text"])
            return item
        fetch: Fetch = item["fetch"]
        self.counts["pages" if fetch.role == "page" else "checked"] += 1
        self.counts["bytes"] += fetch.length or 0
        if fetch.error or (fetch.status or 0) >= 400:
            self.counts["errors"] += 1
        self.buffer.append((fetch, item.get("facts")))
        if item.get("revalidated"):
            self.buffer_revalidated.add(fetch.url)
            self.counts["requests_304"] += 1
        if len(self.buffer) >= self.batch or time.monotonic() - self.last_flush >= self.flush_seconds:
            self.flush()
        return item

    def flush(self) -> None:
        if self.buffer and self.store is not None and self.run_id is not None:
            self.store.save_fetches(self.run_id, self.buffer, revalidated=self.buffer_revalidated)
            self.buffer = []
            self.buffer_revalidated = set()
        self.last_flush = time.monotonic()

    def close_spider(self, spider: Any = None) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        """Record the run's stats once the crawl has ended (the finish reason is known here)."""
        self.flush()
        if self.store is None or self.run_id is None:
            return
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        stats.setdefault("finish_reason", reason)
        run = self.store.run(self.run_id)
        merged = dict(run.get("stats") or {})
        merged.update(self._stats())
        merged.update({
            "finish_reason": stats.get("finish_reason"),
            "traps_refused": sum(v for k, v in stats.items() if k.startswith("trap/refused/")),
            "head_fallbacks": int(stats.get("govaudit/head_fallback", 0)),
            "page_limit_reached": bool(stats.get("govaudit/page_limit_reached")),
            "pages_read_in_child": int(stats.get("govaudit/pages_read_in_child", 0)),
        })
        spider = self.crawler.spider
        if spider is not None and getattr(spider, "traps", None):
            merged["trap_examples"] = [{"url": u, "reason": r} for u, r in spider.traps[:20]]
        self.store.update_run_stats(self.run_id, merged)
        if self.owns_run:
            reason = stats.get("finish_reason")
            self.store.finish_run(self.run_id, status="finished" if reason == "finished" else "interrupted",
                                  stats=merged)
