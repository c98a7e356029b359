"""`ivr lint PATH... [--template T] [--strict] [--json]`: check flows before Connect does.

Exit 1 when there is an error (or, with --strict, a warning), else 0.
"""

from __future__ import annotations

import argparse
import sys
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from ivr.lint import Finding, lint_paths


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
    # One write of the whole report: a print per finding, or json.dumps with indent (which
    # takes the pure-Python encoder), cost seconds on a flow with 100,000 findings.
    if args.json:
        sys.stdout.write(json_report(findings) + "\n")
    else:
        lines = [str(finding) for finding in findings]
        lines.append(f"{errors} error(s), {warnings} warning(s)")
        sys.stdout.write("\n".join(lines) + "\n")
    return 1 if errors or (args.strict and warnings) else 0


def json_report(findings: list[Finding]) -> str:
    """`json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False)`, the same
    text, with each string encoded by json's C encoder into one layout per finding (every
    value of a finding is a string)."""
    if not findings:
        return "[]"
    quote = encode_basestring
    blocks = [
        _FINDING_LAYOUT
        % (quote(f.severity), quote(f.code), quote(f.identifier), quote(f.message), quote(f.path))
        for f in findings
    ]
    return "[\n" + ",\n".join(blocks) + "\n]"


_FINDING_LAYOUT = (
    '  {\n    "severity": %s,\n    "code": %s,\n    "identifier": %s,\n'
    '    "message": %s,\n    "path": %s\n  }'
)
