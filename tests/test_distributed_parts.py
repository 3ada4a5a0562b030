"""The distributed-mode building blocks against a real redis-server (no crawl):
reliable queue, shared claims, reaper, host leases, item shipping, the job."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from typing import Any

import pytest
import scrapy
from scrapy.settings import Settings

from govaudit.models import Fetch, Link, PageFacts

from .test_distributed_fixtures import RedisServer, needs_redis, redis_server  # noqa: F401

pytestmark = needs_redis

NS = "govaudit:t"


@pytest.fixture
def r(redis_server: RedisServer) -> Any:  # noqa: F811
    redis_server.flush()
    return redis_server.client()


def make_queue(url: str, worker: str, rid: int = 7, seen: Any = None, **settings: Any) -> Any:
    from crawler.distributed import Keys, ReliableQueue, connect

    class S(scrapy.Spider):
        name = "govaudit"

    spider = S()
    spider.run_id = rid
    spider.seen = seen
    spider.crawler = SimpleNamespace(settings=Settings({"GOVAUDIT_REDIS_URL": url, "GOVAUDIT_REDIS_NS": NS,
                                                        "GOVAUDIT_WORKER_ID": worker, **settings}))
    server, _ = connect(url)
    return ReliableQueue(server, spider, Keys(NS).queue(rid))


def req(url: str, priority: int = 0) -> scrapy.Request:
    return scrapy.Request(url, priority=priority, dont_filter=True, meta={"govaudit_url": url})


# ---------------------------------------------------------------------------- reliable queue
def test_pop_keeps_the_request_in_flight_until_acked(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    from crawler.distributed import Keys, ack, connect

    q = make_queue(redis_server.url, "w1")
    q.push(req("http://a.test/low", 0))
    q.push(req("http://a.test/high", 5))
    got = q.pop()
    assert got.url == "http://a.test/high"  # priority first
    assert len(q) == 1
    assert r.hlen(f"{NS}:inflight:w1") == 1
    assert int(r.get(f"{NS}:run:7:inflight")) == 1
    server, scripts = connect(redis_server.url)
    assert ack(server, scripts, Keys(NS), "w1", got)
    assert r.hlen(f"{NS}:inflight:w1") == 0
    assert int(r.get(f"{NS}:run:7:inflight")) == 0
    assert not ack(server, scripts, Keys(NS), "w1", got)  # once only


def test_dead_workers_requests_go_back_to_the_queue(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    from crawler.distributed import Keys, connect, reap_dead_workers

    server, scripts = connect(redis_server.url)
    keys = Keys(NS)
    q1 = make_queue(redis_server.url, "dead")
    q2 = make_queue(redis_server.url, "alive")
    q1.push(req("http://a.test/1"))
    q1.push(req("http://a.test/2"))
    lost = q1.pop()
    kept = q2.pop()
    r.sadd(keys.workers, "dead", "alive")
    r.set(keys.heartbeat("alive"), 1, px=60000)  # "dead" has no heartbeat key
    assert reap_dead_workers(server, scripts, keys) == 1
    assert not r.exists(keys.inflight("dead"))
    assert r.smembers(keys.workers) == {b"alive"}
    assert r.hlen(keys.inflight("alive")) == 1  # a live worker keeps its requests
    assert int(r.get(keys.inflight_count(7))) == 1
    again = q2.pop()
    assert again.url == lost.url != kept.url


def test_a_redirect_hands_the_request_back_and_acks_it(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    q = make_queue(redis_server.url, "w1")
    q.push(req("http://a.test/old"))
    got = q.pop()
    q.push(got.replace(url="http://a.test/new"))  # what RedirectMiddleware schedules
    assert r.hlen(f"{NS}:inflight:w1") == 0
    assert int(r.get(f"{NS}:run:7:inflight")) == 0
    nxt = q.pop()
    assert nxt.url == "http://a.test/new"
    assert nxt.meta["govaudit_url"] == "http://a.test/old"


# ---------------------------------------------------------------------------- claims
def test_claims_are_shared_between_workers(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    from crawler.distributed import RedisSeen, connect

    server, _ = connect(redis_server.url)
    a, b = RedisSeen(server, f"{NS}:run:1:seen"), RedisSeen(server, f"{NS}:run:1:seen")
    assert a.add("http://a.test/x") is True
    assert b.add("http://a.test/x") is False
    assert "http://a.test/x" in b
    assert b.add("http://a.test/y") is True
    assert len(a) == 2


def test_a_claim_becomes_durable_only_with_its_queued_request(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    from crawler.distributed import RedisSeen, connect
    from crawler.traps import canonical_url

    server, _ = connect(redis_server.url)
    key = canonical_url("http://a.test/p.html")
    a = RedisSeen(server, f"{NS}:run:7:seen", claim_on_push=True)
    b = RedisSeen(server, f"{NS}:run:7:seen", claim_on_push=True)
    qa = make_queue(redis_server.url, "wa", seen=a)
    qb = make_queue(redis_server.url, "wb", seen=b)
    assert a.add(key)
    # worker a could die right here: the claim is not in Redis, so the URL is not lost
    assert not r.sismember(f"{NS}:run:7:seen", key)
    assert b.add(key)
    qa.push(req("http://a.test/p.html"))
    qb.push(req("http://a.test/p.html"))  # b lost the race at queueing time
    assert len(qa) == 1
    assert r.sismember(f"{NS}:run:7:seen", key)
    c = RedisSeen(server, f"{NS}:run:7:seen", claim_on_push=True)
    assert key in c and not c.add(key)


def test_page_and_url_limits_hold_for_all_workers_together(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    from crawler.distributed import RedisSeen, connect
    from crawler.traps import canonical_url

    server, _ = connect(redis_server.url)
    limits = {"GOVAUDIT_MAX_PAGES": 3, "GOVAUDIT_MAX_URLS": 5}
    queues = []
    for w in ("wa", "wb"):
        seen = RedisSeen(server, f"{NS}:run:7:seen", claim_on_push=True)
        queues.append((seen, make_queue(redis_server.url, w, seen=seen, **limits)))

    def claim_and_push(i: int, url: str, role: str) -> None:
        seen, q = queues[i % 2]
        if seen.add(canonical_url(url)):
            request = req(url)
            request.meta["govaudit_role"] = role
            q.push(request)

    for i in range(4):  # each worker alone would stay under 3 pages
        claim_and_push(i, f"http://a.test/p{i}.html", "page")
    for i in range(4):
        claim_and_push(i, f"http://a.test/f{i}.pdf", "check")
    queued = [queues[0][1].pop() for _ in range(10)]
    urls = [q.url for q in queued if q is not None]
    assert len([u for u in urls if u.endswith(".html")]) == 3
    assert len(urls) == 5


def test_site_is_done_only_when_seeded_and_nothing_is_queued_or_in_flight(redis_server: RedisServer,  # noqa: F811
                                                                         r: Any) -> None:
    from crawler.distributed import Keys, ack, connect, site_done

    server, scripts = connect(redis_server.url)
    keys = Keys(NS)
    assert not site_done(server, scripts, keys, 7)  # not seeded yet
    q = make_queue(redis_server.url, "w1")
    q.push(req("http://a.test/1"))
    r.set(keys.seeded(7), 1)
    assert not site_done(server, scripts, keys, 7)  # queued
    got = q.pop()
    assert not site_done(server, scripts, keys, 7)  # in flight
    ack(server, scripts, keys, "w1", got)
    assert site_done(server, scripts, keys, 7)
    assert r.sismember(keys.done, 7)


# ---------------------------------------------------------------------------- politeness
def test_host_leases_hold_the_limit_across_workers(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    from crawler.distributed import HostLeaseMiddleware, connect

    server, scripts = connect(redis_server.url)
    workers = [HostLeaseMiddleware(server, scripts, limit=2, delay=0, ttl=30) for _ in range(2)]
    active = {"now": 0, "max": 0}

    async def fetch(mw: HostLeaseMiddleware, i: int) -> None:
        request = scrapy.Request(f"http://slow.test/{i}")
        await mw.process_request(request)
        active["now"] += 1
        active["max"] = max(active["max"], active["now"])
        await asyncio.sleep(0.03)
        active["now"] -= 1
        mw.process_response(request, None)

    async def main() -> None:
        await asyncio.gather(*(fetch(workers[i % 2], i) for i in range(10)))

    asyncio.run(main())
    assert active["max"] == 2
    assert r.zcard("govaudit:host:slow.test") == 0  # every lease given back


def test_host_delay_spaces_request_starts(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    from crawler.distributed import Keys, connect

    _, scripts = connect(redis_server.url)
    args = [4, 300, 30000]
    keys = [Keys.host("d.test"), Keys.host_next("d.test"), Keys.host_conf("d.test")]
    assert scripts.lease(keys=keys, args=args + ["t1"]) == 0
    wait = scripts.lease(keys=keys, args=args + ["t2"])
    assert 200 < wait <= 300


def test_a_hosts_own_site_sets_its_politeness_for_everyone(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    from crawler.distributed import HostLeaseMiddleware, Keys, connect

    server, scripts = connect(redis_server.url)
    own = HostLeaseMiddleware(server, scripts, limit=1, delay=0, ttl=30)
    own.register_hosts({"gentle.test:8080"})
    other_site = HostLeaseMiddleware(server, scripts, limit=4, delay=0, ttl=30)  # checks a link to gentle.test
    keys = [Keys.host("gentle.test"), Keys.host_next("gentle.test"), Keys.host_conf("gentle.test")]
    assert scripts.lease(keys=keys, args=[other_site.limit, 0, 30000, "t1"]) == 0
    assert scripts.lease(keys=keys, args=[other_site.limit, 0, 30000, "t2"]) > 0
    assert scripts.lease(keys=[Keys.host("x.test"), Keys.host_next("x.test"), Keys.host_conf("x.test")],
                         args=[other_site.limit, 0, 30000, "t3"]) == 0


def test_held_leases_are_renewed_released_ones_are_not(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    from crawler.distributed import HostLeaseMiddleware, Keys, connect

    server, scripts = connect(redis_server.url)
    mw = HostLeaseMiddleware(server, scripts, limit=2, delay=0, ttl=0.3)
    kept, freed = scrapy.Request("http://renew.test/1"), scrapy.Request("http://renew.test/2")

    async def take() -> None:
        await mw.process_request(kept)
        await mw.process_request(freed)

    asyncio.run(take())
    mw.process_response(freed, None)
    for _ in range(3):  # the heartbeat renews every ttl/4; here 0.15 s apart, 0.45 s in all
        time.sleep(0.15)
        mw.renew()
    assert r.zrange("govaudit:host:renew.test", 0, -1) == [kept.meta["govaudit_lease"][1].encode()]
    time.sleep(0.35)  # a dead worker renews nothing: its lease goes, the host is free for one more
    keys = [Keys.host("renew.test"), Keys.host_next("renew.test"), Keys.host_conf("renew.test")]
    assert scripts.lease(keys=keys, args=[1, 0, 30000, "next"]) == 0


def test_a_dead_workers_lease_expires(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    from crawler.distributed import Keys, connect

    _, scripts = connect(redis_server.url)
    keys = [Keys.host("e.test"), Keys.host_next("e.test"), Keys.host_conf("e.test")]
    assert scripts.lease(keys=keys, args=[1, 0, 200, "dies"]) == 0
    assert scripts.lease(keys=keys, args=[1, 0, 200, "waits"]) > 0
    time.sleep(0.25)
    assert scripts.lease(keys=keys, args=[1, 0, 200, "waits"]) == 0


# ---------------------------------------------------------------------------- items and the job
def test_items_survive_the_trip_through_json() -> None:
    from crawler.distributed import item_from_json, item_to_json

    fetch = Fetch(url="http://a.test/x.html", status=200, redirects=["http://a.test/y"], length=10, depth=2)
    facts = PageFacts(url="http://a.test/x.html", title="标题", published="2026-11-20",
                      links=[Link(url="http://a.test/z.pdf", text="附件", kind="attachment", context="body")])
    back = item_from_json(item_to_json({"type": "fetch", "fetch": fetch, "facts": facts}, 3))
    assert back["run"] == 3
    assert back["fetch"] == fetch
    assert back["facts"] == facts
    probe = item_from_json(item_to_json({"type": "probe", "host": "a.test", "url": "u", "status": 404,
                                         "final_url": "u", "title": "", "text": "页面不存在"}, 3))
    assert probe["text"] == "页面不存在" and probe["status"] == 404


def test_publishing_joins_the_same_audit_and_refuses_another(redis_server: RedisServer, r: Any) -> None:  # noqa: F811
    from govaudit.audit import SiteSpec
    from govaudit.crawl import CrawlOptions
    from govaudit.distributed import DistributedError, publish_job

    sites = [(SiteSpec(url="http://a.test/xxgk/"), CrawlOptions(delay=0)),
             (SiteSpec(url="http://b.test/xxgk/", hosts=["c.test"]), CrawlOptions())]
    job, created = publish_job(redis_server.url, sites, job="t", as_of="2026-11-22")
    assert created and [s.rid for s in job.sites] == [1, 2]
    assert job.sites[1].options.hosts == ["c.test"]
    again, created = publish_job(redis_server.url, list(reversed(sites)), job="t")
    assert not created and again.job_id == job.job_id
    with pytest.raises(DistributedError, match="unfinished shared audit"):
        publish_job(redis_server.url, sites[:1], job="t")
    r.set(f"{NS}:collected", 1)  # the collector finished it: the next site list starts a new audit
    new, created = publish_job(redis_server.url, sites[:1], job="t")
    assert created and new.job_id != job.job_id and new.sites[0].rid == 3
    forced, created = publish_job(redis_server.url, sites, job="t", replace=True)
    assert created and [s.rid for s in forced.sites] == [4, 5]
