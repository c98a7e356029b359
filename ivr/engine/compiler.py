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
from ivr.flow_language import LEGACY_EXPORT_HINT, is_legacy_export
from ivr.flowfile import flow_object, gc_paused, read_document
from models.flow import FLOW_LANGUAGE_VERSION

_NONE = object()
_NO_TRANSITIONS: dict[str, Any] = {}


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


# Compiled once and never changed, but not frozen: a frozen dataclass sets each field through
# object.__setattr__, which made building 100,000 of these a tenth of a long flow's run.
@dataclass(slots=True, eq=False)
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


def compile_flow(flow: dict[str, Any], name: str, path: Path | None = None) -> CompiledFlow:
    """Compile a flow's JSON object (the unwrapped Content) straight from the parsed JSON.

    Not through `models.flow.Flow`: validating 100,000 actions into models cost more than
    compiling them. `_Shape` checks each value the engine reads as it reads it, with the
    model's rules (strings where the model has `str`, lists and objects where it has them,
    the same defaults), so a malformed flow is still a one-line FlowError.
    """
    shape = _Shape(name)
    version = shape.text(flow, "Version")
    if version != FLOW_LANGUAGE_VERSION:
        raise FlowError(
            f"{name}: Version is {version!r}; only Flow Language {FLOW_LANGUAGE_VERSION!r} "
            "can be simulated (is this a legacy console export?)"
        )
    start_action = shape.text(flow, "StartAction")
    ways: list[Transition] = []
    actions: dict[str, CompiledAction] = {}
    types: set[str] = set()
    for index, raw in enumerate(shape.items(flow, "Actions")):
        shape.index = index
        compiled = _compile_action(shape.node(raw, ""), shape, ways)
        actions.setdefault(compiled.identifier, compiled)  # the first one wins, as in lint
        types.add(compiled.type)
    if start_action not in actions:
        start = start_action[:100] + ("..." if len(start_action) > 100 else "")
        raise FlowError(f"{name}: StartAction {start!r} is not an action of the flow")
    for way in ways:  # link once every action exists
        way.target = actions.get(way.taken.target)
    return CompiledFlow(name, path, start_action, actions, frozenset(types))


class _Shape:
    """Reads a flow's JSON the way `models.flow` would validate it, naming what is wrong:
    `where` is the place inside the current action, or in the flow when none is read."""

    def __init__(self, flow_name: str) -> None:
        self.flow_name = flow_name
        self.index: int | None = None  # the action being read, if any

    @property
    def at(self) -> str:
        """Where the current action is: "Actions[3]." (formatted only for a message)."""
        return "" if self.index is None else f"Actions[{self.index}]."

    def wrong(self, where: str, expected: str, value: Any) -> FlowError:
        place = (self.at + where).rstrip(".") or "the flow"
        return FlowError(
            f"{self.flow_name} is not a contact flow: {place} should be {expected}, "
            f"not {type(value).__name__}"
        )

    def node(self, value: Any, where: str) -> dict[str, Any]:
        if type(value) is not dict:
            raise self.wrong(where, "an object", value)
        return value

    def text(self, node: dict[str, Any], key: str, where: str = "") -> str:
        """`node[key]`, a string; "" when absent (the model's default)."""
        value = node.get(key, "")
        if type(value) is not str:
            raise self.wrong(where + key, "a string", value)
        return value

    def items(self, node: dict[str, Any], key: str, where: str = "") -> list[Any]:
        """`node[key]`, a list; empty when absent (the model's default)."""
        value = node.get(key, _NONE)
        if value is _NONE:
            return []
        if type(value) is not list:
            raise self.wrong(where + key, "a list", value)
        return value


def _way(ways: list[Transition], identifier: str, label: str, target: str) -> Transition:
    transition = Transition(BranchTaken(identifier, label, target))
    ways.append(transition)
    return transition


def _compile_action(
    action: dict[str, Any], shape: _Shape, ways: list[Transition]
) -> CompiledAction:
    flow_name = shape.flow_name
    identifier = action.get("Identifier")
    type_ = action.get("Type")
    if type(identifier) is not str or type(type_) is not str:
        key = "Identifier" if type(identifier) is not str else "Type"
        missing = action.get(key) is None
        raise FlowError(
            f"{flow_name} is not a contact flow: {shape.at}{key} "
            + ("is missing" if missing else "should be a string")
        )
    block = BLOCKS.get(type_) or unsupported(type_)
    raw_params = action.get("Parameters")
    if raw_params is not None and type(raw_params) is not dict:
        raise shape.wrong("Parameters", "an object", raw_params)
    transitions = action.get("Transitions", _NO_TRANSITIONS)
    if type(transitions) is not dict:
        raise shape.wrong("Transitions", "an object", transitions)
    conditions = []
    for entry in shape.items(transitions, "Conditions", "Transitions."):
        entry = shape.node(entry, "Transitions.Conditions[]")
        target = shape.text(entry, "NextAction", "Transitions.Conditions[].")
        condition = shape.node(entry.get("Condition", {}), "Transitions.Conditions[].Condition")
        op = shape.text(condition, "Operator", "Transitions.Conditions[].Condition.")
        operands = shape.items(condition, "Operands", "Transitions.Conditions[].Condition.")
        operand = compile_value(operands[0] if operands else "")
        label = f"condition:{op} {','.join(str(o) for o in operands)}"
        conditions.append(
            CompiledCondition(
                op,
                operator(op),
                operand,
                target,
                label,
                _way(ways, identifier, label, target),
                operand.text if isinstance(operand, Static) else None,
            )
        )
    errors: dict[str, str] = {}
    for entry in shape.items(transitions, "Errors", "Transitions."):
        entry = shape.node(entry, "Transitions.Errors[]")
        # The first entry wins, as in the console.
        errors.setdefault(
            shape.text(entry, "ErrorType", "Transitions.Errors[]."),
            shape.text(entry, "NextAction", "Transitions.Errors[]."),
        )
    try:
        params = block.prepare(raw_params or {}, identifier)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise FlowError(
            f"{flow_name}: action {identifier} ({type_}) has parameters the "
            f"simulator cannot read: {exc}"
        ) from exc
    next_action = transitions.get("NextAction")
    if next_action is not None and type(next_action) is not str:
        raise shape.wrong("Transitions.NextAction", "a string", next_action)
    next_action = next_action or None
    return CompiledAction(
        identifier,
        type_,
        block,
        params,
        next_action,
        tuple(conditions),
        errors,
        flow_name,
        block.run,
        ActionEntered(flow_name, identifier, type_),
        _way(ways, identifier, "next", next_action) if next_action else None,
        # An empty target counts as no entry, as it always has in the run loop.
        {
            kind: _way(ways, identifier, f"error:{kind}", target)
            for kind, target in errors.items()
            if target
        },
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


def _read(resolved: Path, shown: str | Path) -> dict[str, Any]:
    source = str(shown)
    _, document = read_document(resolved, source)
    if is_legacy_export(document):
        raise FlowError(f"{shown} is {LEGACY_EXPORT_HINT}")
    if not isinstance(document, dict) or not (
        "Actions" in document or "Content" in document or "ContactFlow" in document
    ):
        raise FlowError(
            f"{shown} is not a contact flow (no Actions): export it with the Flow Language "
            "(Version 2019-10-30)"
        )
    return flow_object(document, source)
