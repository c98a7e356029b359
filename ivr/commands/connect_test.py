"""`ivr connect-test`: Amazon Connect test cases (the Testing language) offline.

    ivr connect-test run CASE.json... --flow FLOW [--resource REF=ARN]... [--lambda ARN=...]
    ivr connect-test export FLOW --scenarios FILE [--out DIR] [--resource REF=ARN]...

`run` exits 0 when every test case PASSED, 1 when one FAILED; `export` writes one
CreateTestCase request body per scenario (or prints them as a JSON list). The toolkit's own
errors exit 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from ivr.commands._call_options import add_call_options, pairs
from ivr.connect_tests import CaseRunner, export_scenario, load_case
from ivr.errors import ToolkitError
from ivr.scenarios import load_scenarios


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "connect-test",
        help="run Amazon Connect test cases offline, or export scenarios as test cases",
        description="Amazon Connect's Testing language offline: run test cases in the "
        "simulator, or export scenarios as test cases for the cloud.",
    )
    actions = parser.add_subparsers(dest="connect_test_command", metavar="ACTION", required=True)

    run_parser = actions.add_parser("run", help="run test cases against a flow offline")
    run_parser.add_argument("cases", nargs="+", metavar="CASE", help="test case JSON files")
    run_parser.add_argument("--flow", required=True, help="the flow the test case starts in")
    _resource_option(run_parser)
    add_call_options(
        run_parser, lambda_help="handler or canned answer for a Lambda the test case does not mock"
    )
    run_parser.add_argument("--caller", help="caller number (default: the test case's)")
    run_parser.add_argument("--json", action="store_true", help="print the results as JSON")
    run_parser.set_defaults(run=run_cases)

    export_parser = actions.add_parser("export", help="export scenarios as test cases")
    export_parser.add_argument("flow", metavar="FLOW", help="the flow the scenarios call")
    export_parser.add_argument("--scenarios", required=True, metavar="FILE")
    export_parser.add_argument("--out", metavar="DIR", help="write <scenario>.json files here")
    export_parser.add_argument("--flow-id", help="EntryPoint FlowId (default: the file's stem)")
    export_parser.add_argument("--template", help="template.yaml (default: found upward)")
    _resource_option(export_parser)
    export_parser.set_defaults(run=export_cases)


def _resource_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--resource",
        action="append",
        default=[],
        metavar="REF=ARN",
        help="the cloud ARN of a reference the flow makes (a ${...Arn} placeholder or sample "
        "text), as deploy would substitute it; repeat",
    )


def run_cases(args: argparse.Namespace) -> int:
    runner = CaseRunner(
        args.flow,
        lambdas=pairs(args.lambdas, "--lambda"),
        template=args.template,
        resources=pairs(args.resource, "--resource"),
        hours_open=args.hours == "open",
        queue_at_capacity=args.queue_at_capacity,
    )
    results = [runner.run(load_case(path), caller=args.caller) for path in args.cases]
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        for result in results:
            print(result.describe())
    return 0 if all(r.passed for r in results) else 1


def export_cases(args: argparse.Namespace) -> int:
    resources = pairs(args.resource, "--resource")
    documents = [
        export_scenario(
            args.flow, scenario, template=args.template, resources=resources, flow_id=args.flow_id
        )
        for scenario in load_scenarios(args.scenarios)
    ]
    if not args.out:
        json.dump(documents, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        raise ToolkitError(f"--out {folder} is a file; give a folder (created if missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for document in documents:
            path = folder / f"{_file_name(document['Name'])}.json"
            path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
            print(f"wrote {path}")
    except OSError as exc:
        raise ToolkitError(f"--out {folder}: cannot write {exc.filename}: {exc.strerror}") from exc
    return 0


def _file_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip("-") or "test-case"
