"""The govaudit command line.  Each subcommand is a thin wrapper around one
library call (govaudit.audit, govaudit.extract, govaudit.plan …).

    govaudit demo --out demo-report
    govaudit audit http://www.example.gov.cn/xxgk/ --out report/
    govaudit page http://www.example.gov.cn/xxgk/t20260715_4421111.html --json
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from .errors import UserError

COMMAND_MODULES = [
    "govaudit.commands.audit",
    "govaudit.commands.demo",
    "govaudit.commands.page",
    "govaudit.commands.recheck",
    "govaudit.commands.rules",
    "govaudit.commands.annual_report",
    "govaudit.commands.plan",
    "govaudit.commands.run",
    "govaudit.commands.worker",
    "govaudit.commands.collect",
]


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="govaudit",
        formatter_class=_Formatter,
        description=(
            "Audit the 政府信息公开专栏 of government websites and write the 通报.\n\n"
            "examples:\n"
            "  govaudit demo --out demo-report          # audit the bundled demo site\n"
            "  govaudit audit http://www.example.gov.cn/xxgk/ --out report/\n"
            "  govaudit page saved.html --url http://www.example.gov.cn/xxgk/t1.html --json\n"
            "  govaudit rules                            # the checks and their 依据"
        ),
    )
    parser.add_argument("--version", action="version", version=f"govaudit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command that is not part of this build
                continue
            raise
        mod.register(sub)
    return parser


#: Loggers whose records are findings (a retried 500, an unreachable robots.txt), not console news:
#: they still reach a --log-file, and the console with -v.
_FINDINGS_LOGGERS = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")


def _quiet_console(record: logging.LogRecord) -> bool:
    return not record.name.startswith(_FINDINGS_LOGGERS)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    level = logging.WARNING
    if getattr(args, "verbose", 0):
        level = logging.INFO if args.verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.root.handlers:  # libraries may lower logger levels; the console stays at ours
        handler.setLevel(level)
        if level > logging.INFO:
            handler.addFilter(_quiet_console)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"govaudit: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("govaudit: interrupted; what was collected is in the store", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `govaudit … | head`
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
