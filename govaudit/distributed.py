"""Shared audits on several machines: the job in Redis, the worker loop, the collector.

Only imported when ``--redis`` is given (it needs the ``distributed`` extra:
``pip install 'govaudit[distributed]'``).  The roles:

* the **coordinator** (the first ``govaudit run SITES.toml --redis URL`` or
  ``govaudit worker SITES.toml --redis URL``, or any of them with ``--init``)
  publishes the job: the site list with each site's options and a *shared
  run id* per site, allocated with ``INCR NS:next_rid``;
* **workers** (any number, any machine) crawl every site of the job through
  the shared scrapy-redis frontier (:func:`run_worker`);
* one **collector** (``govaudit collect --redis URL --db FILE``) creates the
  store's runs for the job, writes every shipped item with the Store API,
  closes each run when no worker has work left for it and writes the 通报
  with :func:`govaudit.audit.report_runs` (:func:`collect`).

Example (needs a Redis on localhost)::

    from govaudit.audit import SiteSpec
    from govaudit.crawl import CrawlOptions
    from govaudit.distributed import collect, publish_job, run_worker
    publish_job("redis://127.0.0.1:6379/0", [(SiteSpec(url="http://127.0.0.1:8000/xxgk/"), CrawlOptions(delay=0))])
    run_worker("redis://127.0.0.1:6379/0")            # on every machine
    collect("redis://127.0.0.1:6379/0", db="province.db", out="report/")   # on one machine
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .audit import AuditResult, SiteSpec, open_store, parse_as_of, prepare_out, report_runs, validate_url
from .crawl import CrawlOptions
from .errors import UserError

logger = logging.getLogger(__name__)

DEFAULT_JOB = "audit"
JOB_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
ITEM_BATCH = 200


class DistributedError(UserError):
    """The shared audit cannot go on (Redis unreachable, no job, conflicting job)."""


def namespace(job: str) -> str:
    """Redis key prefix of a shared audit.

    >>> namespace("audit")
    'govaudit:audit'
    """
    if not JOB_NAME.match(job or ""):
        raise DistributedError(f"bad --job {job!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    return f"govaudit:{job}"


def open_redis(url: str) -> Any:
    """A Redis client for ``url`` that answered PING (UserError otherwise)."""
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError:
        raise DistributedError("--redis needs the distributed extra: pip install 'govaudit[distributed]' "
                               "(scrapy-redis and redis)") from None
    from crawler.distributed import connect

    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise DistributedError(f"bad --redis {url!r}: expected redis://HOST:6379/0")
    try:
        server, _ = connect(url)
        server.ping()
    except Exception as exc:  # redis.ConnectionError, ValueError from a bad URL …
        raise DistributedError(f"cannot reach Redis at {url}: {exc}") from None
    return server


# ---------------------------------------------------------------------------- the job
@dataclass
class SharedSite:
    rid: int  # shared run id (Redis); the collector maps it to a store run id
    spec: SiteSpec
    options: CrawlOptions


@dataclass
class Job:
    ns: str
    job_id: str
    as_of: str
    created: float
    sites: list[SharedSite] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({
            "ns": self.ns, "job_id": self.job_id, "as_of": self.as_of, "created": self.created,
            "report": self.report,
            "sites": [{"rid": s.rid, "spec": dataclasses.asdict(s.spec), "options": s.options.to_dict()}
                      for s in self.sites],
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> "Job":
        d = json.loads(text)
        spec_fields = {f.name for f in dataclasses.fields(SiteSpec)}
        opt_fields = {f.name for f in dataclasses.fields(CrawlOptions)}
        sites = [SharedSite(int(s["rid"]), SiteSpec(**{k: v for k, v in s["spec"].items() if k in spec_fields}),
                            CrawlOptions(**{k: v for k, v in s["options"].items() if k in opt_fields}))
                 for s in d["sites"]]
        return cls(ns=d["ns"], job_id=d["job_id"], as_of=d["as_of"], created=float(d["created"]), sites=sites,
                   report=d.get("report") or {})

    def urls(self) -> set[str]:
        return {s.spec.url for s in self.sites}


def load_job(server: Any, ns: str) -> Job | None:
    from crawler.distributed import Keys

    raw = server.get(Keys(ns).manifest)
    return Job.from_json(raw) if raw else None


def job_finished(server: Any, ns: str) -> bool:
    """The collector has written every run of the job."""
    from crawler.distributed import Keys

    return bool(server.exists(Keys(ns).collected))


def clear_job(server: Any, ns: str) -> int:
    """Delete a job's keys (its queues, claims, items…); shared run ids keep counting."""
    from crawler.distributed import Keys

    keep = Keys(ns).next_rid.encode()
    doomed = [k for k in server.scan_iter(match=f"{ns}:*", count=1000) if k != keep]
    for i in range(0, len(doomed), 500):
        server.delete(*doomed[i:i + 500])
    return len(doomed)


