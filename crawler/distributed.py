"""Distributed crawling on scrapy-redis: the pieces a worker plugs into Scrapy.

A shared audit lives in one Redis database under a namespace ``NS``
(``govaudit:<job>``).  Every worker runs the ordinary govaudit spider, one
Scrapy crawler per site, with these replacements (see
:func:`govaudit.distributed.worker_settings`):

* ``scrapy_redis.scheduler.Scheduler`` with :class:`ReliableQueue`: the
  frontier of a site is the sorted set ``NS:run:RID:queue``.  A pop moves the
  request into the worker's in-flight hash ``NS:inflight:WORKER`` (and counts
  it in ``NS:run:RID:inflight``); it is acknowledged once Scrapy has handled
  its response or failure completely (items shipped, follow-up requests
  queued).  :func:`reap_dead_workers` puts the in-flight requests of a worker
  whose heartbeat key expired back on the queue.
* :class:`RedisSeen` (``GOVAUDIT_SEEN_CLASS``): the claimed-URL set
  ``NS:run:RID:seen``.  With the reliable queue a claim is written in the same
  Redis script that queues the request, so a worker killed between claiming a
  URL and queueing it loses nothing.
* :class:`HostLeaseMiddleware`: before a request goes out it takes a lease on
  its host in ``govaudit:host:HOST`` (at most ``GOVAUDIT_HOST_CONCURRENCY``
  leases, starts spaced by ``GOVAUDIT_HOST_DELAY``), shared by every worker.
* :class:`RedisItemPipeline`: items become JSON on the list ``NS:items``; one
  collector (``govaudit collect``) writes them to the SQLite store.
* :class:`DistributedCrawl` (extension) and :class:`SeedOnceMiddleware`: the
  worker heartbeat, acknowledgements, one seeding worker per site, and a site
  that ends only when no worker has anything left for it.

Redis must be a standalone server (the scripts compute key names; no Cluster).
Queued requests are pickled (scrapy-redis' default serialiser): give workers
a Redis that only they can reach.

Example (a Redis on localhost)::

    >>> k = Keys("govaudit:audit")
    >>> k.queue(7), k.inflight("w1"), Keys.host("www.example.gov.cn")
    ('govaudit:audit:run:7:queue', 'govaudit:audit:inflight:w1', 'govaudit:host:www.example.gov.cn')
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import secrets
import socket
import time
from typing import TYPE_CHECKING, Any

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.httpobj import urlparse_cached
from scrapy_redis.queue import PriorityQueue

from crawler.traps import canonical_url
from govaudit.models import Fetch, PageFacts

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

HOST_PREFIX = "govaudit:host:"
#: exit status of a worker that lost Redis for longer than its heartbeat
EXIT_REDIS_LOST = 75


class Keys:
    """Redis key names of one shared audit (namespace ``ns``)."""

    def __init__(self, ns: str):
        self.ns = ns

    def queue(self, rid: int | str) -> str:
        return f"{self.ns}:run:{rid}:queue"

    def seen(self, rid: int | str) -> str:
        return f"{self.ns}:run:{rid}:seen"

    def pages(self, rid: int | str) -> str:
        return f"{self.ns}:run:{rid}:pages"

    def inflight_count(self, rid: int | str) -> str:
        return f"{self.ns}:run:{rid}:inflight"

    def seed(self, rid: int | str) -> str:
        return f"{self.ns}:run:{rid}:seed"

    def seeded(self, rid: int | str) -> str:
        return f"{self.ns}:run:{rid}:seeded"

    def run_workers(self, rid: int | str) -> str:
        return f"{self.ns}:run:{rid}:workers"

    def dupefilter(self, rid: int | str) -> str:
        return f"{self.ns}:run:{rid}:dupefilter"

    def inflight(self, worker: str) -> str:
        return f"{self.ns}:inflight:{worker}"

    def heartbeat(self, worker: str) -> str:
        return f"{self.ns}:hb:{worker}"

    @property
    def workers(self) -> str:
        return f"{self.ns}:workers"

    @property
    def done(self) -> str:
        return f"{self.ns}:done"

    @property
    def items(self) -> str:
        return f"{self.ns}:items"

    @property
    def manifest(self) -> str:
        return f"{self.ns}:manifest"

    @property
    def next_rid(self) -> str:
        return f"{self.ns}:next_rid"

    @property
    def collected(self) -> str:
        return f"{self.ns}:collected"

    @staticmethod
    def host(host: str) -> str:
        return HOST_PREFIX + host

    @staticmethod
    def host_next(host: str) -> str:
        return HOST_PREFIX + host + ":next"

    @staticmethod
    def host_conf(host: str) -> str:
        return HOST_PREFIX + host + ":conf"


# ---------------------------------------------------------------------------- Redis scripts
# In-flight field names are "RID|SCORE|TOKEN": the reaper knows where to put an entry back.

POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local field = ARGV[1] .. '|' .. r[2] .. '|' .. ARGV[2]
redis.call('HSET', KEYS[2], field, r[1])
redis.call('INCR', KEYS[3])
return {field, r[1]}
"""

