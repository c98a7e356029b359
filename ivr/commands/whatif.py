"""`ivr whatif NEW_FLOW --logs LOGS...`: replay logged contacts through a new flow version.

NEW_FLOW is a flow file, or a folder with a manifest.json (contact_flows/): then every flow of
the manifest that contacts start in (not modules, which run inside them) is replayed with the
contacts that started in it, matched by its Connect name or its file name.

Exit code 0 when every contact whose inputs the log holds would end as it did, 1 when any
would end differently (so a pipeline can gate a flow change on it), 2 when a file cannot be
read. Contacts the log cannot replay are reported as unknown and do not fail the gate, nor do
changes in the flows named by `--accept` (an intended change, reported all the same).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ivr.deploy.manifest import load_manifest
from ivr.flowlogs.contacts import LoggedContact, contacts
from ivr.flowlogs.reader import ReadReport, read_flow_logs
from ivr.flowlogs.whatif import WhatIf, WhatIfReport, format_report


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "whatif",
        help="replay logged contacts through a new flow version and report what changes",
        description="Replay each logged contact's inputs (keys, Lambda answers, hours) "
        "through NEW_FLOW in the simulator and report the contacts that would end "
        "differently, grouped by change, with example ContactIds. NEW_FLOW may be a folder "
        "with a manifest.json: each of its flows (not modules) is replayed with the contacts "
        "that started in it.",
    )
    parser.add_argument(
        "flow", type=Path, metavar="NEW_FLOW", help="the new flow file, or a flows folder"
    )
    parser.add_argument("--logs", nargs="+", required=True, metavar="LOGS", help="flow-log files")
    parser.add_argument(
        "--flow-name",
        metavar="NAME",
        help="replay the contacts that started in the flow of this ContactFlowName (default: "
        "NEW_FLOW's file name without .json; every contact when none did); not with a folder",
    )
    parser.add_argument(
        "--accept",
        default="",
        metavar="NAMES",
        help="comma-separated flows (Connect name or file name without .json) whose changes "
        "are intended: reported, but the exit code stays 0 for them",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    read = ReadReport()
    logged = list(contacts(read_flow_logs(args.logs, read)))
    accepted = {name.strip() for name in args.accept.split(",") if name.strip()}
    if args.flow.is_dir():
        code = _run_folder(args, logged, accepted)
    else:
        code = _run_file(args, logged, accepted)
    if read.unreadable:
        print(f"ivr whatif: {read.describe()}", file=sys.stderr)
    return code


def _run_file(args: argparse.Namespace, logged: list[LoggedContact], accepted: set[str]) -> int:
    name = args.flow_name or args.flow.name.removesuffix(".json")
    chosen = [c for c in logged if _starts_in(c, {name})] or logged
    report = _replay(args.flow, chosen)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report), end="")
    return 1 if report.changed and name not in accepted else 0


def _run_folder(args: argparse.Namespace, logged: list[LoggedContact], accepted: set[str]) -> int:
    manifest = load_manifest(args.flow)
    reports: dict[str, WhatIfReport] = {}
    failing: list[str] = []
    for entry in manifest.flows:
        if entry.is_module:
            continue
        names = {entry.name, Path(entry.file).name.removesuffix(".json")}
        # No fallback to every contact here: a flow nobody started in is not replayed.
        report = _replay(manifest.path_of(entry), [c for c in logged if _starts_in(c, names)])
        reports[entry.name] = report
        if report.changed and not names & accepted:
            failing.append(entry.name)
    if args.json:
        flows = {name: report.to_dict() for name, report in reports.items()}
        print(json.dumps({"flows": flows, "failing": failing}, indent=2, ensure_ascii=False))
    else:
        for name, report in reports.items():
            verdict = "accepted (--accept)" if report.changed and name not in failing else ""
            print(f"== {name} {verdict}".rstrip())
            print(format_report(report), end="")
        if failing:
            print(
                "ivr whatif: contacts would end differently in " + ", ".join(failing) + "; if "
                "that is intended, pass --accept " + ",".join(failing),
                file=sys.stderr,
            )
    return 1 if failing else 0


def _replay(flow: Path, chosen: list[LoggedContact]) -> WhatIfReport:
    whatif = WhatIf(flow)
    for contact in chosen:
        whatif.replay(contact)
    return whatif.report


def _starts_in(contact: LoggedContact, names: set[str]) -> bool:
    first = contact.entries[0]
    return first.flow_name in names or first.flow_id.rsplit("/", 1)[-1] in names
