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
    parser.add_argument("--format", choices=FORMATS, default="mermaid", help="default: mermaid")
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    diagram = render(read_flow(args.flow), args.format)
    if args.output is None:
        print(diagram, end="")
        return 0
    try:
        args.output.write_text(diagram, encoding="utf-8")
    except OSError as exc:
        raise ToolkitError(f"cannot write {args.output}: {exc.strerror}") from exc
    return 0
