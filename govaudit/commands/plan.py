"""govaudit plan import PLAN_FILE: read a 分工方案 / 任务分解表 into requirements."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import UserError

IMPORT_HELP = """\
Read a 政务公开 work plan (分工方案 / 实施方案 / 任务分解表) as text, HTML or .docx and
list its numbered tasks as requirements: clause number, text, 牵头/责任单位, 完成时限,
the automatic checks each task maps to and the parameters read from its wording
(e.g. 解读 within 10 working days, 年报 by 3月31日).  Tasks no check can verify are
marked manual and appear in the 通报 as items to verify by hand.  Which wording
maps to which check is data: govaudit/plan_rules.toml.

examples:
  govaudit plan import 2024年政务公开工作要点分工方案.docx            # summary, one line per task
  govaudit plan import plan.html --json > plan.json                  # structured, for scripts
  govaudit plan import plan.txt --out plan.yaml                      # YAML to review and edit
  govaudit audit http://www.example.gov.cn/xxgk/ --plan plan.yaml    # audit against it
"""


def register(sub: Any) -> None:
    p = sub.add_parser("plan", help="work plans (分工方案): import a plan into requirements",
                       description="Work plans (分工方案 / 任务分解表) as requirements for the audit.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    psub = p.add_subparsers(dest="plan_command", metavar="SUBCOMMAND")
    imp = psub.add_parser("import", help="read a plan (.txt/.html/.docx, or a reviewed .yaml/.json) into requirements",
                          description=IMPORT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("plan_file", metavar="PLAN_FILE", help="the plan: .txt, .html/.htm, .docx, .yaml/.yml or .json")
    imp.add_argument("--json", action="store_true", help="print the requirements as JSON on stdout")
    imp.add_argument("--out", metavar="FILE",
                     help="write the requirements to FILE (.yaml/.yml for review and editing, or .json)")
    imp.set_defaults(func=run)
    p.set_defaults(func=lambda args: _no_subcommand(p))


def _no_subcommand(p: argparse.ArgumentParser) -> int:
    p.print_help()
    return 2


def run(args: Any) -> int:
    from ..plan import load_plan, summary

    plan = load_plan(args.plan_file)
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() not in (".yaml", ".yml", ".json"):
            raise UserError(f"{out}: --out must end in .yaml, .yml or .json")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(plan.to_json() + "\n" if out.suffix.lower() == ".json" else plan.to_yaml(),
                           encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{out}: cannot write ({exc.strerror or exc})") from None
        manual = len(plan.manual_items())
        print(f"wrote {out}: {len(plan.items)} tasks, {len(plan.items) - manual} checked automatically, "
              f"{manual} to verify by hand", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(plan.to_json())
    elif not args.out:
        print(summary(plan))
    return 0
