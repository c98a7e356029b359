"""Compile a flow once into what the run loop walks: actions indexed by Identifier, each bound
to its block's run function and its pre-split parameters, and every transition resolved to the
action it leads to, with the (immutable) event that records taking it built once here. The
loop then follows object references; it never looks an Identifier up or builds an
ActionEntered/BranchTaken per step.

Compiled flows are cached by path and modification time, so a benchmark running thousands of
calls (or a test suite calling the same flow) parses each file once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivr.engine.blocks import BLOCKS, Block, unsupported
from ivr.engine.blocks.base import Runner
from ivr.engine.conditions import operator
from ivr.engine.events import ActionEntered, BranchTaken
from ivr.engine.paths import Static, Value, compile_value
from ivr.errors import FlowError
from ivr.flowfile import FlowFileError, gc_paused, parse_flow, read_document
from models.flow import FLOW_LANGUAGE_VERSION, Action, Flow


@dataclass(slots=True, eq=False)
class Transition:
    """One way out of an action: the event recording it, and the action it leads to (None when
    the flow has no action with that Identifier: reaching it ends the call in an error)."""

    taken: BranchTaken
    target: CompiledAction | None = None


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    operator: str
    test: Callable[[str, str], bool] | None  # None: an operator this engine does not know
    operand: Value
    target: str
    label: str
    way: Transition
    static_operand: str | None  # the operand's text when it holds no JSONPath


@dataclass(frozen=True, slots=True, eq=False)
class CompiledAction:
    identifier: str
    type: str
    block: Block
    params: Any  # what block.prepare made of the Parameters
    next_action: str | None
    conditions: tuple[CompiledCondition, ...]
    errors: dict[str, str]
    flow: str  # the flow's name, for events and messages
    run: Runner  # block.run, bound here so the loop makes one attribute read
    entered: ActionEntered
    next: Transition | None  # NextAction, resolved
    error_ways: dict[str, Transition]  # ErrorType -> resolved Errors entry (first one wins)


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
    ways: list[Transition] = []
    actions = {a.identifier: _compile_action(a, name, ways) for a in flow.actions}
    if flow.start_action not in actions:
        start = flow.start_action[:100] + ("..." if len(flow.start_action) > 100 else "")
        raise FlowError(f"{name}: StartAction {start!r} is not an action of the flow")
    for way in ways:  # link once every action exists
        way.target = actions.get(way.taken.target)
    return CompiledFlow(
        name, path, flow.start_action, actions, frozenset(a.type for a in flow.actions)
    )


def _compile_action(action: Action, flow_name: str, ways: list[Transition]) -> CompiledAction:
    block = BLOCKS.get(action.type) or unsupported(action.type)
    identifier = action.identifier

    def way(label: str, target: str) -> Transition:
        transition = Transition(BranchTaken(identifier, label, target))
        ways.append(transition)
        return transition

    transitions = action.transitions
    conditions = []
    for c in transitions.conditions:
        operands = c.condition.operands
        operand = compile_value(operands[0] if operands else "")
        label = f"condition:{c.condition.operator} {','.join(str(o) for o in operands)}"
        conditions.append(
            CompiledCondition(
                c.condition.operator,
                operator(c.condition.operator),
                operand,
                c.next_action,
                label,
                way(label, c.next_action),
                operand.text if isinstance(operand, Static) else None,
            )
        )
    errors: dict[str, str] = {}
    for e in transitions.errors:
        errors.setdefault(e.error_type, e.next_action)  # the first entry wins, as in the console
    try:
        params = block.prepare(action.params, identifier)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise FlowError(
            f"{flow_name}: action {identifier} ({action.type}) has parameters the "
            f"simulator cannot read: {exc}"
        ) from exc
    next_action = transitions.next_action or None
    return CompiledAction(
        identifier,
        action.type,
        block,
        params,
        next_action,
        tuple(conditions),
        errors,
        flow_name,
        block.run,
        ActionEntered(flow_name, identifier, action.type),
        way("next", next_action) if next_action else None,
        # An empty target counts as no entry, as it always has in the run loop.
        {kind: way(f"error:{kind}", target) for kind, target in errors.items() if target},
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
    with gc_paused():  # every object compiled here lives as long as the flow
        compiled = compile_flow(_read(resolved, path), resolved.name, resolved)
    _cache[resolved] = (mtime, compiled)
    return compiled


def _read(resolved: Path, shown: str | Path) -> Flow:
    source = str(shown)
    _, document = read_document(resolved, source)
    if not isinstance(document, dict) or not (
        "Actions" in document or "Content" in document or "ContactFlow" in document
    ):
        raise FlowError(
            f"{shown} is not a contact flow (no Actions): export it with the Flow Language "
            "(Version 2019-10-30)"
        )
    try:
        return parse_flow(document, source)[0]
    except FlowFileError as exc:
        if exc.code == "invalid-flow":
            raise FlowError(f"{shown} is not a contact flow: {exc}") from exc
        raise