# KEYS: queue, seen, inflight hash, inflight counter; ARGV: score, data, claim key or '', parent field or ''
# KEYS: queue, seen, inflight hash, inflight counter, pages counter
# ARGV: score, data, claim key or '', parent field or '', max URLs, max pages, 1 if the request is a page
# Returns 1 queued, 0 already claimed, 2 over the site's URL limit, 3 over its page limit.
PUSH = """
local pushed = 1
if ARGV[3] ~= '' then
  if redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 1 then
    pushed = 0
  elseif redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[5]) then
    pushed = 2
  elseif ARGV[7] == '1' and tonumber(redis.call('GET', KEYS[5]) or '0') >= tonumber(ARGV[6]) then
    pushed = 3
  else
    redis.call('SADD', KEYS[2], ARGV[3])
    if ARGV[7] == '1' then redis.call('INCR', KEYS[5]) end
  end
end
if pushed == 1 then redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2]) end
if ARGV[4] ~= '' and redis.call('HDEL', KEYS[3], ARGV[4]) == 1 then
  redis.call('DECR', KEYS[4])
end
return pushed
"""

ACK = """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('DECR', KEYS[2])
  return 1
end
return 0
"""

# KEYS: inflight hash, heartbeat key (or '' to requeue unconditionally), workers set
# ARGV: namespace, worker id, run id to requeue ('' = all)
REQUEUE = """
if KEYS[2] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local entries = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 1, #entries, 2 do
  local field, data = entries[i], entries[i + 1]
  local rid, score = string.match(field, '^([^|]+)|([^|]+)|')
  if rid and (ARGV[3] == '' or ARGV[3] == rid) then
    redis.call('ZADD', ARGV[1] .. ':run:' .. rid .. ':queue', score, data)
    redis.call('DECR', ARGV[1] .. ':run:' .. rid .. ':inflight')
    redis.call('HDEL', KEYS[1], field)
    n = n + 1
  end
end
if KEYS[2] ~= '' then redis.call('SREM', KEYS[3], ARGV[2]) end
return n
"""

# KEYS: seeded, queue, inflight counter, done set; ARGV: run id
SITE_DONE = """
if redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 1 then return 1 end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
if tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then return 0 end
redis.call('SADD', KEYS[4], ARGV[1])
return 1
"""

# KEYS: host lease zset, host next-start key, host politeness hash; ARGV: limit, delay ms, lease ttl ms, token
# The host's own site registers its politeness (HostPoliteness); the stricter of the two applies.
# Returns 0 when the lease is taken, else milliseconds to wait before asking again.
LEASE = """
local limit, delay = tonumber(ARGV[1]), tonumber(ARGV[2])
local conf = redis.call('HMGET', KEYS[3], 'limit', 'delay')
if conf[1] then limit = math.min(limit, tonumber(conf[1])) end
if conf[2] then delay = math.max(delay, tonumber(conf[2])) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= limit then return 1 end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000) end
return 0
"""

# KEYS: host lease zsets; ARGV: ttl ms, then one token per key
RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', now + ttl, ARGV[i + 1])
  redis.call('PEXPIRE', key, ttl)
