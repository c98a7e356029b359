"""`ivr lint PATH... [--template T] [--strict] [--json]`: check flows before Connect does.

Exit 1 when there is an error (or, with --strict, a warning), else 0.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ivr.lint import lint_paths


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "lint",
        help="check flows for what Connect rejects and what hurts callers",
        description=(
            "Lint contact flows: errors for what Connect rejects on import, warnings for "
            "what callers would suffer, and the contract with each function a flow invokes "
            "through a ${<LogicalId>Arn} placeholder."
        ),
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="flow files or folders")
    parser.add_argument(
        "--template",
        type=Path,
        help="template.yaml defining the functions (default: found upward from each flow)",
    )
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    findings = lint_paths(args.paths, template=args.template)
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            print(finding)
        print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors or (args.strict and warnings) else 0
