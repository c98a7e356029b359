"""`ivr paths FLOW [--scenarios FILE]`: the paths through a flow, the inputs that take each
branch, and the dead branches no input takes; `--scenarios` writes the inputs as a scenarios
file (`ivr coverage`, `ivr connect-test export`).

Exit code 0; 2 when the flow cannot be read or the file written.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ivr.errors import ToolkitError
from ivr.flowpaths import DEFAULT_MAX_RUNS, find_paths, format_paths, scenarios_document


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "paths",
        help="every path through a flow, the inputs for each branch, and the dead branches",
        description="Run FLOW (and the modules it invokes) in the simulator on every answer "
        "its choice points allow (keys, Lambda answers and failures, hours, queue capacity, "
        "attributes from outside), until each branch that any answer reaches is taken.",
    )
    parser.add_argument("flow", type=Path, metavar="FLOW", help="the flow file")
    parser.add_argument(
        "--scenarios", type=Path, metavar="FILE", help="write one scenario per path here (JSON)"
    )
    parser.add_argument(
        "--max-runs",
        type=int,
        default=DEFAULT_MAX_RUNS,
        metavar="N",
        help=f"stop the search after N simulated calls (default {DEFAULT_MAX_RUNS})",
    )
    parser.add_argument("--json", action="store_true", help="print the paths as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report = find_paths(args.flow, max_runs=args.max_runs)
    if args.scenarios is not None:
        text = json.dumps(scenarios_document(report), indent=2, ensure_ascii=False) + "\n"
        try:
            args.scenarios.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ToolkitError(
                f"--scenarios {args.scenarios}: cannot write: {exc.strerror}"
            ) from exc
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_paths(report), end="")
    return 0