end
return #KEYS
"""

#: what LEASE answers when the host has no free lease (not a delay): back off
BUSY_MS = 1

#: how long a site's registered politeness for its hosts lasts (refreshed whenever its crawl starts)
HOST_CONF_TTL = 24 * 3600


# KEYS: seed owner key, seeded flag; ARGV: namespace, worker
# Takes over the seeding of a site whose seeding worker died before it had finished.
TAKE_SEED = """
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local owner = redis.call('GET', KEYS[1])
if owner and redis.call('EXISTS', ARGV[1] .. ':hb:' .. owner) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
"""


class Scripts:
    """The Lua scripts registered on one Redis client."""

    def __init__(self, server: redis.Redis):
        self.pop = server.register_script(POP)
        self.push = server.register_script(PUSH)
        self.ack = server.register_script(ACK)
        self.requeue = server.register_script(REQUEUE)
        self.site_done = server.register_script(SITE_DONE)
        self.lease = server.register_script(LEASE)
        self.renew = server.register_script(RENEW)
        self.take_seed = server.register_script(TAKE_SEED)


_SERVERS: dict[str, tuple[redis.Redis, Scripts]] = {}


def connect(url: str) -> tuple[redis.Redis, Scripts]:
    """One Redis client (and its scripts) per URL and process."""
    if url not in _SERVERS:
        server = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10, retry_on_timeout=True)
        _SERVERS[url] = (server, Scripts(server))
    return _SERVERS[url]


_WORKER_ID: str | None = None


def worker_id(settings: Any = None) -> str:
    """This process's worker id (setting ``GOVAUDIT_WORKER_ID`` or host:pid:random)."""
    global _WORKER_ID
    if settings is not None and settings.get("GOVAUDIT_WORKER_ID"):
        _WORKER_ID = str(settings.get("GOVAUDIT_WORKER_ID"))
    if _WORKER_ID is None:
        _WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
    return _WORKER_ID


def _redis_conf(settings: Any) -> tuple[str, Keys]:
    url = settings.get("GOVAUDIT_REDIS_URL")
    if not url:
        raise NotConfigured("GOVAUDIT_REDIS_URL is not set")
    return url, Keys(settings.get("GOVAUDIT_REDIS_NS", "govaudit:audit"))


def _text(v: Any) -> str:
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


# ---------------------------------------------------------------------------- reaping
def reap_dead_workers(server: redis.Redis, scripts: Scripts, keys: Keys) -> int:
    """Put back on their queues the in-flight requests of workers whose heartbeat expired.

    Safe to run from any worker or the collector at any time; returns how many
    requests went back.
    """
    n = 0
    for raw in server.smembers(keys.workers):
        wid = _text(raw)
        if server.exists(keys.heartbeat(wid)):
            continue
        got = int(scripts.requeue(keys=[keys.inflight(wid), keys.heartbeat(wid), keys.workers],
                                  args=[keys.ns, wid, ""]))
        if got > 0:
            logger.warning("worker %s stopped beating: %d in-flight requests went back to the queue", wid, got)
            n += got
    return n


def requeue_own(server: redis.Redis, scripts: Scripts, keys: Keys, worker: str, rid: int | str | None = None) -> int:
    """Put this worker's unacknowledged requests (of one run, or all) back on their queues."""
    return int(scripts.requeue(keys=[keys.inflight(worker), "", keys.workers],
                               args=[keys.ns, worker, "" if rid is None else str(rid)]))


def site_done(server: redis.Redis, scripts: Scripts, keys: Keys, rid: int | str) -> bool:
    """True once the site was seeded and no worker has anything queued or in flight for it."""
    return bool(scripts.site_done(keys=[keys.seeded(rid), keys.queue(rid), keys.inflight_count(rid), keys.done],
                                  args=[str(rid)]))


