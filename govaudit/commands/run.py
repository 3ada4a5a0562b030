"""govaudit run SITES.toml: audit every site of a site list in one run (for cron).

Exit codes (for cron and systemd):

* 0  every site was crawled to the end and reported
* 2  the site list is unusable (missing, not TOML, no good entry), or another bad argument
* 3  partial: some entry was bad, some site unreachable or its crawl interrupted; the rest is reported
* 75 another run holds the lock on this database (EX_TEMPFAIL: try again later)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UserError
from ._options import (add_crawl_options, add_report_options, crawl_options, load_plan_arg, output_names,
                       report_meta)

EXIT_OK = 0
EXIT_CONFIG = 2
EXIT_PARTIAL = 3
EXIT_LOCKED = 75

logger = logging.getLogger("govaudit.run")


class LockedError(UserError):
    """Another run holds the database lock."""

    exit_code = EXIT_LOCKED


@dataclass
class RunLock:
    """A lock file next to the database holding the pid of the run that owns it.

    A lock left by a process that no longer exists (killed, machine rebooted)
    is taken over.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> with RunLock(os.path.join(d, "a.db.lock")) as lock:
    ...     int(open(lock.path).read().split()[0]) == os.getpid()
    True
    """

    path: str

    def acquire(self) -> "RunLock":
        from ..store import pid_alive

        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder is not None and holder != os.getpid() and pid_alive(holder):
                    raise LockedError(f"another govaudit run (pid {holder}) is using this database; "
                                      f"lock file {self.path} (remove it only if that process is gone)") from None
                logger.warning("taking over the stale lock %s of pid %s, which is gone", self.path, holder)
                try:
                    os.unlink(self.path)
                except FileNotFoundError:
                    pass
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(f"{os.getpid()}\n")
            return self
        raise LockedError(f"cannot take the lock {self.path}: another run keeps creating it")

    def _holder(self) -> int | None:
        try:
            text = Path(self.path).read_text(encoding="utf-8").split()
            return int(text[0]) if text else None
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        if self._holder() == os.getpid():
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()


def register(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help="audit every site of a site list (SITES.toml) in one run, e.g. from cron",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Audit every [[sites]] entry of SITES.toml (see docs/sites.example.toml): several sites are\n"
            "crawled in parallel, each host politely.  Writes the combined 通报 into --out and each site's\n"
            "files into OUT/sites/<name>/.  Requests are conditional on the previous finished run of each\n"
            "site (unchanged pages answer 304 and reuse what was stored); --resume continues interrupted runs.\n\n"
            "exit codes: 0 all done, 2 bad site list, 3 partial (bad entry, site unreachable or interrupted),\n"
            "75 another run holds the database lock.\n\n"
            "example:\n"
            "  govaudit run sites.toml --db /var/lib/govaudit/county.db --out /var/lib/govaudit/2026-11"
        ),
    )
    p.add_argument("sites", metavar="SITES.toml", help="site list (TOML)")
    p.add_argument("--out", default="govaudit-run", metavar="DIR", help="output folder (default ./govaudit-run)")
    p.add_argument("--resume", action="store_true",
                   help="continue each site's interrupted run instead of starting again")
    p.add_argument("--parallel", type=int, default=4, metavar="N", help="sites crawled at once (default 4)")
    add_report_options(p)
    add_crawl_options(p)
    from .worker import add_shared_options

    add_shared_options(p, required=False)
    p.set_defaults(func=run)


def default_log_file(db: str) -> str:
    """The run log lives next to the database: /x/county.db -> /x/county.log."""
    path = Path(db)
    return str(path.with_suffix(".log") if path.suffix else path.with_name(path.name + ".log"))


def _setup_log(path: str, verbose: int) -> logging.Handler:
    Path(path).resolve().parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    handler.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level, handler.level))
    return handler


def _site_report(result: Any, store_db: str, entries: list[Any], out: Path, args: Any, plan: Any) -> None:
    """Each site's own findings.json / findings.csv / 通报.html in OUT/sites/<name>/."""
    from ..audit import open_store, parse_as_of, prepare_out, report_runs

    store = open_store(store_db)
    for run_id, entry in zip(result.run_ids, entries):
        report_runs(store, [run_id], [entry.spec], out_dir=prepare_out(out / "sites" / entry.slug),
                    as_of=parse_as_of(args.as_of or store.run(run_id)["as_of"]), plan=plan,
                    template_dir=args.template_dir, report_meta=report_meta(args), formats=("json", "csv", "html"),
                    names=output_names(args), checked=result.checked)


def run(args: Any) -> int:
    if getattr(args, "redis", None):  # a worker of a shared audit (docs/distributed.md)
        from .worker import run_shared

        return run_shared(args)
    from ..audit import audit_sites
    from ..sites import load_sites

    base = crawl_options(args)
    log_file = args.log_file or default_log_file(args.db)
    base.log_file = None  # the run log is set up here, once for every site
    base.log_level = "INFO"
    cfg = load_sites(args.sites, base=base)
    if not cfg.sites:
        for err in cfg.errors:
            print(f"govaudit: error: {err}", file=sys.stderr)
        raise UserError(f"{args.sites}: no usable [[sites]] entry")
    Path(args.db).resolve().parent.mkdir(parents=True, exist_ok=True)
    _setup_log(log_file, args.verbose)
    with RunLock(str(args.db) + ".lock"):
        logger.info("run of %s: %d sites, %d bad entries, db %s, out %s", args.sites, len(cfg.sites),
                    len(cfg.errors), args.db, args.out)
        for err in cfg.errors:
            logger.info("skipped bad entry: %s", err)
            print(f"govaudit: skipped: {err}", file=sys.stderr)
        plan = load_plan_arg(args.plan)
        meta = {**cfg.report, **report_meta(args)}
        result = audit_sites([e.spec for e in cfg.sites], db=args.db, out=args.out, as_of=args.as_of,
                             options=base, per_site_options={e.spec.url: e.options for e in cfg.sites}, plan=plan,
                             template_dir=args.template_dir, report_meta=meta, resume=args.resume,
                             max_parallel=args.parallel, names=output_names(args))
        _site_report(result, args.db, cfg.sites, Path(args.out), args, plan)
        failed = _summarise(result, cfg.sites)
    if cfg.errors or failed:
        return EXIT_PARTIAL
    return EXIT_OK


def _summarise(result: Any, entries: list[Any]) -> int:
    """Print and log one line per site; return how many sites did not finish cleanly."""
    failed = 0
    for site, entry in zip(result.report["sites"], entries):
        stats = site["stats"]
        state = "ok"
        if entry.spec.url in result.unreachable:
            state, failed = "unreachable", failed + 1
        elif stats.get("interrupted"):
            state, failed = "interrupted", failed + 1
        line = (f"{site['name']}: {state}, {site['verdict']}, {site['findings']} findings, "
                f"{stats.get('pages', 0)} pages, {stats.get('urls_checked', 0)} URLs, "
                f"{stats.get('requests_304', 0)} unchanged (304), {stats.get('bytes_received', 0)} bytes")
        print(line)
        logger.info("%s", line)
    for key in ("html", "docx", "json", "csv"):
        if key in result.outputs:
            print(f"{key:>5}: {result.outputs[key]}")
    return failed
