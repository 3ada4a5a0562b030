"""Option groups shared by the commands that crawl (audit, demo, run)."""

from __future__ import annotations

import argparse
from typing import Any

from ..crawl import CrawlOptions


def add_crawl_options(p: argparse.ArgumentParser, *, delay: float = 0.5, concurrency: int = 2) -> None:
    g = p.add_argument_group("crawling (politeness and limits)")
    g.add_argument("--per-host-concurrency", type=int, default=concurrency, metavar="N",
                   help=f"parallel requests per host (default {concurrency})")
    g.add_argument("--delay", type=float, default=delay, metavar="SECONDS",
                   help=f"delay between requests to one host; 0 disables the delay and AutoThrottle (default {delay})")
    g.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS", help="per-request timeout (default 20)")
    g.add_argument("--retries", type=int, default=2, metavar="N",
                   help="retries for timeouts, resets, 429/5xx (with backoff, honouring Retry-After; default 2)")
    g.add_argument("--max-pages", type=int, default=5000, metavar="N", help="HTML pages crawled per site (default 5000)")
    g.add_argument("--max-depth", type=int, default=12, metavar="N", help="link depth from the start URL (default 12)")
    g.add_argument("--max-urls", type=int, default=50000, metavar="N",
                   help="URLs requested per site, pages and checked links together (default 50000)")
    g.add_argument("--allow-host", action="append", default=[], metavar="HOST",
                   help="also crawl pages on this host (repeatable); other hosts' links are only checked")
    g.add_argument("--allow-prefix", action="append", default=[], metavar="URL_PREFIX",
                   help="also crawl URLs starting with this prefix (repeatable)")
    g.add_argument("--exclude", default="", metavar="REGEX", help="never crawl URLs matching this regular expression")
    g.add_argument("--ignore-robots", action="store_true",
                   help="do not obey robots.txt (only for sites you are responsible for; obeyed by default)")
    g.add_argument("--no-external", action="store_true", help="do not check links to other hosts")
    g.add_argument("--user-agent", default=None, help="User-Agent header to send")
    g.add_argument("--log-file", default=None, metavar="FILE", help="write the crawl log to FILE")
    g.add_argument("--read-processes", type=int, default=None, metavar="N",
                   help="processes reading pages beside the crawl (default: 1 on a machine with two or more "
                        "cores, else 0; 0 reads pages in the crawling process)")
    g.add_argument("--full", action="store_true",
                   help="download every page again (default: conditional requests against the site's previous "
                        "finished run; unchanged pages answer 304 and their stored facts are reused)")


def add_report_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("audit and report")
    g.add_argument("--db", default="govaudit.db", metavar="FILE",
                   help="SQLite store of runs, pages, links and findings (default ./govaudit.db)")
    g.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", help="audit date for every date rule (default today)")
    g.add_argument("--plan", default=None, metavar="PLAN",
                   help="work plan (分工方案) as .txt/.html/.docx/.yaml: its clauses and parameters apply")
    g.add_argument("--template-dir", default=None, metavar="DIR", help="use your own copies of the report templates")
    g.add_argument("--title", default=None, help="title of the 通报")
    g.add_argument("--issuer", default="", help="发文机关 printed under the 通报")
    g.add_argument("--recipients", default="", help="主送机关, e.g. 各乡镇人民政府，县政府各部门：")
    g.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    add_output_names(p)


def add_output_names(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("output file names (inside --out)")
    for key, default in (("docx", "通报.docx"), ("html", "通报.html"), ("json", "findings.json"),
                         ("csv", "findings.csv")):
        g.add_argument(f"--{key}-name", default=default, metavar="NAME", help=f"default {default}")


def output_names(args: Any) -> dict[str, str]:
    """{"docx": …, "html": …, "json": …, "csv": …} from --docx-name … (plain names, no folders)."""
    from ..errors import UserError

    names = {}
    for key in ("docx", "html", "json", "csv"):
        name = getattr(args, f"{key}_name", None)
        if not name:
            continue
        if "/" in name or "\\" in name or name in (".", ".."):
            raise UserError(f"bad --{key}-name {name!r}: give a file name, not a path (files go into --out)")
        names[key] = name
    return names


def add_site_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("site")
    g.add_argument("--name", default="", help="site name in the 通报 (default: the site's SiteName)")
    g.add_argument("--owner", default="", help="the body that runs the site (for the annual-report check)")
    g.add_argument("--owner-type", choices=["government", "department"], default="",
                   help="government reports are due by 03-31, department reports by 01-31")
    g.add_argument("--unit", default="", help="responsible unit (责任单位) named in the 问题清单")


def crawl_options(args: Any) -> CrawlOptions:
    from ..errors import UserError

    if getattr(args, "read_processes", None) is not None and args.read_processes < 0:
        raise UserError(f"bad --read-processes {args.read_processes}: give 0 (read pages in the crawling "
                        "process) or more")
    return CrawlOptions(
        per_host_concurrency=args.per_host_concurrency,
        delay=args.delay,
        timeout=args.timeout,
        retries=args.retries,
        max_pages=args.max_pages,
        max_depth=args.max_depth,
        max_urls=args.max_urls,
        obey_robots=not args.ignore_robots,
        check_external=not args.no_external,
        hosts=list(args.allow_host),
        prefixes=list(args.allow_prefix),
        exclude=args.exclude,
        user_agent=args.user_agent,
        log_level="INFO" if getattr(args, "verbose", 0) else "WARNING",
        log_file=args.log_file,
        conditional=not getattr(args, "full", False),
        read_processes=getattr(args, "read_processes", None),
    )


def load_plan_arg(path: str | None) -> Any:
    if not path:
        return None
    from ..plan import load_plan

    return load_plan(path)


def report_meta(args: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if getattr(args, "title", None):
        meta["title"] = args.title
    if getattr(args, "issuer", ""):
        meta["issuer"] = args.issuer
    if getattr(args, "recipients", ""):
        meta["recipients"] = args.recipients
    return meta


def print_summary(result: Any, out: str) -> None:
    rep = result.report
    for s in rep["sites"]:
        flag = " (interrupted)" if s["stats"].get("interrupted") else ""
        print(f"{s['name']}: {s['verdict']}, {s['findings']} findings, {s['stats'].get('pages', 0)} pages, "
              f"{s['stats'].get('urls_checked', 0)} URLs checked{flag}")
    counts = ", ".join(f"{t['title']} {t['count']}" for t in rep["by_type"]) or "no problems found"
    print(f"findings by type: {counts}")
    tr = rep["tracking"]
    if tr.get("previous_run"):
        print(f"since run {tr['previous_run']['id']}: {tr['new']} new, {tr['open']} still open, {tr['fixed']} fixed")
    for key in ("html", "docx", "json", "csv"):
        if key in result.outputs:
            print(f"{key:>5}: {result.outputs[key]}")
