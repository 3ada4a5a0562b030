"""CLI subcommands.  Each module here has:

    def register(sub) -> None      # sub: argparse subparsers; add a parser, set_defaults(func=run)
    def run(args) -> int           # exit code; raise govaudit.errors.UserError for bad input

and is listed in govaudit.cli.COMMAND_MODULES.
"""
