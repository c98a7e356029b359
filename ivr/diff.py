"""Semantic diff of two flows: what a caller could notice, nothing the designer moved.

Actions are matched by Identifier; their order in `Actions`, and `Metadata` (positions,
display names), are ignored. A change is an action added or removed, or, for an action in
both, its Type, a parameter (by dotted path: `Parameters.Text`), an extra key, or the target
of a branch (`next`, `condition:Equals 1`, `error:NoMatchingError`). Condition order is
ignored too: console exports list them in drawing order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from models.flow import Action, Flow

__all__ = ["Change", "ChangeKind", "diff_flows", "format_changes"]

ChangeKind = Literal["added", "removed", "changed"]
_MISSING = object()


@dataclass(frozen=True)
class Change:
    """One action (or the flow itself, identifier "") that differs; `detail` says how."""

    kind: ChangeKind
    identifier: str
    detail: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "detail": list(self.detail)}


def diff_flows(a: Flow, b: Flow) -> list[Change]:
    """The semantic changes from `a` to `b`: flow-level first, then by Identifier."""
    changes: list[Change] = []
    flow_detail = list(_flow_level(a, b))
    if flow_detail:
        changes.append(Change("changed", "", tuple(flow_detail)))
    before, after = a.by_identifier(), b.by_identifier()
    for identifier in sorted(before.keys() | after.keys()):
        old, new = before.get(identifier), after.get(identifier)
        if old is None and new is not None:
            changes.append(Change("added", identifier, (_describe(new),)))
        elif new is None and old is not None:
            changes.append(Change("removed", identifier, (_describe(old),)))
        elif old is not None and new is not None:
            detail = tuple(_action_changes(old, new))
            if detail:
                changes.append(Change("changed", identifier, detail))
    return changes


def format_changes(changes: Sequence[Change]) -> str:
    """Human-readable lines, diff(1)-like: `+` added, `-` removed, `~` changed."""
    marks = {"added": "+", "removed": "-", "changed": "~"}
    lines: list[str] = []
    for change in changes:
        name = change.identifier or "(flow)"
        lines.append(f"{marks[change.kind]} {change.kind} {name}")
        lines.extend(f"    {line}" for line in change.detail)
    return "\n".join(lines)


def _flow_level(a: Flow, b: Flow) -> Iterator[str]:
    if a.version != b.version:
        yield f"Version: {_show(a.version)} -> {_show(b.version)}"
    if a.start_action != b.start_action:
        yield f"StartAction: {_show(a.start_action)} -> {_show(b.start_action)}"
    yield from _values("Settings", a.settings or {}, b.settings or {})
    yield from _values("", _extras(a), _extras(b))


def _describe(action: Action) -> str:
    summary = ", ".join(f"{k}={_show(v)}" for k, v in sorted(action.params.items()))
    return f"{action.type}" + (f" ({summary})" if summary else "")


def _action_changes(old: Action, new: Action) -> Iterator[str]:
    if old.type != new.type:
        yield f"Type: {old.type} -> {new.type}"
    yield from _values("Parameters", old.params, new.params)
    yield from _values("", _extras(old), _extras(new))
    yield from _branches(old, new)


def _extras(node: Flow | Action) -> dict[str, Any]:
    extra = dict(node.model_extra or {})
    extra.pop("Metadata", None)
    return extra


def _branches(old: Action, new: Action) -> Iterator[str]:
    before, after = _branch_map(old), _branch_map(new)
    for label in sorted(before.keys() | after.keys()):
        was, now = before.get(label), after.get(label)
        if was != now:
            yield f"{label}: {was or '(none)'} -> {now or '(none)'}"


def _branch_map(action: Action) -> dict[str, str]:
    """Branch label -> target; a label repeated (two identical conditions) gets `#2`..."""
    branches: dict[str, str] = {}
    for label, target in action.transitions.targets():
        key, count = label, 1
        while key in branches:
            count += 1
            key = f"{label} #{count}"
        branches[key] = target
    return branches


def _values(path: str, old: Any, new: Any) -> Iterator[str]:
    """Dotted paths where two JSON values differ; maps are walked key by key."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(old.keys() | new.keys(), key=str):
            yield from _values(
                f"{path}.{key}" if path else str(key),
                old.get(key, _MISSING),
                new.get(key, _MISSING),
            )
    elif old != new or type(old) is not type(new):
        yield f"{path}: {_show(old)} -> {_show(new)}"


def _show(value: Any) -> str:
    if value is _MISSING:
        return "(none)"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."
