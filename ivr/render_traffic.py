"""A flow drawn with what went through it: each action's and each branch's count on a heat
scale, from flow logs (`ivr render --traffic`) or from coverage (`ivr coverage --picture`:
taken branches green, untaken red). Mermaid and dot carry the counts in labels and colours;
`html` is one self-contained page (an inline SVG drawn here, no script, no network) with the
tables under it, to open in a browser or attach to a change request; `svg` that diagram alone.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Literal

from ivr.render import _dot_text, _mermaid_text, _node_ids, edge_label, node_label
from models.flow import Flow

PictureFormat = Literal["mermaid", "dot", "html", "svg"]
PICTURE_FORMATS: tuple[PictureFormat, ...] = ("mermaid", "dot", "html", "svg")
# Light to dark: no traffic, then four steps of the busiest's share.
HEAT = ("#eeeeee", "#fde0c5", "#facba6", "#f59e72", "#e8603c")
COVERED, UNCOVERED = "#b7e4c7", "#f4a3a3"


@dataclass
class Traffic:
    """Counts per action Identifier and per (Identifier, branch label); `coverage` draws
    taken/untaken instead of a heat scale."""

    actions: dict[str, int] = field(default_factory=dict)
    branches: dict[tuple[str, str], int] = field(default_factory=dict)
    coverage: bool = False
    title: str = ""

    def busiest(self) -> int:
        return max([*self.actions.values(), *self.branches.values(), 1])

    def colour(self, count: int) -> str:
        if self.coverage:
            return COVERED if count else UNCOVERED
        if not count:
            return HEAT[0]
        step = min(len(HEAT) - 1, 1 + (len(HEAT) - 2) * count // self.busiest())
        return HEAT[step]

    def width(self, count: int) -> float:
        if self.coverage:
            return 2.0 if count else 1.0
        return 1.0 + 5.0 * count / self.busiest()


@dataclass(frozen=True)
class _Way:
    source: str
    target: str
    label: str  # the branch label (`next`, `condition:Equals 1`, `error:...`)


def _ways(flow: Flow) -> list[_Way]:
    return [
        _Way(action.identifier, target, label)
        for action in flow.actions
        for label, target in action.transitions.targets()
    ]


def picture(flow: Flow, traffic: Traffic, fmt: PictureFormat) -> str:
    if fmt == "mermaid":
        return _mermaid(flow, traffic)
    if fmt == "dot":
        return _dot(flow, traffic)
    if fmt == "html":
        return _html(flow, traffic)
    if fmt == "svg":  # the html page's diagram alone: an image a README or wiki can show
        return _svg(flow, traffic) + "\n"
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(PICTURE_FORMATS)}")


def _count_text(traffic: Traffic, count: int, total: int | None = None) -> str:
    if traffic.coverage:
        return "taken" if count else "NOT taken"
    share = f" ({100 * count / total:.0f}%)" if total else ""
    return f"{count}{share}"


def _branch_totals(flow: Flow, traffic: Traffic) -> dict[str, int]:
    totals: dict[str, int] = {}
    for way in _ways(flow):
        totals[way.source] = totals.get(way.source, 0) + traffic.branches.get(
            (way.source, way.label), 0
        )
    return totals


def _mermaid(flow: Flow, traffic: Traffic) -> str:
    ids, missing = _node_ids(flow)
    totals = _branch_totals(flow, traffic)
    lines = ["flowchart TD", '    start(("start"))']
    styles = []
    for action in flow.actions:
        count = traffic.actions.get(action.identifier, 0)
        label = [*node_label(action), _count_text(traffic, count)]
        node = ids[action.identifier]
        lines.append(f'    {node}["{_mermaid_text(label)}"]')
        styles.append(f"    style {node} fill:{traffic.colour(count)}")
    for identifier in missing:
        lines.append(f'    {ids[identifier]}["{_mermaid_text([identifier, "missing"])}"]')
    links = 0
    if flow.start_action:
        lines.append(f"    start --> {ids[flow.start_action]}")
        links += 1
    for way in _ways(flow):
        count = traffic.branches.get((way.source, way.label), 0)
        text = f"{edge_label(way.label)}: {_count_text(traffic, count, totals[way.source])}"
        lines.append(f'    {ids[way.source]} -->|"{_mermaid_text([text])}"| {ids[way.target]}')
        styles.append(
            f"    linkStyle {links} stroke:{_stroke(traffic, count)},"
            f"stroke-width:{traffic.width(count):.1f}px"
        )
        links += 1
    return "\n".join(lines + styles) + "\n"


def _stroke(traffic: Traffic, count: int) -> str:
    if traffic.coverage:
        return "#2d6a4f" if count else "#c0392b"
    return "#999999" if not count else HEAT[-1]


def _dot(flow: Flow, traffic: Traffic) -> str:
    ids, missing = _node_ids(flow)
    totals = _branch_totals(flow, traffic)
    lines = [
        "digraph flow {",
        "    rankdir=TB;",
        "    node [shape=box, fontname=Helvetica, style=filled];",
        '    start [shape=circle, label="start", style=solid];',
    ]
    for action in flow.actions:
        count = traffic.actions.get(action.identifier, 0)
        label = _dot_text([*node_label(action), _count_text(traffic, count)])
        lines.append(
            f'    {ids[action.identifier]} [label="{label}", fillcolor="{traffic.colour(count)}"];'
        )
    for identifier in missing:
        lines.append(
            f'    {ids[identifier]} [label="{_dot_text([identifier, "missing"])}", style=dashed];'
        )
    if flow.start_action:
        lines.append(f"    start -> {ids[flow.start_action]};")
    for way in _ways(flow):
        count = traffic.branches.get((way.source, way.label), 0)
        text = _dot_text(
            [f"{edge_label(way.label)}: {_count_text(traffic, count, totals[way.source])}"]
        )
        lines.append(
            f'    {ids[way.source]} -> {ids[way.target]} [label="{text}", '
            f'color="{_stroke(traffic, count)}", penwidth={traffic.width(count):.1f}];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


# The page's drawing: actions in rows by their distance from the start (breadth first), so the
# main way down the flow reads top to bottom; an edge is a straight line.
_BOX_W, _BOX_H, _GAP_X, _GAP_Y = 190, 54, 30, 46


def _layers(flow: Flow) -> list[list[str]]:
    known = {a.identifier for a in flow.actions}
    ways: dict[str, list[str]] = {}
    for way in _ways(flow):
        if way.target in known:
            ways.setdefault(way.source, []).append(way.target)
    depth: dict[str, int] = {}
    frontier = [flow.start_action] if flow.start_action in known else []
    for identifier in frontier:
        depth[identifier] = 0
    while frontier:
        following = []
        for identifier in frontier:
            for target in ways.get(identifier, []):
                if target not in depth:
                    depth[target] = depth[identifier] + 1
                    following.append(target)
        frontier = following
    last = max(depth.values(), default=-1)
    for action in flow.actions:  # actions nothing leads to go in a last row
        depth.setdefault(action.identifier, last + 1)
    rows: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for action in flow.actions:
        rows[depth[action.identifier]].append(action.identifier)
    return rows


def _svg(flow: Flow, traffic: Traffic) -> str:
    rows = _layers(flow)
    widest = max((len(r) for r in rows), default=1)
    width = widest * (_BOX_W + _GAP_X) + _GAP_X
    height = len(rows) * (_BOX_H + _GAP_Y) + _GAP_Y
    place: dict[str, tuple[float, float]] = {}
    for row, identifiers in enumerate(rows):
        offset = (width - len(identifiers) * (_BOX_W + _GAP_X) + _GAP_X) / 2
        for column, identifier in enumerate(identifiers):
            place[identifier] = (
                offset + column * (_BOX_W + _GAP_X),
                _GAP_Y + row * (_BOX_H + _GAP_Y),
            )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="11">'
    ]
    for way in _ways(flow):
        if way.source not in place or way.target not in place:
            continue
        count = traffic.branches.get((way.source, way.label), 0)
        (x1, y1), (x2, y2) = place[way.source], place[way.target]
        title = html.escape(f"{way.source} {way.label}: {_count_text(traffic, count)}")
        parts.append(
            f'<line x1="{x1 + _BOX_W / 2:.0f}" y1="{y1 + _BOX_H:.0f}" '
            f'x2="{x2 + _BOX_W / 2:.0f}" y2="{y2:.0f}" stroke="{_stroke(traffic, count)}" '
            f'stroke-width="{traffic.width(count):.1f}" opacity="0.7"><title>{title}</title></line>'
        )
    types = {a.identifier: a for a in flow.actions}
    for identifier, (x, y) in place.items():
        count = traffic.actions.get(identifier, 0)
        label = node_label(types[identifier])
        parts.append(
            f"<g><title>{html.escape(' / '.join(label))}</title>"
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{_BOX_W}" height="{_BOX_H}" rx="6" '
            f'fill="{traffic.colour(count)}" stroke="#555"/>'
            f'<text x="{x + 8:.0f}" y="{y + 16:.0f}" font-weight="bold">'
            f"{html.escape(label[0][:28])}</text>"
            f'<text x="{x + 8:.0f}" y="{y + 31:.0f}">{html.escape(label[1][:30])}</text>'
            f'<text x="{x + 8:.0f}" y="{y + 46:.0f}">'
            f"{html.escape(_count_text(traffic, count))}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _html(flow: Flow, traffic: Traffic) -> str:
    totals = _branch_totals(flow, traffic)
    title = html.escape(traffic.title or "Flow traffic")
    rows = []
    for action in flow.actions:
        count = traffic.actions.get(action.identifier, 0)
        rows.append(
            f'<tr style="background:{traffic.colour(count)}"><td>'
            f"{html.escape(action.identifier)}</td><td>{html.escape(action.type)}</td>"
            f"<td>{html.escape(_count_text(traffic, count))}</td></tr>"
        )
    branch_rows = []
    for way in _ways(flow):
        count = traffic.branches.get((way.source, way.label), 0)
        branch_rows.append(
            f'<tr style="background:{traffic.colour(count)}"><td>'
            f"{html.escape(way.source)}</td><td>{html.escape(way.label)}</td>"
            f"<td>{html.escape(way.target)}</td>"
            f"<td>{html.escape(_count_text(traffic, count, totals[way.source]))}</td></tr>"
        )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{title}</title>",
            "<style>body{font-family:Helvetica,Arial,sans-serif;margin:24px}"
            "table{border-collapse:collapse;margin:16px 0}"
            "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
            ".diagram{overflow:auto;border:1px solid #ddd}</style></head><body>",
            f"<h1>{title}</h1>",
            f'<div class="diagram">{_svg(flow, traffic)}</div>',
            "<h2>Actions</h2><table><tr><th>Action</th><th>Type</th><th>Contacts</th></tr>",
            *rows,
            "</table>",
            "<h2>Branches</h2><table><tr><th>Action</th><th>Branch</th><th>To</th>"
            "<th>Taken</th></tr>",
            *branch_rows,
            "</table></body></html>",
        ]
    )