# ---------------------------------------------------------------------------- claimed URLs
class RedisSeen:
    """A claimed-URL set shared by every worker: ``add(key)`` is True for exactly one of them.

    Plain mode: ``add`` is ``SADD`` (1 when new).  ``claim_on_push`` mode (used
    with :class:`ReliableQueue`): ``add`` answers from the shared set and keeps
    the claim pending; the queue writes it with the request in one script.
    """

    def __init__(self, server: redis.Redis, key: str, *, claim_on_push: bool = False):
        self.server = server
        self.key = key
        self.claim_on_push = claim_on_push
        self._known: set[str] = set()  # claimed here, or seen claimed in Redis
        self._pending: set[str] = set()  # claim_on_push: claimed here, not yet queued
        self._absent: str | None = None  # the key __contains__ last found unclaimed

    @classmethod
    def from_crawler(cls, crawler: Crawler, spider: Any = None) -> "RedisSeen":
        url, keys = _redis_conf(crawler.settings)
        rid = getattr(spider, "run_id", None)
        if rid is None:
            raise NotConfigured("RedisSeen needs the spider's run_id (the shared run id)")
        server, _ = connect(url)
        return cls(server, keys.seen(rid), claim_on_push=crawler.settings.getbool("GOVAUDIT_REDIS_CLAIM_ON_PUSH"))

    def __contains__(self, key: str) -> bool:
        if key in self._known:
            return True
        if self.server.sismember(self.key, key):
            self._known.add(key)
            return True
        self._absent = key
        return False

    def add(self, key: str) -> bool:
        if key in self._known:
            return False
        if not self.claim_on_push:
            new = bool(self.server.sadd(self.key, key))
            self._known.add(key)
            return new
        if key != self._absent and self.server.sismember(self.key, key):
            self._known.add(key)
            return False
        self._absent = None
        self._known.add(key)
        self._pending.add(key)
        return True

    def take_pending(self, key: str) -> bool:
        """True (once) if ``key`` was claimed here and still has to be written with its request."""
        if key in self._pending:
            self._pending.discard(key)
            return True
        return False

    def __len__(self) -> int:
        return int(self.server.scard(self.key))


