"""`ivr diff A B` or `ivr diff FILE --rev REV [--rev2 REV2]`: what changed for callers.

Exit 0 when nothing semantic changed, 1 when something did, like diff(1).
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path
from typing import Any

from ivr.diff import diff_flows, format_changes
from ivr.errors import ToolkitError
from ivr.lint.loading import parse_flow, parse_json, read_flow
from models.flow import Flow


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="semantic diff of two flows (layout and action order ignored)",
        description=(
            "Compare two flow files, or a file at a git revision with the working copy "
            "(--rev) or with another revision (--rev and --rev2). Actions are matched by "
            "Identifier; Metadata and the order of Actions are ignored."
        ),
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="A B, or one FILE")
    parser.add_argument("--rev", help="git revision of FILE to compare from")
    parser.add_argument("--rev2", help="git revision to compare to (default: the working copy)")
    parser.add_argument("--json", action="store_true", help="print the changes as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    before, after = _flows(args)
    changes = diff_flows(before, after)
    if args.json:
        print(json.dumps([c.to_dict() for c in changes], indent=2, ensure_ascii=False))
    elif changes:
        print(format_changes(changes))
    return 1 if changes else 0


def _flows(args: argparse.Namespace) -> tuple[Flow, Flow]:
    if args.rev is None:
        if args.rev2 is not None:
            raise ToolkitError("--rev2 needs --rev")
        if len(args.files) != 2:
            raise ToolkitError("give two flow files (A B), or one file and --rev REV")
        return read_flow(args.files[0]), read_flow(args.files[1])
    if len(args.files) != 1:
        raise ToolkitError("with --rev, give one flow file")
    path = args.files[0]
    before = flow_at_revision(path, args.rev)
    after = read_flow(path) if args.rev2 is None else flow_at_revision(path, args.rev2)
    return before, after


def flow_at_revision(path: Path, rev: str) -> Flow:
    """The flow `path` held at git revision `rev` (`git show REV:./name`, run in its folder)."""
    folder = path.resolve().parent
    try:
        shown = subprocess.run(
            ["git", "show", f"{rev}:./{path.name}"],
            cwd=folder,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    except FileNotFoundError as exc:
        raise ToolkitError("git is not installed: --rev needs it") from exc
    if shown.returncode != 0:
        reason = shown.stderr.strip().splitlines()[-1] if shown.stderr.strip() else "failed"
        raise ToolkitError(f"git show {rev}:{path}: {reason}")
    source = f"{path}@{rev}"
    return parse_flow(parse_json(shown.stdout, source), source)[0]
