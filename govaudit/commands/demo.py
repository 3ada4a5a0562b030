"""govaudit demo: serve the bundled demo site on 127.0.0.1 and audit it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..audit import SiteSpec, audit_sites, parse_as_of
from ..crawl import CrawlOptions
from ._options import print_summary

DEMO_PLAN = Path(__file__).resolve().parent.parent / "demo" / "assets" / "demo_plan.txt"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="serve the bundled demo site on 127.0.0.1 and audit it",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Builds a realistic demo 政府信息公开专栏 (TRS and Hanweb lists, GBK pages, planted broken\n"
            "links, stale and empty columns, missing and late 解读, annual-report problems), serves it on\n"
            "127.0.0.1, audits it like `govaudit audit` and prints where the 通报 is.\n\n"
            "examples:\n"
            "  govaudit demo --out demo-report\n"
            "  govaudit demo --out demo-report --round 2   # the site after some 整改: new and fixed findings"
        ),
    )
    p.add_argument("--out", default="govaudit-demo", metavar="DIR", help="output folder (default ./govaudit-demo)")
    p.add_argument("--db", default=None, metavar="FILE", help="store (default DIR/govaudit.db)")
    p.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", help="audit date (default today)")
    p.add_argument("--round", type=int, default=1, choices=[1, 2],
                   help="1: the site as first inspected; 2: after 整改 (some problems fixed, one new)")
    p.add_argument("--port", type=int, default=8765, help="port of the demo site (default 8765; busy: a free one)")
    p.add_argument("--no-plan", action="store_true", help="audit without the bundled demo plan")
    p.add_argument("--serve", action="store_true", help="only serve the demo site until Ctrl-C")
    p.add_argument("-v", "--verbose", action="count", default=0)
    p.set_defaults(func=run)


def _serve(site: Any, port: int) -> Any:
    from ..demo.site import serve

    try:
        return serve(site, port=port, ext_port=port)
    except OSError:
        print(f"govaudit: port {port} is busy; serving the demo on a free port", file=sys.stderr)
        return serve(site)


def run(args: Any) -> int:
    from ..demo.site import build_demo

    as_of = parse_as_of(args.as_of)
    site = build_demo(as_of, round=args.round)
    servers = _serve(site, args.port)
    try:
        if args.serve:
            print(f"serving the demo site at {servers.start_url} (Ctrl-C to stop)")
            import threading

            threading.Event().wait()
            return 0
        plan = None
        if not args.no_plan and DEMO_PLAN.exists():
            from ..plan import load_plan

            plan = load_plan(DEMO_PLAN)
        db = args.db or str(Path(args.out) / "govaudit.db")
        options = CrawlOptions(per_host_concurrency=8, delay=0, timeout=3, retries=1, obey_robots=True,
                               log_level="INFO" if args.verbose else "ERROR")
        spec = SiteSpec(url=servers.start_url, name="示范县人民政府", owner="示范县人民政府", owner_type="government",
                        unit="县政务服务数据管理局")
        result = audit_sites([spec], db=db, out=args.out, as_of=as_of.isoformat(), options=options, plan=plan,
                             report_meta={"issuer": "示范县人民政府办公室", "recipients": "各乡镇人民政府，县政府各部门："})
    finally:
        servers.stop()
    print_summary(result, args.out)
    print(f"the 通报 is at {result.outputs.get('html')}")
    return 0
