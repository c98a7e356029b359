"""`ivr render FLOW --format mermaid|dot [-o FILE]`: a flow as a diagram."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ivr.errors import ToolkitError
from ivr.lint.loading import read_flow
from ivr.render import FORMATS, render


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "render",
        help="draw a flow as a Mermaid or Graphviz diagram",
        description=(
            "Draw every action (Identifier, Type, a short summary) and every branch "
            "(next, conditions, errors) of a flow."
        ),
    )
    parser.add_argument("flow", type=Path, metavar="FLOW", help="the flow file")
    parser.add_argument(
        "--format",
        choices=(*FORMATS, "html", "svg"),
        default="mermaid",
        help="default: mermaid; html: one self-contained page (diagram and tables); svg: its "
        "diagram alone",
    )
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    parser.add_argument(
        "--traffic",
        nargs="+",
        metavar="LOGS",
        help="flow-log files: draw each action's and branch's contacts on a heat scale",
    )
    parser.add_argument(
        "--flow-name",
        metavar="NAME",
        help="with --traffic: the ContactFlowName of FLOW's entries (default: its file stem)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    flow = read_flow(args.flow)
    if args.traffic or args.format in ("html", "svg"):
        from ivr.render_traffic import picture  # only for traffic pictures

        diagram = picture(flow, _traffic(args), args.format)
    else:
        diagram = render(flow, args.format)
    if args.output is None:
        print(diagram, end="")
        return 0
    try:
        args.output.write_text(diagram, encoding="utf-8")
    except OSError as exc:
        raise ToolkitError(f"cannot write {args.output}: {exc.strerror}") from exc
    return 0


def _traffic(args: argparse.Namespace) -> Any:
    from ivr.coverage import FlowShape
    from ivr.flowlogs.reader import ReadReport
    from ivr.flowlogs.summary import summarize_logs
    from ivr.render_traffic import Traffic

    if not args.traffic:
        return Traffic(title=f"{args.flow.name}")
    report = ReadReport()
    summary = summarize_logs(args.traffic, FlowShape.load(args.flow), args.flow_name, report)
    actions = {t.identifier: t.entries for t in summary.actions.values()}
    branches = {
        (t.identifier, label): n
        for t in summary.actions.values()
        for label, n in t.branches.items()
    }
    title = f"{args.flow.name}: {summary.contacts} contacts"
    return Traffic(actions, branches, title=title)
