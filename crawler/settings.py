"""Scrapy settings for the govaudit crawler.

Every govaudit-specific setting is prefixed GOVAUDIT_ and has its default
here; the CLI (`govaudit audit --per-host-concurrency … --delay …`) only
overrides these values.  `scrapy crawl govaudit -a url=…` uses them as they are.
"""

BOT_NAME = "govaudit"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "Mozilla/5.0 (compatible; govaudit/0.1; +政务公开检查)"

# Politeness ---------------------------------------------------------------
ROBOTSTXT_OBEY = True  # `--ignore-robots` turns this off for a site you are responsible for
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # --per-host-concurrency
# Scrapy starts CONCURRENT_ITEMS asyncio tasks for every response's output; the store pipeline is
# synchronous, so 100 (the default) only costs CPU (a third of the crawl's time on a local benchmark)
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 0.5  # --delay (0 disables the delay and AutoThrottle)
DOWNLOAD_DELAY_JITTER = 0.5  # ±50% around DOWNLOAD_DELAY
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 20  # --timeout
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # body-size cap for a page
DOWNLOAD_WARNSIZE = 0
DNS_TIMEOUT = 10

# Retries: transient failures are retried with backoff; 429/503 honour Retry-After
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES: list[int] = []  # statuses are retried by crawler.middlewares.RetryAfterMiddleware
GOVAUDIT_RETRY_HTTP_CODES = [429, 503, 500, 502, 504, 408, 522, 524]
GOVAUDIT_RETRY_AFTER_MAX = 60  # seconds; a longer Retry-After is not waited for
GOVAUDIT_RETRY_BACKOFF_BASE = 1.0  # seconds, doubled per retry

# Redirects: a chain longer than this is a redirect loop / too many redirects
REDIRECT_MAX_TIMES = 10
METAREFRESH_MAXDELAY = 10

# Everything is reported, errors included
HTTPERROR_ALLOW_ALL = True
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
URLLENGTH_LIMIT = 1024

# Scope and trap protection --------------------------------------------------
DEPTH_LIMIT = 12  # --max-depth
GOVAUDIT_MAX_PAGES = 5000  # --max-pages: HTML pages crawled per site
GOVAUDIT_MAX_URLS = 50000  # every URL requested (pages + checked targets)
GOVAUDIT_TRAP_MAX_QUERY_VARIANTS = 50  # distinct query strings per path (pagination excepted)
GOVAUDIT_TRAP_MAX_QUERY_LENGTH = 256
GOVAUDIT_TRAP_MAX_SEGMENT_REPEAT = 3
GOVAUDIT_TRAP_MAX_PATH_DEPTH = 16
GOVAUDIT_CHECK_EXTERNAL = True  # --no-external: do not check links to other hosts
GOVAUDIT_SOFT404_PROBE = True
GOVAUDIT_ANNUAL_REPORT_MAXSIZE = 30 * 1024 * 1024
GOVAUDIT_SEEN_CLASS = "crawler.frontier.MemorySeen"  # which URLs are claimed (shared set in distributed mode)

# Speed ----------------------------------------------------------------------
# Processes reading pages beside the crawl ("auto": 1 on a machine with two or more cores, else 0;
# 0 reads pages in the crawling process).  See crawler/extract_pool.py.
GOVAUDIT_EXTRACT_PROCESSES = "auto"

# Store ----------------------------------------------------------------------
GOVAUDIT_DB = "govaudit.db"
GOVAUDIT_STORE_BATCH = 50  # items per write; each write is committed at once
GOVAUDIT_STORE_FLUSH_SECONDS = 1.0  # also on a timer: a killed crawl loses at most this much

# Scheduled re-audits ----------------------------------------------------------
GOVAUDIT_CONDITIONAL = True  # If-None-Match / If-Modified-Since from the previous finished run (--full: off)
GOVAUDIT_RESUME = False  # continue the run's stored crawl (--resume)
GOVAUDIT_PROGRESS = True  # live line per site on a terminal; a summary log line every interval otherwise
GOVAUDIT_PROGRESS_INTERVAL = 60.0  # seconds between progress log lines when not on a terminal

DOWNLOADER_MIDDLEWARES = {
    # last to see a response: reads the page in a child process (GOVAUDIT_EXTRACT_PROCESSES)
    "crawler.extract_pool.ReadPagesMiddleware": 50,
    # process_response runs from high to low: ours sees 429/503 before Scrapy's RetryMiddleware (550)
    "crawler.middlewares.RetryAfterMiddleware": 560,
    "crawler.conditional.ConditionalRequestsMiddleware": 595,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.TrapGuardMiddleware": 850,
}
ITEM_PIPELINES = {
    "crawler.pipelines.StorePipeline": 300,
}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "crawler.extensions.HeadersOnly": 100,
    "crawler.progress.Progress": 200,
}

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
