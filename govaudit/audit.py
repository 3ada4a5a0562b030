"""The audit pipeline: crawl -> store -> checks -> findings -> reports.

Library API mirrored by the CLI (``govaudit audit``, ``govaudit recheck``)::

    from govaudit.audit import SiteSpec, audit_sites, recheck
    from govaudit.crawl import CrawlOptions
    result = audit_sites([SiteSpec(url="http://127.0.0.1:8000/xxgk/")], db="site.db", out="report",
                         as_of="2026-11-22", options=CrawlOptions(delay=0))
    print(result.outputs["html"])
    recheck(db="site.db", run_id=result.run_ids[0], out="report2", as_of="2026-11-22")
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .crawl import CrawlOptions, run_crawls
from .errors import UserError
from .models import Finding
from .store import Store, StoreError

logger = logging.getLogger(__name__)

DEFAULT_NAMES = {
    "docx": "通报.docx",
    "html": "通报.html",
    "json": "findings.json",
    "csv": "findings.csv",
}


@dataclass
class SiteSpec:
    """One site to audit (a line of SITES.toml, or the URL given to `govaudit audit`)."""

    url: str
    name: str = ""
    owner: str = ""
    owner_type: str = ""  # government | department
    unit: str = ""  # responsible unit (责任单位)
    hosts: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # anything else from the site config
    plan: Any = None  # this site's own work plan (SITES.toml `plan = …`); None: the audit's plan

    def site_config(self) -> dict[str, Any]:
        cfg = {k: v for k, v in self.extra.items()}
        for k in ("name", "owner", "owner_type", "unit"):
            v = getattr(self, k)
            if v:
                cfg[k] = v
        if self.params:
            cfg["params"] = dict(self.params)
        return cfg


@dataclass
class AuditResult:
    run_ids: list[int]
    outputs: dict[str, Path]
    findings: dict[int, list[Finding]]
    unreachable: list[str]
    interrupted: list[int]
    report: dict[str, Any]
    #: run id -> (findings, check errors, verdict): pass to report_runs(checked=…) to report again without re-checking
    checked: dict[int, tuple[list[Finding], list[dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)


def validate_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(f"not an http(s) URL: {url!r} (give the full address, e.g. http://www.example.gov.cn/xxgk/)")
    return url


def parse_as_of(value: str | None) -> _dt.date:
    if not value:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(f"bad --as-of {value!r}: expected a date as YYYY-MM-DD, e.g. 2026-11-22") from None


def prepare_out(out: str | Path) -> Path:
    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".govaudit-write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise UserError(f"cannot write to --out {str(out)!r}: {exc.strerror or exc}") from None
    return path


def open_store(db: str | Path) -> Store:
    try:
        parent = Path(db).resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        return Store(db)
    except (StoreError, OSError) as exc:
        raise UserError(f"cannot open --db {str(db)!r}: {exc}") from None


def _site_name(store: Store, run_id: int, spec: SiteSpec) -> str:
    if spec.name:
        return spec.name
    start = store.get_fetch(run_id, spec.url)
    if start and start.get("facts"):
        import json

        facts = json.loads(start["facts"])
        name = facts.get("site_name") or (facts.get("meta") or {}).get("SiteName")
        if name:
            return str(name)
    return urlsplit(spec.url).netloc


def _unreachable_reason(store: Store, run_id: int, url: str) -> str | None:
    start = store.get_fetch(run_id, url)
    if start is None:
        return "no response was recorded"
    if start.get("error") and start["error"] not in ("robots",):
        return f"{start['error']} ({start.get('error_detail') or ''})".strip()
    if start.get("error") == "robots":
        return "robots.txt forbids crawling it (use --ignore-robots for a site you are responsible for)"
    if start.get("status") and start["status"] >= 400:
        return f"HTTP {start['status']}"
    return None


def check_run(store: Store, run_id: int, *, as_of: _dt.date, spec: SiteSpec, plan: Any = None,
              select: list[str] | None = None) -> tuple[list[Finding], list[dict[str, Any]], dict[str, Any]]:
    """Run the checks over one stored run; store and return its findings and verdict."""
    from checks import AuditContext, run_checks, site_verdict

    ctx = AuditContext(store, run_id, as_of=as_of, site_config=spec.site_config(), plan=plan)
    findings, errors = run_checks(ctx, select=select)
    verdict = site_verdict(ctx, findings)
    unreachable = _unreachable_reason(store, run_id, spec.url)
    if unreachable:
        verdict = {"verdict": "不合格", "reasons": [f"站点无法访问：{unreachable}"] + verdict.get("reasons", [])}
    store.save_findings(run_id, findings, as_of=as_of.isoformat())
    return findings, errors, verdict


def audit_sites(
    sites: list[SiteSpec],
    *,
    db: str | Path,
    out: str | Path,
    as_of: str | None = None,
    options: CrawlOptions | None = None,
    per_site_options: dict[str, CrawlOptions] | None = None,
    plan: Any = None,
    template_dir: str | Path | None = None,
    names: dict[str, str] | None = None,
    report_meta: dict[str, Any] | None = None,
    formats: tuple[str, ...] = ("json", "csv", "html", "docx"),
    resume: bool = False,
    max_parallel: int | None = None,
) -> AuditResult:
    """Crawl every site, check the stored facts, write the 通报 and findings into ``out``.

    ``resume``: a site whose latest run was interrupted (stopped, or killed while
    running) continues that run instead of starting a new one.  ``max_parallel``
    caps how many sites are crawled at once (default: all).
    """
    for s in sites:
        validate_url(s.url)
    as_of_date = parse_as_of(as_of)
    out_dir = prepare_out(out)
    options = options or CrawlOptions()
    store = open_store(db)
    run_ids = []
    crawl_list = []
    per_run: dict[int, CrawlOptions] = {}
    for s in sites:
        opts = (per_site_options or {}).get(s.url, options)
        if s.hosts or s.prefixes:
            opts = CrawlOptions(**{**opts.to_dict(), "hosts": opts.hosts + s.hosts,
                                   "prefixes": opts.prefixes + s.prefixes})
        label = {"GOVAUDIT_SITE_LABEL": s.name or s.url}
        opts = CrawlOptions(**{**opts.to_dict(), "extra_settings": {**opts.extra_settings, **label}})
        previous = store.resumable_run(s.url) if resume else None
        if previous is not None:
            run_id = int(previous["id"])
            store.set_run_status(run_id, "running")
            opts = CrawlOptions(**{**opts.to_dict(), "extra_settings": {**opts.extra_settings, "GOVAUDIT_RESUME": True}})
            logger.info("resuming run %s of %s", run_id, s.url)
        else:
            run_id = store.new_run(s.url, as_of=as_of_date.isoformat(), settings=opts.to_dict(),
                                   site_config=s.site_config())
        store.set_run_pid(run_id, os.getpid())
        run_ids.append(run_id)
        crawl_list.append((s.url, run_id))
        per_run[run_id] = opts
    t0 = time.monotonic()
    reasons: dict[int, str] = {}
    try:
        reasons = run_crawls(crawl_list, str(db), options, per_site=per_run, max_parallel=max_parallel)
    except KeyboardInterrupt:
        reasons = {r: "interrupted" for r in run_ids}
    finally:
        seconds = round(time.monotonic() - t0, 2)
        for run_id in run_ids:
            reason = reasons.get(run_id, "interrupted")
            status = "finished" if reason == "finished" else "interrupted"
            stats = store.run(run_id)["stats"]
            stats.setdefault("seconds", seconds)
            stats.setdefault("pages", 0)
            stats.setdefault("urls_checked", 0)
            stats.setdefault("bytes_received", 0)
            stats.setdefault("requests_304", 0)
            store.finish_run(run_id, status=status, stats=stats)
    return report_runs(store, run_ids, sites, out_dir=out_dir, as_of=as_of_date, plan=plan,
                       template_dir=template_dir, names=names, report_meta=report_meta, formats=formats)


def recheck(*, db: str | Path, run_id: int | None, out: str | Path, as_of: str | None = None, plan: Any = None,
            template_dir: str | Path | None = None, names: dict[str, str] | None = None,
            report_meta: dict[str, Any] | None = None,
            formats: tuple[str, ...] = ("json", "csv", "html", "docx")) -> AuditResult:
    """Re-run the checks and reports on a stored run, without crawling."""
    if not Path(db).exists():
        raise UserError(f"no store at --db {str(db)!r}: run `govaudit audit` first")
    store = open_store(db)
    run = store.run(run_id) if run_id else store.latest_run()
    if run is None:
        raise UserError(f"the store {str(db)!r} holds no run yet")
    cfg = run.get("site_config") or {}
    spec = SiteSpec(url=run["site"], name=cfg.get("name", ""), owner=cfg.get("owner", ""),
                    owner_type=cfg.get("owner_type", ""), unit=cfg.get("unit", ""), params=cfg.get("params", {}),
                    extra={k: v for k, v in cfg.items() if k not in ("name", "owner", "owner_type", "unit", "params")})
    as_of_date = parse_as_of(as_of or run["as_of"])
    return report_runs(store, [run["id"]], [spec], out_dir=prepare_out(out), as_of=as_of_date, plan=plan,
                       template_dir=template_dir, names=names, report_meta=report_meta, formats=formats)


def report_runs(store: Store, run_ids: list[int], sites: list[SiteSpec], *, out_dir: Path, as_of: _dt.date,
                plan: Any = None, template_dir: str | Path | None = None, names: dict[str, str] | None = None,
                report_meta: dict[str, Any] | None = None,
                formats: tuple[str, ...] = ("json", "csv", "html", "docx"),
                checked: dict[int, tuple[list[Finding], list[dict[str, Any]], dict[str, Any]]] | None = None,
                ) -> AuditResult:
    """Check each stored run (unless ``checked`` already holds its result) and write the reports."""
    from checks import load_all
    from reports.findings_io import findings_document, write_csv, write_json
    from reports.model import SiteResult, build_report

    registry = load_all()
    titles = {name: spec.title for name, spec in registry.items()}
    results = []
    all_findings: dict[int, list[Finding]] = {}
    unreachable = []
    interrupted = []
    done: dict[int, tuple[list[Finding], list[dict[str, Any]], dict[str, Any]]] = {}
    for run_id, spec in zip(run_ids, sites):
        if checked and run_id in checked:
            findings, errors, verdict = checked[run_id]
        else:
            findings, errors, verdict = check_run(store, run_id, as_of=as_of, spec=spec,
                                                  plan=spec.plan if spec.plan is not None else plan)
        done[run_id] = (findings, errors, verdict)
        run = store.run(run_id)
        if _unreachable_reason(store, run_id, spec.url):
            unreachable.append(spec.url)
        if run["status"] != "finished":
            interrupted.append(run_id)
        all_findings[run_id] = findings
        prev = store.previous_run(run_id)
        results.append(SiteResult(
            name=_site_name(store, run_id, spec), url=spec.url, run_id=run_id, stats=run["stats"],
            findings=findings, unit=spec.unit, fixed=store.fixed_findings(run_id), previous_run=prev,
            verdict=verdict, check_errors=errors, interrupted=run["status"] != "finished",
        ))
    meta = dict(report_meta or {})
    report = build_report(results, as_of=as_of.isoformat(), check_titles=titles, plan=plan, **meta)
    names = {**DEFAULT_NAMES, **(names or {})}
    outputs: dict[str, Path] = {}
    if len(results) == 1:
        r = results[0]
        doc = findings_document(site=r.url, as_of=as_of.isoformat(), run_id=r.run_id, stats=r.stats,
                                findings=r.findings,
                                extra={"verdict": r.verdict, "interrupted": r.interrupted,
                                       "fixed": [f.to_json() for f in r.fixed], "check_errors": r.check_errors,
                                       "site_name": r.name})
    else:
        doc = {
            "as_of": as_of.isoformat(),
            "run_ids": run_ids,
            "sites": [
                findings_document(site=r.url, as_of=as_of.isoformat(), run_id=r.run_id, stats=r.stats,
                                  findings=r.findings,
                                  extra={"verdict": r.verdict, "interrupted": r.interrupted, "site_name": r.name,
                                         "fixed": [f.to_json() for f in r.fixed], "check_errors": r.check_errors})
                for r in results
            ],
            "findings": report["findings"],
        }
    if "json" in formats:
        outputs["json"] = write_json(doc, out_dir / names["json"])
    if "csv" in formats:
        outputs["csv"] = write_csv(report["findings"], out_dir / names["csv"])
    try:
        from reports.render import render_docx, render_html
    except ImportError:  # pragma: no cover
        render_html = render_docx = None  # type: ignore[assignment]
    if "html" in formats and render_html is not None:
        outputs["html"] = render_html(report, out_dir / names["html"], template_dir=template_dir)
    if "docx" in formats and render_docx is not None:
        try:
            outputs["docx"] = render_docx(report, out_dir / names["docx"], template_dir=template_dir)
        except NotImplementedError:
            pass
    return AuditResult(run_ids=run_ids, outputs=outputs, findings=all_findings, unreachable=unreachable,
                       interrupted=interrupted, report=report, checked=done)


def default_db() -> str:
    return os.environ.get("GOVAUDIT_DB", "govaudit.db")