# ---------------------------------------------------------------------------- reliable queue
class ReliableQueue(PriorityQueue):
    """scrapy-redis' priority queue whose pop keeps the request in flight until acknowledged."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None):
        super().__init__(server, spider, key, serializer)
        settings = spider.crawler.settings
        _, self.keys = _redis_conf(settings)
        self.scripts_local = Scripts(server)
        self.rid = str(spider.run_id)
        self.key = self.keys.queue(self.rid)
        self.worker = worker_id(settings)
        seen = getattr(spider, "seen", None)
        self.seen: RedisSeen | None = seen if isinstance(seen, RedisSeen) and seen.claim_on_push else None
        self.max_urls = settings.getint("GOVAUDIT_MAX_URLS", 50000)
        self.max_pages = settings.getint("GOVAUDIT_MAX_PAGES", 5000)
        self.stats = getattr(spider.crawler, "stats", None)

    def __len__(self) -> int:
        return int(self.server.zcard(self.key))

    def push(self, request: Request) -> None:
        parent = request.meta.pop("govaudit_inflight", None) or ""
        request.meta.pop("govaudit_lease", None)
        claim = ""
        url = request.meta.get("govaudit_url")
        if self.seen is not None and url:
            key = canonical_url(url)
            if self.seen.take_pending(key):
                claim = key
        data = self._encode_request(request)
        is_page = request.meta.get("govaudit_role") == "page"
        pushed = int(self.scripts_local.push(
            keys=[self.key, self.keys.seen(self.rid), self.keys.inflight(self.worker),
                  self.keys.inflight_count(self.rid), self.keys.pages(self.rid)],
            args=[-request.priority, data, claim, parent, self.max_urls, self.max_pages, int(is_page)]))
        if pushed in (2, 3) and self.stats is not None:  # the site's limits hold for all workers together
            self.stats.inc_value("govaudit/url_limit_reached" if pushed == 2 else "govaudit/page_limit_reached")

    def pop(self, timeout: int = 0) -> Request | None:
        got = self.scripts_local.pop(keys=[self.key, self.keys.inflight(self.worker),
                                           self.keys.inflight_count(self.rid)],
                                     args=[self.rid, secrets.token_hex(8)])
        if not got:
            return None
        field, data = got
        request = self._decode_request(data)
        request.meta["govaudit_inflight"] = _text(field)
        return request


def ack(server: redis.Redis, scripts: Scripts, keys: Keys, worker: str, request: Request) -> bool:
    """Acknowledge a popped request whose response or failure has been handled."""
    field = request.meta.pop("govaudit_inflight", None)
    if not field:
        return False
    rid = field.split("|", 1)[0]
    return bool(scripts.ack(keys=[keys.inflight(worker), keys.inflight_count(rid)], args=[field]))


# ---------------------------------------------------------------------------- politeness
class HostLeaseMiddleware:
    """Per-host politeness across all workers: a request waits for a lease on its host.

    At most ``GOVAUDIT_HOST_CONCURRENCY`` requests to one host are out at once,
    and their starts are ``GOVAUDIT_HOST_DELAY`` seconds apart, counting every
    worker's requests together (a host's own site sets the rule for it: see
    :meth:`register_hosts`).  A lease lasts ``ttl`` seconds (the worker
    heartbeat) and is renewed while its request is out, so the leases of a
    dead worker free their host within one heartbeat.
    """

    def __init__(self, server: redis.Redis, scripts: Scripts, *, limit: int, delay: float, ttl: float):
        self.server = server
        self.scripts = scripts
        self.limit = max(1, limit)
        self.delay_ms = int(max(0.0, delay) * 1000)
        self.ttl_ms = int(ttl * 1000)
        self.held: dict[str, str] = {}  # token -> host of the leases this crawler holds
        self.loop: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "HostLeaseMiddleware":
        s = crawler.settings
        url, _ = _redis_conf(s)
        server, scripts = connect(url)
        mw = cls(server, scripts, limit=s.getint("GOVAUDIT_HOST_CONCURRENCY", 2),
                 delay=s.getfloat("GOVAUDIT_HOST_DELAY", 0.5), ttl=s.getfloat("GOVAUDIT_HEARTBEAT_SECONDS", 30))
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        mw.crawler = crawler  # type: ignore[attr-defined]
        return mw

    def spider_opened(self, spider: Any = None) -> None:
        from twisted.internet import task

        self.register_hosts(self.crawler.spider.scope_hosts)  # type: ignore[attr-defined]
        self.loop = task.LoopingCall(self.renew)
        self.loop.start(self.ttl_ms / 4000, now=False)

    def spider_closed(self, spider: Any = None) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def renew(self) -> None:
        """Extend the leases still held (only those: a released lease stays released)."""
        if not self.held:
            return
        try:
            pairs = list(self.held.items())
            self.scripts.renew(keys=[Keys.host(h) for _, h in pairs], args=[self.ttl_ms] + [t for t, _ in pairs])
        except redis.RedisError as exc:
            logger.warning("could not renew host leases: %s", exc)

    @staticmethod
    def host_of(request: Request) -> str:
        return request.meta.get("download_slot") or urlparse_cached(request).hostname or ""

    async def process_request(self, request: Request, spider: Any = None) -> None:
        host = self.host_of(request)
        token = secrets.token_hex(8)
        backoff = 10  # ms while the host is busy, doubled up to 200: waiting requests must not flood Redis
        while True:
            wait = int(self.scripts.lease(keys=[Keys.host(host), Keys.host_next(host), Keys.host_conf(host)],
                                          args=[self.limit, self.delay_ms, self.ttl_ms, token]))
            if wait <= 0:
                break
            if wait <= BUSY_MS:
                wait, backoff = backoff + secrets.randbelow(backoff), min(backoff * 2, 200)
            await asyncio.sleep(min(wait, 1000) / 1000)
        request.meta["govaudit_lease"] = (host, token)
        self.held[token] = host
        return None

    def register_hosts(self, hosts: Any) -> None:
        """Make this site's politeness the rule for its own hosts, whoever requests them
        (another site checking a link to it included)."""
        for netloc in hosts:
            host = (netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc).strip("[]").lower()
            pipe = self.server.pipeline()
            pipe.hset(Keys.host_conf(host), mapping={"limit": self.limit, "delay": self.delay_ms})
            pipe.expire(Keys.host_conf(host), HOST_CONF_TTL)
            pipe.execute()

    def _release(self, request: Request) -> None:
        lease = request.meta.pop("govaudit_lease", None)
        if lease:
            self.held.pop(lease[1], None)
            self.server.zrem(Keys.host(lease[0]), lease[1])

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: BaseException, spider: Any = None) -> None:
        self._release(request)
        return None


# ---------------------------------------------------------------------------- items
def item_to_json(item: dict[str, Any], rid: int | str) -> str:
    """The JSON form of a crawler item (dataclasses as dicts), tagged with its shared run id."""
    out: dict[str, Any] = {k: v for k, v in item.items() if k not in ("fetch", "facts")}
    out["run"] = int(rid)
    if "fetch" in item:
        out["fetch"] = dataclasses.asdict(item["fetch"])
        facts = item.get("facts")
        out["facts"] = facts.to_dict() if facts is not None else None
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


_FETCH_FIELDS = {f.name for f in dataclasses.fields(Fetch)}


def item_from_json(text: str | bytes) -> dict[str, Any]:
    """Inverse of :func:`item_to_json`: Fetch and PageFacts objects again."""
    d = json.loads(text)
    if d.get("type") == "fetch":
        d["fetch"] = Fetch(**{k: v for k, v in d["fetch"].items() if k in _FETCH_FIELDS})
        d["facts"] = PageFacts.from_dict(d["facts"]) if d.get("facts") else None
    return d


class RedisItemPipeline:
    """Ships every item to the collector through the Redis list ``NS:items``."""

    def __init__(self, server: redis.Redis, key: str):
        self.server = server
        self.key = key
        self.rid: int | None = None
        self.shipped = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RedisItemPipeline":
        url, keys = _redis_conf(crawler.settings)
        server, _ = connect(url)
        pipe = cls(server, keys.items)
        pipe.crawler = crawler  # type: ignore[attr-defined]
        return pipe

    def process_item(self, item: dict[str, Any], spider: Any = None) -> dict[str, Any]:
        spider = spider or self.crawler.spider  # type: ignore[attr-defined]
        self.server.rpush(self.key, item_to_json(item, spider.run_id))
        self.shipped += 1
        return item


# ---------------------------------------------------------------------------- seeding, heartbeat, acks
class SeedOnceMiddleware:
    """Only one worker per site runs the spider's start requests (the soft-404 probe and the start URL)."""

    def __init__(self, crawler: Crawler):
        url, self.keys = _redis_conf(crawler.settings)
        self.server, _ = connect(url)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SeedOnceMiddleware":
        return cls(crawler)

    async def process_start(self, start: Any) -> Any:
        rid = self.crawler.spider.run_id
        if not self.server.set(self.keys.seed(rid), worker_id(self.crawler.settings), nx=True):
            return
        async for request in start:
            yield request
        self.server.set(self.keys.seeded(rid), 1)


