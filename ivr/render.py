"""A flow as a diagram: Mermaid (`flowchart TD`) or Graphviz dot.

Every action is a node labelled with its Identifier (a UUID shortened to its first 8
characters), its Type and a one-line summary (the prompt text, the compared value, the
function called); every branch is an edge labelled `next`, a condition (`= 1`,
`starts with A`) or an error type (`NoMatchingError`). Branches to missing actions point at
a node marked "missing", so a broken flow still renders.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from ivr.flow_language import CONDITION_OPERATORS
from models.flow import Action, Flow

__all__ = ["FORMATS", "Format", "edges", "node_label", "render", "short_identifier"]

Format = Literal["mermaid", "dot"]
FORMATS: tuple[Format, ...] = ("mermaid", "dot")

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_OPERATORS = {name: op.symbol for name, op in CONDITION_OPERATORS.items()}
# Parameters worth showing, in order of preference: the first one present is the summary.
_SUMMARY_KEYS = (
    "Text",
    "SSML",
    "PromptId",
    "ComparisonValue",
    "LambdaFunctionARN",
    "QueueId",
    "AgentId",
    "ContactFlowId",
    "FlowModuleId",
    "LoopCount",
    "HoursOfOperationId",
    "MetricType",
    "ThirdPartyPhoneNumber",
    "TextToSpeechVoice",
    "FlowLoggingBehavior",
)
_SUMMARY_CHARS = 40


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


def short_identifier(identifier: str) -> str:
    return identifier[:8] if _UUID.fullmatch(identifier) else identifier


def summary(action: Action) -> str:
    params = action.params
    for key in _SUMMARY_KEYS:
        value = params.get(key)
        if isinstance(value, str) and value:
            return _clip(value)
    if isinstance(params.get("Attributes"), dict):
        return _clip("set " + ", ".join(params["Attributes"]))
    if isinstance(params.get("StoreInput"), str) and params["StoreInput"] == "True":
        return "store input"
    return ""


def node_label(action: Action) -> list[str]:
    """The label's lines: Identifier, Type, summary (when there is one)."""
    lines = [short_identifier(action.identifier), action.type]
    text = summary(action)
    return [*lines, text] if text else lines


def edge_label(branch: str) -> str:
    """`next`, `condition:Equals 1` -> `= 1`, `error:NoMatchingError` -> `NoMatchingError`."""
    if branch.startswith("condition:"):
        operator, _, operand = branch[len("condition:") :].partition(" ")
        return f"{_OPERATORS.get(operator, operator)} {operand}".strip()
    if branch.startswith("error:"):
        return branch[len("error:") :]
    return branch


def edges(flow: Flow) -> Iterator[Edge]:
    for action in flow.actions:
        for branch, target in action.transitions.targets():
            yield Edge(action.identifier, target, edge_label(branch))


def render(flow: Flow, fmt: Format = "mermaid") -> str:
    if fmt == "mermaid":
        return _mermaid(flow)
    if fmt == "dot":
        return _dot(flow)
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def _node_ids(flow: Flow) -> tuple[dict[str, str], list[str]]:
    """Safe node ids (n0, n1, ...) for each Identifier, and the targets no action has."""
    ids: dict[str, str] = {}
    for action in flow.actions:
        ids.setdefault(action.identifier, f"n{len(ids)}")
    missing = []
    for edge in edges(flow):
        if edge.target not in ids:
            ids[edge.target] = f"n{len(ids)}"
            missing.append(edge.target)
    if flow.start_action and flow.start_action not in ids:
        ids[flow.start_action] = f"n{len(ids)}"
        missing.append(flow.start_action)
    return ids, missing


def _mermaid(flow: Flow) -> str:
    ids, missing = _node_ids(flow)
    lines = ["flowchart TD", '    start(("start"))']
    for action in flow.actions:
        lines.append(f'    {ids[action.identifier]}["{_mermaid_text(node_label(action))}"]')
    for identifier in missing:
        lines.append(f'    {ids[identifier]}["{_mermaid_text([identifier, "missing"])}"]')
    if flow.start_action:
        lines.append(f"    start --> {ids[flow.start_action]}")
    for edge in edges(flow):
        label = _mermaid_text([edge.label])
        lines.append(f'    {ids[edge.source]} -->|"{label}"| {ids[edge.target]}')
    return "\n".join(lines) + "\n"


def _mermaid_text(lines: list[str]) -> str:
    """Lines for a quoted Mermaid label: anything but plain text becomes an entity code."""
    return "<br/>".join(_escape(line, _MERMAID_CODES) for line in lines)


def _mermaid_entity(char: str) -> str:
    return f"#{ord(char)};"


def _dot(flow: Flow) -> str:
    ids, missing = _node_ids(flow)
    lines = [
        "digraph flow {",
        "    rankdir=TB;",
        "    node [shape=box, fontname=Helvetica];",
        '    start [shape=circle, label="start"];',
    ]
    for action in flow.actions:
        lines.append(f'    {ids[action.identifier]} [label="{_dot_text(node_label(action))}"];')
    for identifier in missing:
        lines.append(
            f'    {ids[identifier]} [label="{_dot_text([identifier, "missing"])}", style=dashed];'
        )
    if flow.start_action:
        lines.append(f"    start -> {ids[flow.start_action]};")
    for edge in edges(flow):
        lines.append(
            f'    {ids[edge.source]} -> {ids[edge.target]} [label="{_dot_text([edge.label])}"];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_text(lines: list[str]) -> str:
    """Lines for a quoted dot label: only quotes and backslashes need escaping there."""
    return "\\n".join(
        " ".join(line.split()).replace("\\", "\\\\").replace('"', '\\"') for line in lines
    )


class _LabelCodes(dict[int, "int | str"]):
    """A `str.translate` table for labels: a letter or digit of any script, a space or
    harmless punctuation maps to itself, any other character to `replace(char)`. Filled as
    characters are met, so translating runs at C speed (a label can hold a whole corrupted
    file's text); past `_LABEL_CODES_KEPT` characters it stops remembering new ones."""

    def __init__(self, replace: Callable[[str], str]) -> None:
        super().__init__()
        self._replace = replace

    def __missing__(self, code: int) -> int | str:
        char = chr(code)
        kept = char.isalnum() or char in " .,:;_-+*/=?!'@()"
        value: int | str = code if kept else self._replace(char)
        if len(self) < _LABEL_CODES_KEPT:
            self[code] = value
        return value


_LABEL_CODES_KEPT = 65_536


def _escape(text: str, codes: _LabelCodes) -> str:
    """Keep letters, digits, spaces and harmless punctuation; replace the rest."""
    return " ".join(text.split()).translate(codes)


_MERMAID_CODES = _LabelCodes(_mermaid_entity)


def _clip(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= _SUMMARY_CHARS else text[: _SUMMARY_CHARS - 1] + "…"
