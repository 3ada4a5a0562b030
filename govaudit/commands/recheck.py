"""govaudit recheck: run the checks and reports again on a stored run (no crawling)."""

from __future__ import annotations

import argparse
from typing import Any

from ..audit import recheck
from ._options import add_output_names, load_plan_arg, output_names, print_summary, report_meta


def register(sub: Any) -> None:
    p = sub.add_parser(
        "recheck",
        help="re-run the checks and the 通报 on a stored run, without crawling",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Checks are functions over stored facts: re-checking never needs a re-crawl.\n\n"
            "example:\n"
            "  govaudit recheck --db govaudit.db --out report2/ --plan plan.yaml"
        ),
    )
    p.add_argument("--db", default="govaudit.db", metavar="FILE", help="the store (default ./govaudit.db)")
    p.add_argument("--run", type=int, default=None, metavar="ID", help="run id (default: the latest run)")
    p.add_argument("--out", default="govaudit-report", metavar="DIR", help="output folder")
    p.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", help="audit date (default: the run's own)")
    p.add_argument("--plan", default=None, metavar="PLAN", help="work plan to apply")
    p.add_argument("--template-dir", default=None, metavar="DIR")
    p.add_argument("--title", default=None)
    p.add_argument("--issuer", default="")
    p.add_argument("--recipients", default="")
    add_output_names(p)
    p.set_defaults(func=run)


def run(args: Any) -> int:
    result = recheck(db=args.db, run_id=args.run, out=args.out, as_of=args.as_of, plan=load_plan_arg(args.plan),
                     template_dir=args.template_dir, report_meta=report_meta(args),
                     names=output_names(args))
    print_summary(result, args.out)
    return 0
