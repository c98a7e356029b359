"""`ivr export`: pull flows from an environment's instance back into contact_flows/."""

from __future__ import annotations

import argparse
from typing import Any

from ivr.deploy import export
from ivr.deploy.options import (
    VALUES_HELP,
    add_environment_options,
    boto3_clients,
    environment_from,
    fallback_region,
)
from ivr.errors import ToolkitError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="pull flows from a Connect instance into contact_flows/",
        description=(
            "Describe each named flow of the manifest, turn the environment's ARNs back into "
            "${...} placeholders, and write it normalized to its manifest file, so exporting "
            "right after a deploy changes nothing."
        ),
        epilog=VALUES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="flow names (the manifest's)")
    parser.add_argument("--all", action="store_true", help="every flow of the manifest")
    add_environment_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if bool(args.names) == bool(args.all):
        raise ToolkitError("name the flows to export, or pass --all (not both)")
    env = environment_from(args)
    export(env, args.names, boto3_clients(args.profile, fallback_region(env)))
    return 0
