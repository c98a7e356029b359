"""Compile a flow once into what the run loop walks: actions indexed by Identifier, each bound
to its block and its pre-split parameters, transitions split into conditions and an error map.

Compiled flows are cached by path and modification time, so a benchmark running thousands of
calls (or a test suite calling the same flow) parses each file once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ivr.engine.blocks import BLOCKS, Block, unsupported
from ivr.engine.conditions import operator
from ivr.engine.paths import Value, compile_value
from ivr.errors import FlowError
from models.flow import FLOW_LANGUAGE_VERSION, Action, Flow


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    operator: str
    test: Callable[[str, str], bool] | None  # None: an operator this engine does not know
    operand: Value
    target: str
    label: str


@dataclass(frozen=True, slots=True)
class CompiledAction:
    identifier: str
    type: str
    block: Block
    params: Any  # what block.prepare made of the Parameters
    next_action: str | None
    conditions: tuple[CompiledCondition, ...]
    errors: dict[str, str]
    flow: str  # the flow's name, for events and messages


@dataclass(frozen=True)
class CompiledFlow:
    name: str
    path: Path | None
    start: str
    actions: dict[str, CompiledAction]
    types: frozenset[str] = field(default_factory=frozenset)

    @property
    def unsupported_types(self) -> frozenset[str]:
        return frozenset(t for t in self.types if t not in BLOCKS)


def compile_flow(flow: Flow, name: str, path: Path | None = None) -> CompiledFlow:
    if flow.version != FLOW_LANGUAGE_VERSION:
        raise FlowError(
            f"{name}: Version is {flow.version!r}; only Flow Language {FLOW_LANGUAGE_VERSION!r} "
            "can be simulated (is this a legacy console export?)"
        )
    actions = {a.identifier: _compile_action(a, name) for a in flow.actions}
    if flow.start_action not in actions:
        raise FlowError(f"{name}: StartAction {flow.start_action!r} is not an action of the flow")
    return CompiledFlow(
        name, path, flow.start_action, actions, frozenset(a.type for a in flow.actions)
    )


def _compile_action(action: Action, flow_name: str) -> CompiledAction:
    block = BLOCKS.get(action.type) or unsupported(action.type)
    transitions = action.transitions
    conditions = []
    for c in transitions.conditions:
        operands = c.condition.operands
        operand = compile_value(operands[0] if operands else "")
        label = f"condition:{c.condition.operator} {','.join(str(o) for o in operands)}"
        conditions.append(
            CompiledCondition(
                c.condition.operator, operator(c.condition.operator), operand, c.next_action, label
            )
        )
    errors: dict[str, str] = {}
    for e in transitions.errors:
        errors.setdefault(e.error_type, e.next_action)  # the first entry wins, as in the console
    try:
        params = block.prepare(action.params)
    except (TypeError, ValueError, KeyError) as exc:
        raise FlowError(
            f"{flow_name}: action {action.identifier} ({action.type}) has parameters the "
            f"simulator cannot read: {exc}"
        ) from exc
    return CompiledAction(
        action.identifier,
        action.type,
        block,
        params,
        transitions.next_action or None,
        tuple(conditions),
        errors,
        flow_name,
    )


_cache: dict[Path, tuple[int, CompiledFlow]] = {}


def load_flow(path: str | Path) -> CompiledFlow:
    """The compiled flow in `path` (cached until the file changes); FlowError if it is not one."""
    resolved = Path(path).resolve()
    try:
        mtime = resolved.stat().st_mtime_ns
    except OSError as exc:
        raise FlowError(f"cannot read flow {path}: {exc.strerror}") from exc
    cached = _cache.get(resolved)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    compiled = compile_flow(_read(resolved, path), resolved.name, resolved)
    _cache[resolved] = (mtime, compiled)
    return compiled


def _read(resolved: Path, shown: str | Path) -> Flow:
    try:
        text = resolved.read_text(encoding="utf-8")
    except OSError as exc:
        raise FlowError(f"cannot read flow {shown}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise FlowError(f"{shown} is not a text file (UTF-8 JSON expected)") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FlowError(f"{shown} is not valid JSON: {exc}") from exc
    if not isinstance(document, dict) or not (
        "Actions" in document or "Content" in document or "ContactFlow" in document
    ):
        raise FlowError(
            f"{shown} is not a contact flow (no Actions): export it with the Flow Language "
            "(Version 2019-10-30)"
        )
    try:
        return Flow.from_json(text)
    except (ValidationError, json.JSONDecodeError) as exc:
        raise FlowError(f"{shown} is not a contact flow: {exc}") from exc
