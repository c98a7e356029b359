"""`ivr coverage FLOW... --scenarios FILE`: run the scenarios through each flow and print which
actions and branches they left unexercised.

Exit code 0 when coverage reaches `--fail-under` (default 0), 1 below it; the toolkit's own
errors exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ivr.coverage import CoverageCollector, format_report
from ivr.errors import ToolkitError
from ivr.scenarios import load_scenarios


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "coverage",
        help="block coverage of flows by a file of scenarios",
        description="Simulate each scenario through each FLOW and report the actions and "
        "branches (next, each condition, each error) no scenario exercised.",
    )
    parser.add_argument("flows", nargs="+", metavar="FLOW", help="flow JSON files")
    parser.add_argument(
        "--scenarios",
        required=True,
        metavar="FILE",
        help="JSON/YAML list of {caller, inputs, attributes, hours, queue_at_capacity, lambdas}",
    )
    parser.add_argument("--template", help="template.yaml (default: found upward from FLOW)")
    parser.add_argument(
        "--fail-under",
        type=float,
        default=0.0,
        metavar="PERCENT",
        help="exit 1 when actions+branches covered are below this percentage",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the report as JSON here")
    parser.add_argument(
        "--picture",
        type=Path,
        metavar="PATH",
        help="also draw each flow with its covered and uncovered branches coloured: .html (one "
        "self-contained page), .dot, else Mermaid; several FLOWs get PATH-<flow> each",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    scenarios = load_scenarios(args.scenarios)
    collector = CoverageCollector()
    for flow in args.flows:
        collector.add_flow(flow)
        for scenario in scenarios:
            scenario.run(flow, template=args.template, listener=collector.listener(flow))
    report = collector.report()
    print(format_report(report))
    if args.json:
        try:
            Path(args.json).write_text(report.to_json() + "\n", encoding="utf-8")
        except OSError as exc:
            raise ToolkitError(f"--json {args.json}: cannot write: {exc.strerror}") from exc
    if args.picture is not None:
        _draw(report, args.picture)
    if report.percent < args.fail_under:
        print(f"coverage {report.percent:.1f}% is below --fail-under {args.fail_under:g}%")
        return 1
    return 0


def _draw(report: Any, path: Path) -> None:
    from ivr.lint.loading import read_flow
    from ivr.render_traffic import PictureFormat, Traffic, picture  # only when asked for

    by_suffix: dict[str, PictureFormat] = {
        ".html": "html",
        ".htm": "html",
        ".dot": "dot",
        ".gv": "dot",
        ".svg": "svg",
    }
    fmt = by_suffix.get(path.suffix.lower(), "mermaid")
    for flow in report.flows:
        shape = flow.shape
        target = path
        if len(report.flows) > 1:
            target = path.with_name(f"{path.stem}-{shape.path.stem}{path.suffix}")
        traffic = Traffic(
            {identifier: int(identifier in flow.actions_hit) for identifier in shape.actions},
            {
                (b.identifier, b.label): int((b.identifier, b.label) in flow.branches_hit)
                for b in shape.branches
            },
            coverage=True,
            title=f"{shape.path.name}: coverage {flow.percent:.1f}%",
        )
        try:
            target.write_text(picture(read_flow(shape.path), traffic, fmt), encoding="utf-8")
        except OSError as exc:
            raise ToolkitError(f"--picture {target}: cannot write: {exc.strerror}") from exc
