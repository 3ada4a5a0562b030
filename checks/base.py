"""The check framework: a registry of checks, each with a stable code, a name,
its 依据 and its 整改要求, run over the facts of one stored run.

A check is a plain function ``fn(ctx) -> Iterable[Finding]`` registered with
:func:`check`.  It reads facts through :class:`AuditContext` (never the
network) so re-checking a run never needs a re-crawl.

Example::

    from checks.base import check, AuditContext
    from govaudit.models import Basis

    @check(code="GA999", name="demo_rule", title="示例问题",
           basis=[Basis("国办秘函〔2019〕19号", "单项否决", "…")],
           remedy="请整改。")
    def demo_rule(ctx: AuditContext):
        for fetch, facts in ctx.pages():
            if not facts.title:
                yield demo_rule.finding(url=fetch["url"], reason="页面无标题")
"""

from __future__ import annotations

import datetime as _dt
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govaudit.models import Basis, Finding, PageFacts
from govaudit.store import Store

RULES_FILE = Path(__file__).with_name("rules.toml")


def load_rules() -> dict[str, Any]:
    """The national defaults: one data table (checks/rules.toml)."""
    with RULES_FILE.open("rb") as fh:
        return tomllib.load(fh)


@dataclass
class CheckSpec:
    code: str
    name: str
    title: str  # problem type as printed in the 通报 (e.g. 错链断链)
    func: Callable[["AuditContext"], Iterable[Finding]]
    basis: list[Basis] = field(default_factory=list)
    remedy: str = ""
    severity: str = "medium"
    doc: str = ""  # what it finds and why (from the function's docstring)

    def finding(self, *, url: str | None, reason: str, **kw: Any) -> Finding:
        """A Finding pre-filled with this check's code, name, 依据, 整改要求 and severity.

        Keyword arguments that are not Finding fields go into ``data``.
        """
        common = {"severity", "pages", "units", "key", "title", "remedy", "basis", "data"}
        data = dict(kw.pop("data", {}) or {})
        args = {k: kw.pop(k) for k in list(kw) if k in common}
        data.update(kw)
        args.setdefault("severity", self.severity)
        args.setdefault("remedy", self.remedy)
        args.setdefault("basis", list(self.basis))
        return Finding(check=self.name, code=self.code, url=url, reason=reason, data=data, **args)

    def __call__(self, ctx: "AuditContext") -> Iterable[Finding]:
        return self.func(ctx)


REGISTRY: dict[str, CheckSpec] = {}


def check(*, code: str, name: str, title: str, basis: list[Basis] | None = None, remedy: str = "",
          severity: str = "medium") -> Callable[[Callable], CheckSpec]:
    def deco(fn: Callable) -> CheckSpec:
        if name in REGISTRY and REGISTRY[name].code != code:
            raise ValueError(f"check {name} registered twice with different codes")
        for other in REGISTRY.values():
            if other.code == code and other.name != name:
                raise ValueError(f"code {code} used by {other.name} and {name}")
        spec = CheckSpec(code=code, name=name, title=title, func=fn, basis=list(basis or []), remedy=remedy,
                         severity=severity, doc=(fn.__doc__ or "").strip())
        REGISTRY[name] = spec
        return spec

    return deco


class AuditContext:
    """What a check sees: the stored facts of one run, the audit date and the parameters."""

    def __init__(self, store: Store, run_id: int, *, as_of: _dt.date, params: dict[str, Any] | None = None,
                 site_config: dict[str, Any] | None = None, plan: Any = None):
        self.store = store
        self.run_id = run_id
        self.run = store.run(run_id)
        self.site = self.run["site"]
        self.as_of = as_of
        self.rules = load_rules()
        self.params: dict[str, Any] = dict(self.rules.get("params", {}))
        if plan is not None and getattr(plan, "params", None):
            self.params.update(plan.params())
        if site_config:
            self.params.update(site_config.get("params", {}) or {})
        if params:
            self.params.update(params)
        self.site_config = site_config or {}
        self.plan = plan
        self._pages: list[tuple[dict[str, Any], PageFacts]] | None = None
        self._fetches: dict[str, dict[str, Any]] | None = None
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, factory: Callable[[], Any]) -> Any:
        """A value computed once per context and shared by every check that needs it
        (the column model, the link index, the 解读 matching …)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]

    def pages(self) -> list[tuple[dict[str, Any], PageFacts]]:
        """Crawled HTML pages with their facts, in crawl order."""
        if self._pages is None:
            self._pages = list(self.store.iter_pages(self.run_id, fetches=self.fetches()))
        return self._pages

    def fetches(self) -> dict[str, dict[str, Any]]:
        """Every requested URL (pages, check-only targets) by URL."""
        if self._fetches is None:
            self._fetches = {f["url"]: f for f in self.store.iter_fetches(self.run_id)}
        return self._fetches

    def facts_by_url(self) -> dict[str, PageFacts]:
        out: dict[str, PageFacts] = {}
        for fetch, facts in self.pages():
            out[fetch["url"]] = facts
            if fetch.get("final_url"):
                out.setdefault(fetch["final_url"], facts)
        return out

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)
