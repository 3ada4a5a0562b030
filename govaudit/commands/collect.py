"""govaudit collect: the one writer of a shared audit's store."""

from __future__ import annotations

import argparse
from typing import Any

from ._options import load_plan_arg, print_summary, report_meta


def register(sub: Any) -> None:
    p = sub.add_parser(
        "collect",
        help="write a shared audit's results from Redis into the store, then the 通报",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Run exactly one collector per shared audit, on the machine that keeps the store.\n"
            "It creates the store's runs, writes what the workers ship, closes each run when no\n"
            "worker has work left for it, then writes the 通报 and findings into --out.\n\n"
            "example:\n"
            "  govaudit collect --redis redis://10.0.0.5:6379/0 --db province.db --out report/"
        ),
    )
    p.add_argument("--redis", required=True, metavar="URL", help="the shared Redis, e.g. redis://10.0.0.5:6379/0")
    p.add_argument("--job", default="audit", metavar="NAME", help="name of the shared audit (default audit)")
    p.add_argument("--db", default="govaudit.db", metavar="FILE", help="the store (default ./govaudit.db)")
    p.add_argument("--out", default="govaudit-report", metavar="DIR", help="output folder of the 通报")
    p.add_argument("--no-report", action="store_true", help="only fill the store (use `govaudit recheck` later)")
    p.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", help="audit date (default: the shared audit's)")
    p.add_argument("--plan", default=None, metavar="PLAN", help="work plan to apply")
    p.add_argument("--wait", type=float, default=60.0, metavar="SECONDS",
                   help="how long to wait for the audit to be published (default 60)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="give up when the sites are not all done by then (default: wait)")
    p.add_argument("--template-dir", default=None, metavar="DIR")
    p.add_argument("--title", default=None)
    p.add_argument("--issuer", default="")
    p.add_argument("--recipients", default="")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    p.set_defaults(func=run)


def run(args: Any) -> int:
    from ..distributed import collect

    result = collect(args.redis, db=args.db, job=args.job, out=None if args.no_report else args.out,
                     as_of=args.as_of, plan=load_plan_arg(args.plan), wait=args.wait, timeout=args.timeout,
                     template_dir=args.template_dir, report_meta=report_meta(args))
    print(f"collected {result.items} items of {len(result.run_ids)} sites into {args.db} "
          f"(store runs {', '.join(str(v) for v in result.run_ids.values())})")
    if result.report is not None:
        print_summary(result.report, args.out)
    return 0