def publish_job(url: str, sites: list[tuple[SiteSpec, CrawlOptions]], *, job: str = DEFAULT_JOB,
                as_of: str | None = None, report: dict[str, Any] | None = None,
                replace: bool = False) -> tuple[Job, bool]:
    """Publish a shared audit of ``sites`` unless one is under way; returns (job, created).

    An unfinished job with the same sites is joined.  A finished job (collected)
    is replaced.  ``replace`` (``--init``) replaces whatever is there: only use it
    when no worker of the previous job is still running.
    """
    from crawler.distributed import Keys

    ns = namespace(job)
    keys = Keys(ns)
    server = open_redis(url)
    for spec, _ in sites:
        validate_url(spec.url)
    as_of_date = parse_as_of(as_of).isoformat()
    current = load_job(server, ns)
    if current is not None and not replace and not job_finished(server, ns):
        if current.urls() != {s.url for s, _ in sites}:
            raise DistributedError(
                f"Redis already holds the unfinished shared audit {current.job_id} ({len(current.sites)} other "
                f"sites) under --job {job}: join it without a site list, use another --job, or --init to replace it")
        return current, False
    lock = f"{ns}:init_lock"
    if not server.set(lock, 1, nx=True, px=30000):
        time.sleep(1.0)
        return wait_job(url, job=job, wait=30.0), False
    try:
        if current is not None:
            clear_job(server, ns)
            server.set(lock, 1, px=30000)
        shared = []
        for spec, opts in sites:
            if spec.hosts or spec.prefixes:
                opts = CrawlOptions(**{**opts.to_dict(), "hosts": opts.hosts + spec.hosts,
                                       "prefixes": opts.prefixes + spec.prefixes})
            shared.append(SharedSite(int(server.incr(keys.next_rid)), spec, opts))
        new = Job(ns=ns, job_id=f"{job}-{shared[0].rid if shared else 0}", as_of=as_of_date, created=time.time(),
                  sites=shared, report=dict(report or {}))
        server.set(keys.manifest, new.to_json())
        logger.info("published shared audit %s: %d sites", new.job_id, len(shared))
        return new, True
    finally:
        server.delete(lock)


def wait_job(url: str, *, job: str = DEFAULT_JOB, wait: float = 30.0) -> Job:
    """The published job that is not collected yet, waiting up to ``wait`` seconds for a coordinator."""
    ns = namespace(job)
    server = open_redis(url)
    deadline = time.monotonic() + wait
    while True:
        current = load_job(server, ns)
        if current is not None and not job_finished(server, ns):
            return current
        if time.monotonic() >= deadline:
            if current is not None:
                raise DistributedError(f"the shared audit {current.job_id} under --job {job} is already collected "
                                       "(govaudit recheck re-reports it); publish a new one with a site list")
            raise DistributedError(f"no shared audit under --job {job} in {url} after {wait:.0f}s: "
                                   "start one with a site list (govaudit run SITES.toml --redis …)")
        time.sleep(0.2)


