"""`ivr whatif NEW_FLOW --logs LOGS...`: replay logged contacts through a new flow version.

Exit code 0 when every contact whose inputs the log holds would end as it did, 1 when any
would end differently (so a pipeline can gate a flow change on it), 2 when a file cannot be
read. Contacts the log cannot replay are reported as unknown and do not fail the gate.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ivr.flowlogs.contacts import LoggedContact, contacts
from ivr.flowlogs.reader import ReadReport, read_flow_logs
from ivr.flowlogs.whatif import WhatIf, format_report


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "whatif",
        help="replay logged contacts through a new flow version and report what changes",
        description="Replay each logged contact's inputs (keys, Lambda answers, hours) "
        "through NEW_FLOW in the simulator and report the contacts that would end "
        "differently, grouped by change, with example ContactIds.",
    )
    parser.add_argument("flow", type=Path, metavar="NEW_FLOW", help="the new flow file")
    parser.add_argument("--logs", nargs="+", required=True, metavar="LOGS", help="flow-log files")
    parser.add_argument(
        "--flow-name",
        metavar="NAME",
        help="replay the contacts that started in the flow of this ContactFlowName (default: "
        "NEW_FLOW's file name without .json; every contact when none did)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    read = ReadReport()
    name = args.flow_name or args.flow.name.removesuffix(".json")
    whatif = WhatIf(args.flow)
    logged = list(contacts(read_flow_logs(args.logs, read)))
    chosen = [c for c in logged if _starts_in(c, name)] or logged
    for contact in chosen:
        whatif.replay(contact)
    report = whatif.report
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report), end="")
    if read.unreadable:
        print(f"ivr whatif: {read.describe()}", file=sys.stderr)
    return 1 if report.changed else 0


def _starts_in(contact: LoggedContact, name: str) -> bool:
    first = contact.entries[0]
    return first.flow_name == name or first.flow_id.endswith("/" + name)
