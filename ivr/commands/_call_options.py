"""Options of the commands that place simulated calls (`simulate`, `connect-test run`)."""

from __future__ import annotations

import argparse

from ivr.errors import ToolkitError


def add_call_options(parser: argparse.ArgumentParser, *, lambda_help: str) -> None:
    """--lambda, --hours, --queue-at-capacity and --template, read by `call_settings`."""
    parser.add_argument(
        "--lambda",
        dest="lambdas",
        action="append",
        default=[],
        metavar="ARN=module:function|file.json",
        help=lambda_help,
    )
    parser.add_argument("--hours", choices=("open", "closed"), default="open")
    parser.add_argument("--queue-at-capacity", action="store_true")
    parser.add_argument("--template", help="template.yaml (default: found upward from FLOW)")


def pairs(values: list[str], option: str) -> dict[str, str]:
    """Repeated KEY=VALUE options as a dict; a malformed one is the user's error."""
    result = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key:
            raise ToolkitError(f"{option} {value!r}: expected KEY=VALUE")
        result[key] = rest
    return result
