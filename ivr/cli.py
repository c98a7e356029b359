"""`ivr`: the admin and test toolkit's command line.

Each subcommand lives in `ivr/commands/<name>.py` with `register(subparsers)`, which adds its
parser and sets `run(args) -> int`. Commands parse arguments and call the library; the only
error caught here is the toolkit's own, printed as one line before exiting 2. Exit codes carry
results (lint findings, diff differences).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ivr.errors import ToolkitError

# One line per subcommand; the order is the order of `ivr --help`.
COMMANDS = (
    "simulate",
    "replay",
    "seed",
    "lint",
    "diff",
    "render",
    "deploy",
    "export",
    "coverage",
    "connect_test",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ivr",
        description="Simulate, lint, diff, render and deploy Amazon Connect contact flows.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"ivr.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except ToolkitError as exc:
        print(f"ivr {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