class _Heartbeat:
    """One heartbeat per worker process: ``NS:hb:WORKER`` with an expiry, refreshed
    every quarter of it; each beat also reaps dead workers."""

    def __init__(self, server: redis.Redis, scripts: Scripts, keys: Keys, worker: str, ttl: float):
        self.server, self.scripts, self.keys, self.worker = server, scripts, keys, worker
        self.ttl_ms = max(1000, int(ttl * 1000))
        self.users = 0
        self.loop: Any = None
        self.last_ok = time.monotonic()

    def beat(self) -> None:
        try:
            pipe = self.server.pipeline()
            pipe.set(self.keys.heartbeat(self.worker), 1, px=self.ttl_ms)
            pipe.sadd(self.keys.workers, self.worker)
            pipe.execute()
            self.last_ok = time.monotonic()
            reap_dead_workers(self.server, self.scripts, self.keys)
        except redis.RedisError as exc:  # a Redis hiccup must not kill the crawl …
            logger.warning("heartbeat failed: %s", exc)
            if time.monotonic() - self.last_ok > self.ttl_ms / 1000:
                # … but past the heartbeat the others have re-queued our requests: going on would only
                # duplicate them, and without Redis this worker can neither ack nor ship anything
                logger.critical("worker %s lost Redis for longer than its heartbeat (%s): stopping",
                                self.worker, exc)
                logging.shutdown()
                os._exit(EXIT_REDIS_LOST)

    def start(self) -> None:
        self.users += 1
        if self.loop is None:
            from twisted.internet import task

            self.beat()
            self.loop = task.LoopingCall(self.beat)
            self.loop.start(self.ttl_ms / 4000, now=False)

    def stop(self) -> None:
        self.users -= 1
        if self.users <= 0 and self.loop is not None:
            if self.loop.running:
                self.loop.stop()
            self.loop = None
            requeue_own(self.server, self.scripts, self.keys, self.worker)
            self.server.delete(self.keys.heartbeat(self.worker))
            self.server.srem(self.keys.workers, self.worker)


_HEARTBEATS: dict[tuple[str, str, str], _Heartbeat] = {}


def heartbeat_for(url: str, keys: Keys, worker: str, ttl: float) -> _Heartbeat:
    key = (url, keys.ns, worker)
    if key not in _HEARTBEATS:
        server, scripts = connect(url)
        _HEARTBEATS[key] = _Heartbeat(server, scripts, keys, worker, ttl)
    return _HEARTBEATS[key]