# ---------------------------------------------------------------------------- workers
def worker_settings(url: str, ns: str, rid: int, options: CrawlOptions, *, worker: str | None = None,
                    heartbeat: float = 30.0, poll: float = 0.2) -> dict[str, Any]:
    """Scrapy settings that make the crawl of one site part of the shared crawl."""
    from crawler import settings as base
    from crawler.distributed import Keys

    keys = Keys(ns)
    out: dict[str, Any] = {
        "GOVAUDIT_REDIS_URL": url,
        "GOVAUDIT_REDIS_NS": ns,
        "GOVAUDIT_HEARTBEAT_SECONDS": heartbeat,
        # workers have no store: nothing may open one (conditional requests and resume need it)
        "GOVAUDIT_DB": ":memory:",
        "GOVAUDIT_CONDITIONAL": False,
        "GOVAUDIT_RESUME": False,
        # items travel to the collector as PageFacts JSON: pages are read in the worker process
        "GOVAUDIT_EXTRACT_PROCESSES": 0,
        "GOVAUDIT_REDIS_POLL_SECONDS": poll,
        "REDIS_URL": url,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.ReliableQueue",
        "SCHEDULER_QUEUE_KEY": keys.queue(rid),
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter(rid),
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",  # unused: every request has dont_filter
        "SCHEDULER_PERSIST": True,  # the queue is shared: one worker closing must not clear it
        "GOVAUDIT_SEEN_CLASS": "crawler.distributed.RedisSeen",
        "GOVAUDIT_REDIS_CLAIM_ON_PUSH": True,
        # politeness is global (HostLeaseMiddleware): no extra local delay
        "GOVAUDIT_HOST_CONCURRENCY": max(1, options.per_host_concurrency),
        "GOVAUDIT_HOST_DELAY": max(0.0, options.delay),
        # a worker pops no more than it can soon run: requests it holds wait for leases while others idle
        "CONCURRENT_REQUESTS": max(2, 2 * options.per_host_concurrency),
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOADER_MIDDLEWARES": {**base.DOWNLOADER_MIDDLEWARES, "crawler.distributed.HostLeaseMiddleware": 950},
        "SPIDER_MIDDLEWARES": {**base.SPIDER_MIDDLEWARES, "crawler.distributed.SeedOnceMiddleware": 10},
        "ITEM_PIPELINES": {**{k: None for k in base.ITEM_PIPELINES}, "crawler.distributed.RedisItemPipeline": 300},
        "EXTENSIONS": {**base.EXTENSIONS, "crawler.distributed.DistributedCrawl": 50},
    }
    if worker:
        out["GOVAUDIT_WORKER_ID"] = worker
    return out


def worker_id_for(name: str | None) -> str:
    """The worker id of this process: ``name`` if given, else host:pid:random."""
    from scrapy.settings import Settings

    from crawler.distributed import worker_id

    return worker_id(Settings({"GOVAUDIT_WORKER_ID": name}) if name else None)


def pick_site(server: Any, keys: Any, pending: list[SharedSite], worker: str, look: int = 256) -> SharedSite | None:
    """Take the next site for this worker: not done, with the fewest workers on it (the first such).

    Spreading workers over sites is what makes an added worker speed the audit
    up: a site's own hosts allow only so many requests at once, whoever sends them.
    The pick is registered at once (``NS:run:RID:workers``) so that workers
    starting together spread too.
    """
    while pending:
        window = pending[:look]
        pipe = server.pipeline()
        for site in window:
            pipe.sismember(keys.done, site.rid)
            pipe.scard(keys.run_workers(site.rid))
        answers = pipe.execute()
        done = {s.rid for s, d in zip(window, answers[0::2]) if d}
        pending[:] = [s for s in pending if s.rid not in done]
        live = [(n, i, s) for i, (s, d, n) in enumerate(zip(window, answers[0::2], answers[1::2])) if not d]
        if not live:
            continue
        _, _, site = min(live, key=lambda t: (t[0], t[1]))
        pending.remove(site)
        server.sadd(keys.run_workers(site.rid), worker)
        return site
    return None


