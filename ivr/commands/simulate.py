"""`ivr simulate FLOW`: one call through a flow, offline, as a transcript or as JSON. The
flags describe a `Scenario` (ivr/scenarios.py), which runs the call.

Exit code 0 when the call ended normally (queue, disconnect, transfer, third party, end of
flow), 1 when it ended in an error or the step limit; the toolkit's own errors exit 2.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import Any, TextIO

from ivr.commands._call_options import add_call_options, pairs
from ivr.data_dir import project_store
from ivr.engine.simulator import DEFAULT_CALLER, DEFAULT_DIALED, DEFAULT_MAX_STEPS
from ivr.engine.transcript import line
from ivr.errors import ToolkitError
from ivr.scenarios import Scenario


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="run a call through a contact flow offline",
        description="Run one call through a Flow Language contact flow, without AWS.",
    )
    parser.add_argument("flow", metavar="FLOW", help="the flow JSON file")
    parser.add_argument("--caller", default=DEFAULT_CALLER, help="caller number, E.164")
    parser.add_argument("--dialed", default=DEFAULT_DIALED, help="dialed number, E.164")
    parser.add_argument("--channel", default="VOICE", help="VOICE (default), CHAT, TASK")
    parser.add_argument(
        "--input",
        action="append",
        default=[],
        metavar="KEYS",
        help="answer to the next input prompt: digits (# where pressed) or 'timeout'; repeat",
    )
    parser.add_argument(
        "--attribute", action="append", default=[], metavar="K=V", help="contact attribute"
    )
    parser.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="ACTION=ANSWER",
        help="what a service outside the flow answers an action (a view, a case, a customer "
        "profile, Voice ID, Wait...), by Identifier or Type: a result, or error:<ErrorType>; "
        "repeat (default: the success branch, see README)",
    )
    add_call_options(
        parser, lambda_help="handler or canned answer for a Lambda ARN or ${...Arn} placeholder"
    )
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.add_argument(
        "--interactive", action="store_true", help="type the keys at each input prompt"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for DistributeByPercentage")
    parser.add_argument(
        "--contact-id",
        metavar="UUID",
        help="the call's ContactId (default: a fresh one, so calls never share store records)",
    )
    parser.add_argument("--max-steps", type=int, default=DEFAULT_MAX_STEPS)
    parser.add_argument("-v", "--verbose", action="store_true", help="show every action")
    parser.add_argument(
        "--flow-log",
        metavar="FILE",
        help="append the flow log Amazon Connect would write for this call (JSON lines)",
    )
    parser.set_defaults(run=run)


class _TypedInput:
    """A person answers each input prompt on stdin; an empty line is silence."""

    def __init__(self, source: TextIO, out: TextIO) -> None:
        self._source, self._out = source, out

    def next_keys(self, identifier: str, store: bool) -> str | None:
        ask = "Keys (end with #, empty = silence)> " if store else "Key (empty = silence)> "
        self._out.write(ask)
        self._out.flush()
        answer = self._source.readline().strip()
        return answer or None


def run(args: argparse.Namespace) -> int:
    # The handlers run in-process on the project's embedded store, wherever ivr runs from.
    with project_store(Path(args.flow)):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    scenario = Scenario.of(
        {
            "caller": args.caller,
            "dialed": args.dialed,
            "channel": args.channel,
            "inputs": args.input,
            "attributes": pairs(args.attribute, "--attribute"),
            "hours": args.hours,
            "queue_at_capacity": args.queue_at_capacity,
            "lambdas": pairs(args.lambdas, "--lambda"),
            "answers": pairs(args.answer, "--answer"),
            "seed": args.seed,
            # A fresh one unless given, so calls never share store records.
            "contact_id": args.contact_id or str(uuid.uuid4()),
        },
        source="ivr simulate",
    )

    header = [
        f"Call from {scenario.caller} to {scenario.dialed} ({scenario.channel}) into {args.flow}"
    ]

    def show(event: Any) -> None:
        # The header waits for the call's first event: a flow that cannot be loaded prints
        # only its error.
        if header:
            print(header.pop(), flush=True)
        text = line(event, verbose=args.verbose)
        if text is not None:
            print(text, flush=True)

    result = scenario.run(
        args.flow,
        template=args.template,
        verbose=args.verbose,
        max_steps=args.max_steps,
        input_source=_TypedInput(sys.stdin, sys.stdout) if args.interactive else None,
        listener=None if args.json else show,
    )
    if args.flow_log:
        _write_flow_log(args.flow_log, result, scenario.call_contact_id)
    if args.json:
        print(result.to_json())
    return 0 if result.ok else 1


def _write_flow_log(path: str, result: Any, contact_id: str) -> None:
    from datetime import UTC, datetime

    from ivr.flowlogs.writer import append_flow_log  # only when asked for

    try:
        append_flow_log(path, result, contact_id, start=datetime.now(UTC))
    except OSError as exc:
        raise ToolkitError(f"--flow-log {path}: cannot write: {exc.strerror}") from exc
