"""govaudit checks: deterministic functions over stored facts.

Every check has a stable code (GA…), a short name, a 依据 and its own tests;
``govaudit rules`` lists them and ``govaudit rule NAME`` explains one.

Check codes by family:
  GA1xx links (错链、断链)        GA2xx columns (栏目)
  GA3xx 解读                      GA4xx 年度报告
"""

from __future__ import annotations

import importlib
import logging
import traceback
from typing import Any

from govaudit.models import Basis, Finding

from .base import REGISTRY, AuditContext, CheckSpec, check  # noqa: F401

logger = logging.getLogger(__name__)

#: Modules that register checks (each adds its checks to REGISTRY on import).
CHECK_MODULES = [
    "checks.links",
    "checks.columns",
    "checks.interpretation",
    "checks.annual_report",
]

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def load_all() -> dict[str, CheckSpec]:
    for mod in CHECK_MODULES:
        importlib.import_module(mod)
    return REGISTRY


def run_checks(ctx: AuditContext, select: list[str] | None = None) -> tuple[list[Finding], list[dict[str, Any]]]:
    """Run every registered check (or those named in ``select``) over one run.

    Returns (findings, errors).  A check that fails does not stop the others:
    its error is returned so the report can say which check did not run.
    """
    registry = load_all()
    findings: list[Finding] = []
    errors: list[dict[str, Any]] = []
    for name, spec in registry.items():
        if select and name not in select and spec.code not in select:
            continue
        try:
            found = list(spec(ctx))
        except Exception as exc:  # one broken check must not lose the others' findings
            logger.error("check %s failed: %s", name, exc)
            errors.append({"check": name, "code": spec.code, "error": f"{type(exc).__name__}: {exc}",
                           "traceback": traceback.format_exc(limit=5)})
            continue
        findings.extend(found)
    apply_plan_and_units(ctx, findings)
    findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.code, f.url or "", f.key))
    return findings, errors


def apply_plan_and_units(ctx: AuditContext, findings: list[Finding]) -> None:
    """Put the plan's clauses before the national 依据 and fill responsible units."""
    site_unit = (ctx.site_config or {}).get("unit")
    plan = ctx.plan
    for f in findings:
        if plan is not None:
            items = plan.items_for_check(f.check)
            plan_basis = [Basis(document=plan.title, clause=str(it.clause), text=it.text) for it in items]
            f.basis = plan_basis + [b for b in f.basis if b not in plan_basis]
            for it in items:
                for u in it.units:
                    if u not in f.units:
                        f.units.append(u)
        if site_unit and site_unit not in f.units:
            f.units.insert(0, site_unit)


def site_verdict(ctx: AuditContext, findings: list[Finding]) -> dict[str, Any]:
    """合格/不合格 with reasons (国办秘函〔2019〕19号 单项否决), from the columns family."""
    try:
        from .columns import site_verdict as columns_verdict
    except ImportError:
        return {"verdict": "合格", "reasons": []}
    return columns_verdict(ctx, findings)