def run_worker(url: str, *, job: str = DEFAULT_JOB, max_parallel: int = 4, wait: float = 30.0,
               heartbeat: float = 30.0, worker: str | None = None, log_level: str = "WARNING",
               log_file: str | None = None) -> dict[int, str]:
    """Work on the published job until every site is done; returns {shared run id: finish reason}.

    Up to ``max_parallel`` sites are crawled at once; sites that other workers
    have finished are skipped.  Blocks; Scrapy's reactor runs once per process.
    """
    from scrapy.crawler import Crawler, CrawlerProcess
    from scrapy.settings import Settings

    from crawler.distributed import Keys
    from crawler.spiders.govaudit_spider import GovauditSpider

    import warnings

    from scrapy.exceptions import ScrapyDeprecationWarning

    warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")
    server = open_redis(url)
    current = wait_job(url, job=job, wait=wait)
    keys = Keys(current.ns)
    todo = [s for s in current.sites if not server.sismember(keys.done, s.rid)]
    if not todo:
        logger.info("every site of %s is done", current.job_id)
        return {}

    wid = worker_id_for(worker)

    def settings_for(site: SharedSite) -> Any:
        opts = CrawlOptions(**{**site.options.to_dict(), "log_level": log_level, "log_file": log_file})
        opts.extra_settings = {**opts.extra_settings,
                               **worker_settings(url, current.ns, site.rid, opts, worker=wid, heartbeat=heartbeat)}
        s = opts.scrapy_settings(":memory:")
        s.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
        return s

    level = getattr(logging, log_level.upper(), logging.WARNING)
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
        logging.getLogger().addHandler(handler)
        logging.getLogger().setLevel(min(level, logging.INFO))
    # Scrapy merges the process's settings into every crawler's (CrawlerProcess.create_crawler), at their
    # priority: give the process project-level settings only, so each site keeps its own options and keys
    process_settings = Settings()
    process_settings.setmodule("crawler.settings", priority="project")
    process_settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="project")
    process = CrawlerProcess(process_settings)
    for name in ("scrapy", "twisted", "py.warnings", "asyncio", "crawler", "govaudit", "scrapy_redis"):
        logging.getLogger(name).setLevel(level)
    if level > logging.INFO:
        for name in ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    pending = list(todo)
    crawlers: list[tuple[int, Any]] = []

    def start_next(result: Any = None) -> Any:
        site = pick_site(server, keys, pending, wid)
        if site is not None:
            crawler = Crawler(GovauditSpider, settings_for(site), init_reactor=not crawlers)
            crawlers.append((site.rid, crawler))
            opts = site.options
            process.crawl(crawler, url=site.spec.url, run_id=site.rid, hosts=",".join(opts.hosts),
                          prefixes=",".join(opts.prefixes), exclude=opts.exclude).addBoth(start_next)
        return result

    for _ in range(max(1, max_parallel)):
        start_next()
    if crawlers:
        process.start()
    out = {}
    for rid, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        out[rid] = str(stats.get("finish_reason", "unknown"))
    return out


# ---------------------------------------------------------------------------- the collector
@dataclass
class CollectResult:
    job: Job
    run_ids: dict[int, int]  # shared run id -> store run id
    items: int
    report: AuditResult | None


def _store_runs(store: Any, job: Job) -> dict[int, int]:
    """The store's run for each site of the job, created on first sight (a restarted collector reuses them)."""
    existing = {}
    for run in store.runs():
        tag = (run.get("settings") or {}).get("redis") or {}
        if tag.get("job_id") == job.job_id:
            existing[int(tag["rid"])] = int(run["id"])
    out = {}
    for site in job.sites:
        if site.rid not in existing:
            settings = {**site.options.to_dict(), "redis": {"job_id": job.job_id, "rid": site.rid, "ns": job.ns}}
            existing[site.rid] = store.new_run(site.spec.url, as_of=job.as_of, settings=settings,
                                               site_config=site.spec.site_config())
        out[site.rid] = existing[site.rid]
    return out


def _write_items(store: Any, run_ids: dict[int, int], raw_items: list[bytes],
                 worker_stats: dict[int, dict[str, dict[str, Any]]]) -> None:
    from crawler.distributed import item_from_json

    fetches: dict[int, list[tuple[Any, Any]]] = {}
    for raw in raw_items:
        item = item_from_json(raw)
        rid = int(item.get("run", 0))
        if rid not in run_ids:
            logger.warning("item of an unknown shared run %s skipped", rid)
            continue
        kind = item.get("type")
        if kind == "fetch":
            fetches.setdefault(rid, []).append((item["fetch"], item.get("facts")))
        elif kind == "probe":
            store.save_probe(run_ids[rid], item["host"], item["url"], item["status"], item["final_url"],
                             item["title"], item["text"])
        elif kind == "stats":
            worker_stats.setdefault(rid, {})[item["worker"]] = {**item["stats"], "reason": item.get("reason")}
    for rid, rows in fetches.items():
        store.save_fetches(run_ids[rid], rows)


def _workers_gone(server: Any, keys: Any, rid: int) -> bool:
    """No live worker still has to ship its stats for this run."""
    for raw in server.smembers(keys.run_workers(rid)):
        wid = raw.decode() if isinstance(raw, bytes) else str(raw)
        if server.exists(keys.heartbeat(wid)):
            return False
    return True