class DistributedCrawl:
    """Extension that makes one site's crawler a worker of the shared crawl.

    * heartbeat of the worker process (``GOVAUDIT_HEARTBEAT_SECONDS``);
    * acknowledges each popped request once the scraper has finished with its
      response or failure (so its items and follow-up requests are in Redis);
    * keeps the spider open while any worker still has work for the site, and
      marks the site done in ``NS:done`` when none has;
    * on close, puts its unacknowledged requests back and ships its stats.
    """

    def __init__(self, crawler: Crawler):
        s = crawler.settings
        self.url, self.keys = _redis_conf(s)
        self.server, self.scripts = connect(self.url)
        self.crawler = crawler
        self.worker = worker_id(s)
        self.poll = s.getfloat("GOVAUDIT_REDIS_POLL_SECONDS", 0.5)
        self.heartbeat = heartbeat_for(self.url, self.keys, self.worker, s.getfloat("GOVAUDIT_HEARTBEAT_SECONDS", 30))
        self.acked = 0
        self.reseeding: Any = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "DistributedCrawl":
        from scrapy.core.scraper import Slot

        if not hasattr(Slot, "finish_response"):  # the hook acknowledgements need
            raise RuntimeError("distributed mode needs scrapy.core.scraper.Slot.finish_response "
                               "(tested with Scrapy 2.13-2.19); this Scrapy lacks it")
        return cls(crawler)

    @property
    def rid(self) -> int:
        return int(self.crawler.spider.run_id)

    def spider_opened(self, spider: Any = None) -> None:
        self.heartbeat.start()
        self.server.sadd(self.keys.run_workers(self.rid), self.worker)
        engine = self.crawler.engine
        # other workers' requests appear in Redis without waking this engine: look often
        engine._SLOT_HEARTBEAT_INTERVAL = self.poll
        slot = engine.scraper.slot
        finish = slot.finish_response

        def finish_response(result: Any, request: Request) -> Any:
            try:
                return finish(result, request)
            finally:
                if ack(self.server, self.scripts, self.keys, self.worker, request):
                    self.acked += 1

        slot.finish_response = finish_response

    def spider_idle(self, spider: Any = None) -> None:
        if site_done(self.server, self.scripts, self.keys, self.rid):
            return
        if self.reseeding is None and self.scripts.take_seed(
                keys=[self.keys.seed(self.rid), self.keys.seeded(self.rid)], args=[self.keys.ns, self.worker]):
            from scrapy.utils.defer import deferred_from_coro

            logger.warning("the worker seeding run %s died before it had queued the start requests: "
                           "seeding it here", self.rid)
            self.reseeding = deferred_from_coro(self._reseed())
        raise DontCloseSpider

    async def _reseed(self) -> None:
        """Queue the spider's start requests (URLs already claimed and queued are skipped by the claims)."""
        try:
            async for request in self.crawler.spider.start():
                self.crawler.engine.crawl(request)
            self.server.set(self.keys.seeded(self.rid), 1)
        finally:
            self.reseeding = None

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        rid = self.rid
        try:
            self._close(rid, reason)
        finally:
            self.heartbeat.stop()

    def _close(self, rid: int, reason: str) -> None:
        back = requeue_own(self.server, self.scripts, self.keys, self.worker, rid)
        if back:
            logger.info("closing (%s): %d unfinished requests of run %s went back to the queue", reason, back, rid)
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        payload = {
            "type": "stats", "run": rid, "worker": self.worker, "reason": reason,
            "stats": {
                "requests": int(stats.get("downloader/request_count", 0)),
                "bytes_received": int(stats.get("downloader/response_bytes", 0)),
                "acked": self.acked,
                "traps_refused": sum(int(v) for k, v in stats.items() if k.startswith("trap/refused/")),
                "head_fallbacks": int(stats.get("govaudit/head_fallback", 0)),
                "page_limit_reached": bool(stats.get("govaudit/page_limit_reached")),
            },
        }
        pipe = self.server.pipeline()
        pipe.rpush(self.keys.items, json.dumps(payload))
        pipe.srem(self.keys.run_workers(rid), self.worker)
        pipe.execute()
