"""Run the Scrapy crawl of one site (or several) into the store.

The crawl runs in this process (Twisted's reactor can start once per process),
so the CLI calls :func:`run_crawls` once per command.

Example::

    from govaudit.crawl import CrawlOptions, run_crawls
    from govaudit.store import Store
    store = Store("site.db")
    run_id = store.new_run("http://127.0.0.1:8000/xxgk/", as_of="2026-11-22")
    run_crawls([("http://127.0.0.1:8000/xxgk/", run_id)], "site.db", CrawlOptions(delay=0))
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


@dataclass
class CrawlOptions:
    per_host_concurrency: int = 2
    delay: float = 0.5
    timeout: float = 20.0
    max_pages: int = 5000
    max_depth: int = 12
    max_urls: int = 50000
    obey_robots: bool = True
    check_external: bool = True
    hosts: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    exclude: str = ""
    retries: int = 2
    user_agent: str | None = None
    log_level: str = "WARNING"
    log_file: str | None = None
    extra_settings: dict[str, Any] = field(default_factory=dict)
    conditional: bool = True  # If-None-Match / If-Modified-Since from the site's previous finished run
    read_processes: int | None = None  # processes reading pages beside the crawl; None: by the machine's cores

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def scrapy_settings(self, db_path: str) -> Settings:
        s = Settings()
        s.setmodule("crawler.settings", priority="project")
        over: dict[str, Any] = {
            "GOVAUDIT_DB": db_path,
            "CONCURRENT_REQUESTS_PER_DOMAIN": max(1, self.per_host_concurrency),
            "CONCURRENT_REQUESTS": max(16, self.per_host_concurrency * 4),
            "DOWNLOAD_DELAY": max(0.0, self.delay),
            "AUTOTHROTTLE_ENABLED": self.delay > 0,
            "AUTOTHROTTLE_START_DELAY": max(self.delay, 0.1),
            "AUTOTHROTTLE_TARGET_CONCURRENCY": float(max(1, self.per_host_concurrency)),
            "DOWNLOAD_TIMEOUT": self.timeout,
            "GOVAUDIT_MAX_PAGES": self.max_pages,
            "DEPTH_LIMIT": self.max_depth,
            "GOVAUDIT_MAX_URLS": self.max_urls,
            "ROBOTSTXT_OBEY": self.obey_robots,
            "GOVAUDIT_CHECK_EXTERNAL": self.check_external,
            "RETRY_TIMES": self.retries,
            "LOG_LEVEL": self.log_level,
            "GOVAUDIT_CONDITIONAL": self.conditional,
        }
        if self.read_processes is not None:
            over["GOVAUDIT_EXTRACT_PROCESSES"] = max(0, self.read_processes)
        if self.delay <= 0:
            over["DOWNLOAD_DELAY_JITTER"] = 0
        if self.user_agent:
            over["USER_AGENT"] = self.user_agent
        if self.log_file:
            over["LOG_FILE"] = self.log_file
        over.update(self.extra_settings)
        s.setdict(over, priority="cmdline")
        return s


def run_crawls(sites: list[tuple[str, int]], db_path: str, options: CrawlOptions,
               per_site: dict[int, CrawlOptions] | None = None, max_parallel: int | None = None) -> dict[int, str]:
    """Crawl each (start_url, run_id) into ``db_path``; several sites run in parallel.

    At most ``max_parallel`` sites are crawled at once (default: all); the next
    site starts when one ends.  Returns {run_id: finish_reason}.  Blocks until
    every crawl has ended.
    """
    from scrapy.crawler import Crawler

    from crawler.spiders.govaudit_spider import GovauditSpider

    # The process holds project defaults only: Scrapy merges a runner's settings into each crawler
    # wherever the crawler's own priority is not higher, so per-site options must outrank them.
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # logging goes through the root logger that the CLI configured (or to --log-file)
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    level = getattr(logging, options.log_level.upper(), logging.WARNING)
    if options.log_file:
        handler = logging.FileHandler(options.log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
        logging.getLogger().addHandler(handler)
        logging.getLogger().setLevel(min(level, logging.INFO))
    settings.set("LOG_ENABLED", True, priority="cmdline")
    process = CrawlerProcess(settings)
    for name in ("scrapy", "twisted", "py.warnings", "asyncio", "crawler", "govaudit"):
        logging.getLogger(name).setLevel(level)
    if level > logging.INFO:
        # retries that give up are findings, not log noise
        for name in ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    crawlers = []
    pending = []
    for i, (start_url, run_id) in enumerate(sites):
        opts = (per_site or {}).get(run_id, options)
        # the first crawler installs the (asyncio) reactor, as CrawlerProcess would
        crawler = Crawler(GovauditSpider, opts.scrapy_settings(db_path), init_reactor=(i == 0))
        crawlers.append((run_id, crawler))
        pending.append((crawler, {"url": start_url, "run_id": run_id, "hosts": ",".join(opts.hosts),
                                  "prefixes": ",".join(opts.prefixes), "exclude": opts.exclude}))

    def start_next(_: Any = None) -> Any:
        if pending:
            crawler, kwargs = pending.pop(0)
            process.crawl(crawler, **kwargs).addBoth(start_next)
        return _

    for _ in range(max(1, max_parallel or len(pending))):
        start_next()
    process.start()
    _restore_signals()
    out = {}
    for run_id, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        out[run_id] = str(stats.get("finish_reason", "unknown"))
    return out


def _restore_signals() -> None:
    """Scrapy's shutdown handlers outlive the crawl; checks and reports must stop on SIGTERM / Ctrl-C."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
