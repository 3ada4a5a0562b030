"""govaudit worker: take part in a shared (distributed) audit through Redis."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import UserError
from ._options import add_crawl_options, crawl_options


def register(sub: Any) -> None:
    p = sub.add_parser(
        "worker",
        help="crawl the sites of a shared audit in Redis (run it on as many machines as you like)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Join the shared audit held in Redis and crawl its sites with every other worker.\n"
            "Given a site list (SITES.toml or URLs) and no unfinished audit in Redis, this process\n"
            "publishes it first (it is the coordinator).  Items go to Redis; `govaudit collect`\n"
            "writes them to the store.  See docs/distributed.md.\n\n"
            "examples:\n"
            "  govaudit worker sites.toml --redis redis://10.0.0.5:6379/0     # coordinator + worker\n"
            "  govaudit worker --redis redis://10.0.0.5:6379/0                # more workers\n"
            "  govaudit collect --redis redis://10.0.0.5:6379/0 --db province.db --out report/"
        ),
    )
    p.add_argument("targets", nargs="*", metavar="SITES.toml|URL",
                   help="site list or start URLs to publish (leave out to join the audit in Redis)")
    add_shared_options(p)
    p.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", help="audit date of a published job (default today)")
    p.add_argument("--parallel", type=int, default=4, metavar="N", help="sites this worker crawls at once (default 4)")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    add_crawl_options(p)
    p.set_defaults(func=run)


def add_shared_options(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    """--redis and the other options of a worker (``govaudit worker``, ``govaudit run --redis``)."""
    g = p.add_argument_group("distributed mode (docs/distributed.md)")
    g.add_argument("--redis", required=required, metavar="URL",
                   help="work on the shared audit in this Redis, e.g. redis://10.0.0.5:6379/0"
                        + ("" if required else " (the store is then written by `govaudit collect`)"))
    g.add_argument("--job", default="audit", metavar="NAME", help="name of the shared audit in Redis (default audit)")
    g.add_argument("--init", action="store_true",
                   help="publish this site list as a new shared audit, replacing the one in Redis")
    g.add_argument("--no-crawl", action="store_true", help="only publish the site list; do not crawl")
    g.add_argument("--wait", type=float, default=60.0, metavar="SECONDS",
                   help="how long to wait for a coordinator to publish the audit (default 60)")
    g.add_argument("--heartbeat", type=float, default=30.0, metavar="SECONDS",
                   help="a worker silent this long is dead; its requests go back to the queue (default 30)")
    g.add_argument("--worker-id", default=None, metavar="ID", help="name of this worker (default host:pid:random)")


def load_targets(targets: list[str], args: Any) -> list[tuple[Any, Any]]:
    """(SiteSpec, CrawlOptions) for a SITES.toml or a list of start URLs."""
    from ..audit import SiteSpec

    base = crawl_options(args)
    if len(targets) == 1 and targets[0].endswith(".toml"):
        from ..sites import load_sites

        cfg = load_sites(targets[0], base=base)
        for err in cfg.errors:
            print(f"govaudit: skipped: {err}", file=sys.stderr)
        if not cfg.sites:
            raise UserError(f"{targets[0]}: no usable [[sites]] entry")
        return [(e.spec, e.options) for e in cfg.sites]
    return [(SiteSpec(url=u), base) for u in targets]


def work(args: Any, sites: list[tuple[Any, Any]], *, report: dict[str, Any] | None = None) -> int:
    """Publish ``sites`` (if any and no audit is under way), then crawl until the audit is done."""
    from .. import distributed as dist

    if sites:
        job, created = dist.publish_job(args.redis, sites, job=args.job, as_of=args.as_of, report=report,
                                        replace=args.init)
        print(f"{'published' if created else 'joined'} shared audit {job.job_id}: {len(job.sites)} sites",
              file=sys.stderr)
    elif args.init:
        raise UserError("--init needs a site list (SITES.toml or URLs) to publish")
    if args.no_crawl:
        return 0
    level = "INFO" if getattr(args, "verbose", 0) else "WARNING"
    reasons = dist.run_worker(args.redis, job=args.job, max_parallel=args.parallel, wait=args.wait,
                              heartbeat=args.heartbeat, worker=args.worker_id, log_level=level,
                              log_file=getattr(args, "log_file", None))
    bad = {rid: r for rid, r in reasons.items() if r != "finished"}
    print(f"worker done: {len(reasons)} sites crawled here" + (f", {len(bad)} not finished" if bad else ""),
          file=sys.stderr)
    return 3 if bad else 0


def run(args: Any) -> int:
    return work(args, load_targets(args.targets, args) if args.targets else [])


def run_shared(args: Any) -> int:
    """``govaudit run SITES.toml --redis URL``: publish the site list if first, then work."""
    from ..sites import load_sites
    from ._options import report_meta

    cfg = load_sites(args.sites, base=crawl_options(args))
    for err in cfg.errors:
        print(f"govaudit: skipped: {err}", file=sys.stderr)
    if not cfg.sites:
        raise UserError(f"{args.sites}: no usable [[sites]] entry")
    return work(args, [(e.spec, e.options) for e in cfg.sites], report={**cfg.report, **report_meta(args)})
