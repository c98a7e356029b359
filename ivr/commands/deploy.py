"""`ivr deploy`: lint the flows of the manifest and deploy them to an environment's instance."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ivr.deploy import Environment, deploy, write_import_files
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
        "deploy",
        help="lint and deploy the flows of contact_flows/ to a Connect instance",
        description=(
            "Lint the manifest's flows (errors stop), fill in ${...} placeholders, then create "
            "or update each flow by name, modules and transfer targets first. Flows whose "
            "content is unchanged since the last deploy to this environment are skipped."
        ),
        epilog=VALUES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_environment_options(parser)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--dry-run",
        action="store_true",
        help="read calls only: show each flow's changes against what the instance runs",
    )
    mode.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="make no AWS call: write import-ready JSON per flow to DIR (values file only)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    env = environment_from(args)
    if args.out is not None:
        write_out(env, args.out)
    else:
        deploy(env, boto3_clients(args.profile, fallback_region(env)), dry_run=args.dry_run)
    return 0


def write_out(env: Environment, out: Path) -> None:
    """`--out DIR`: a file there, or one the flows' subfolders would need, is the user's
    mistake, said in one line (Path.mkdir would raise FileExistsError from deep inside)."""
    if out.exists() and not out.is_dir():
        raise ToolkitError(f"--out {out} is a file; give a folder (created if missing)")
    try:
        write_import_files(env, out)
    except OSError as exc:
        raise ToolkitError(f"--out {out}: cannot write {exc.filename}: {exc.strerror}") from exc
