"""`ivr logs`: answers from Amazon Connect flow logs.

    ivr logs summary LOGS... [--flow FLOW] [--flow-name NAME] [--json]
    ivr logs generate FLOW --calls N [--seed S] -o FILE

LOGS are flow-log files in any form ivr/flowlogs/reader.py reads (JSON lines,
`aws logs filter-log-events` output, Logs Insights exports as JSON or CSV). Exit code 0; 2
when a file cannot be read. Entries that are not flow-log entries are skipped and counted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ivr.coverage import FlowShape
from ivr.errors import ToolkitError
from ivr.flowlogs.reader import ReadReport
from ivr.flowlogs.summary import format_summary, summarize_logs


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "logs",
        help="summarize Amazon Connect flow logs: outcomes, branches, Lambda errors, time",
        description="Answers from Amazon Connect flow logs (CloudWatch).",
    )
    actions = parser.add_subparsers(dest="logs_command", metavar="ACTION", required=True)
    summary = actions.add_parser(
        "summary",
        help="contacts, outcomes, and per action: entries, branches taken, time spent",
        description="Contacts by outcome (queue, transfer, disconnect, error, caller hung up), "
        "queues, Lambda calls with errors and time-outs, and for each action its entries, "
        "the contacts that ended there, median and p95 time to the next entry, and (with "
        "--flow) each branch taken and its share.",
    )
    summary.add_argument("logs", nargs="+", metavar="LOGS", help="flow-log files")
    summary.add_argument(
        "--flow", type=Path, metavar="FLOW", help="the flow file: label its branches"
    )
    summary.add_argument(
        "--flow-name",
        metavar="NAME",
        help="the ContactFlowName its entries carry (default: FLOW's file name without .json)",
    )
    summary.add_argument("--json", action="store_true", help="print the summary as JSON")
    summary.set_defaults(run=run_summary)

    generate = actions.add_parser(
        "generate",
        help="write the flow log of a simulated day of calls (demos, benchmarks)",
        description="Simulate CALLS calls through FLOW (random keys, the project's Lambda "
        "functions answering canned answers, some failing, hours mostly open) and write the "
        "flow log Amazon Connect would write for them, as JSON lines.",
    )
    generate.add_argument("flow", type=Path, metavar="FLOW", help="the flow file")
    generate.add_argument("--calls", type=int, default=1000, help="calls (default 1000)")
    generate.add_argument("--seed", type=int, default=0, help="the same seed, the same log")
    generate.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    generate.set_defaults(run=run_generate)


def run_summary(args: argparse.Namespace) -> int:
    report = ReadReport()
    shape = FlowShape.load(args.flow) if args.flow is not None else None
    summary = summarize_logs(args.logs, shape, args.flow_name, report)
    summary.unreadable = report.unreadable
    if args.json:
        print(summary.to_json())
    else:
        print(format_summary(summary), end="")
    if report.unreadable:
        print(f"ivr logs: {report.describe()}", file=sys.stderr)
    return 0


def run_generate(args: argparse.Namespace) -> int:
    from ivr.flowlogs.generate import a_day_of_calls
    from ivr.flowlogs.writer import records_for, write_records

    try:
        with args.output.open("w", encoding="utf-8") as out:
            lines = sum(
                write_records(records_for(c.result, c.contact_id, start=c.start), out)
                for c in a_day_of_calls(args.flow, args.calls, seed=args.seed)
            )
    except OSError as exc:
        raise ToolkitError(f"cannot write {args.output}: {exc.strerror}") from exc
    print(f"{args.output}: {args.calls} contacts, {lines} flow-log entries")
    return 0