def _finish_store_run(store: Any, run_id: int, ws: dict[str, dict[str, Any]], started: float) -> None:
    counts = store.count_pages(run_id)
    errors = sum(1 for f in store.iter_fetches(run_id) if f.get("error") or (f.get("status") or 0) >= 400)
    stats = dict(store.run(run_id)["stats"])
    stats.update({
        "pages": counts.get("page", 0),
        "urls_checked": sum(counts.values()),
        "bytes_received": sum(int(w.get("bytes_received", 0)) for w in ws.values()),
        "requests": sum(int(w.get("requests", 0)) for w in ws.values()),
        "errors": errors,
        "requests_304": stats.get("requests_304", 0),
        "traps_refused": sum(int(w.get("traps_refused", 0)) for w in ws.values()),
        "head_fallbacks": sum(int(w.get("head_fallbacks", 0)) for w in ws.values()),
        "page_limit_reached": any(w.get("page_limit_reached") for w in ws.values()),
        "finish_reason": "finished",
        "workers": sorted(ws),
        "seconds": round(time.time() - started, 2),
    })
    store.finish_run(run_id, status="finished", stats=stats)


def collect(url: str, *, db: str | Path, job: str = DEFAULT_JOB, out: str | Path | None = None,
            as_of: str | None = None, plan: Any = None, wait: float = 60.0, timeout: float | None = None,
            template_dir: str | Path | None = None, report_meta: dict[str, Any] | None = None,
            formats: tuple[str, ...] = ("json", "csv", "html", "docx")) -> CollectResult:
    """Write the job's items into the store at ``db`` until every site is done, then the 通报 into ``out``.

    Only one collector per job: it is the store's only writer.  Items are taken
    off the Redis list only after they are committed, so a collector that is
    restarted goes on where it stopped.  ``timeout`` (seconds) gives up waiting
    for the workers (DistributedError).
    """
    from crawler.distributed import Keys, connect, reap_dead_workers

    server = open_redis(url)
    _, scripts = connect(url)
    current = wait_job(url, job=job, wait=wait)
    keys = Keys(current.ns)
    store = open_store(db)
    run_ids = _store_runs(store, current)
    finished = {rid for rid, sid in run_ids.items() if store.run(sid)["status"] == "finished"}
    worker_stats: dict[int, dict[str, dict[str, Any]]] = {}
    left_before_done: dict[int, int] = {}  # items still ahead of the run's last one
    written = 0
    deadline = time.monotonic() + timeout if timeout else None
    last_reap = 0.0
    while len(finished) < len(run_ids):
        batch = server.lrange(keys.items, 0, ITEM_BATCH - 1)
        if batch:
            _write_items(store, run_ids, batch, worker_stats)
            server.ltrim(keys.items, len(batch), -1)
            written += len(batch)
            for rid in left_before_done:
                left_before_done[rid] -= len(batch)
        if time.monotonic() - last_reap > 1.0:
            reap_dead_workers(server, scripts, keys)
            last_reap = time.monotonic()
            now = load_job(server, current.ns)
            if now is None or now.job_id != current.job_id:
                raise DistributedError(f"the shared audit {current.job_id} was replaced in Redis (--init) while "
                                       f"being collected; what had arrived is in {db}")
        for site in current.sites:
            rid = site.rid
            if rid in finished or rid in left_before_done:
                continue
            if server.sismember(keys.done, rid) and _workers_gone(server, keys, rid):
                left_before_done[rid] = int(server.llen(keys.items))
        for rid, left in list(left_before_done.items()):
            if left <= 0 and rid not in finished:
                _finish_store_run(store, run_ids[rid], worker_stats.get(rid, {}), current.created)
                finished.add(rid)
                logger.info("run %s (store run %s) is complete", rid, run_ids[rid])
        if len(batch) < ITEM_BATCH and len(finished) < len(run_ids):
            if deadline is not None and time.monotonic() > deadline:
                raise DistributedError(f"collect gave up after {timeout:.0f}s: {len(run_ids) - len(finished)} of "
                                       f"{len(run_ids)} sites still unfinished (are workers running?)")
            time.sleep(0.2)
    server.set(keys.collected, 1)
    report = None
    if out is not None:
        order = [s for s in current.sites]
        meta = {**current.report, **(report_meta or {})}
        report = report_runs(store, [run_ids[s.rid] for s in order], [s.spec for s in order],
                             out_dir=prepare_out(out), as_of=parse_as_of(as_of or current.as_of), plan=plan,
                             template_dir=template_dir, report_meta=meta, formats=formats)
    return CollectResult(job=current, run_ids=run_ids, items=written, report=report)
