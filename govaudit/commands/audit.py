"""govaudit audit URL: crawl one site and write its 通报."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..audit import SiteSpec, audit_sites
from ..errors import UserError
from ._options import (add_crawl_options, add_report_options, add_site_options, crawl_options, load_plan_arg,
                       output_names, print_summary, report_meta)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "audit",
        help="audit one site: crawl, check, write the 通报",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Crawl the 政府信息公开专栏 at URL, store what it finds in --db, run every check and write\n"
            "通报.html, 通报.docx, findings.json and findings.csv into --out.\n\n"
            "example:\n"
            "  govaudit audit http://www.example.gov.cn/xxgk/ --out report/ --as-of 2026-11-22\n"
            "  govaudit audit http://www.example.gov.cn/xxgk/ --plan 分工方案.docx --unit 县政务服务数据管理局"
        ),
    )
    p.add_argument("url", help="entry URL of the 专栏 (http or https)")
    p.add_argument("--out", default="govaudit-report", metavar="DIR", help="output folder (default ./govaudit-report)")
    p.add_argument("--resume", action="store_true",
                   help="continue the site's interrupted run (stopped or killed) instead of starting again")
    add_report_options(p)
    add_site_options(p)
    add_crawl_options(p)
    p.set_defaults(func=run)


def run(args: Any) -> int:
    plan = load_plan_arg(args.plan)
    spec = SiteSpec(url=args.url, name=args.name, owner=args.owner, owner_type=args.owner_type, unit=args.unit)
    result = audit_sites([spec], db=args.db, out=args.out, as_of=args.as_of, options=crawl_options(args), plan=plan,
                         template_dir=args.template_dir, report_meta=report_meta(args),
                         names=output_names(args), resume=args.resume)
    print_summary(result, args.out)
    if result.unreachable:
        raise UserError(f"cannot reach the start URL {args.url}: "
                        f"{result.report['sites'][0]['verdict_reasons'][0].split('：', 1)[-1]}")
    if result.interrupted:
        print("govaudit: the crawl was interrupted; the report covers what was collected", file=sys.stderr)
        return 3
    return 0
