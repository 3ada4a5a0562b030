"""govaudit rules / govaudit rule NAME: the check catalogue with each check's 依据."""

from __future__ import annotations

import json
from typing import Any

from ..errors import UserError


def register(sub: Any) -> None:
    p = sub.add_parser("rules", help="list the checks: code, name, problem type")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=run_list)
    q = sub.add_parser("rule", help="explain one check: what it finds, why, its 依据 and 整改要求")
    q.add_argument("name", help="check name or code, e.g. broken_link or GA101")
    q.add_argument("--json", action="store_true", help="print as JSON")
    q.set_defaults(func=run_one)


def _describe(spec: Any) -> dict[str, Any]:
    return {"code": spec.code, "name": spec.name, "title": spec.title, "severity": spec.severity,
            "doc": spec.doc, "basis": [b.to_dict() for b in spec.basis], "remedy": spec.remedy}


def run_list(args: Any) -> int:
    from checks import load_all

    specs = sorted(load_all().values(), key=lambda s: s.code)
    if args.json:
        print(json.dumps([_describe(s) for s in specs], ensure_ascii=False, indent=2))
        return 0
    for s in specs:
        print(f"{s.code}  {s.name:<28} {s.title}")
    return 0


def run_one(args: Any) -> int:
    from checks import load_all

    specs = load_all()
    spec = specs.get(args.name) or next((s for s in specs.values() if s.code.lower() == args.name.lower()), None)
    if spec is None:
        raise UserError(f"no check named {args.name!r}; `govaudit rules` lists them")
    if args.json:
        print(json.dumps(_describe(spec), ensure_ascii=False, indent=2))
        return 0
    print(f"{spec.name} ({spec.code}) — {spec.title}\n")
    print(spec.doc + "\n")
    print("依据:")
    for b in spec.basis:
        print(f"  - {b.document} {b.clause}：{b.text}")
    print(f"\n整改要求: {spec.remedy}")
    return 0
