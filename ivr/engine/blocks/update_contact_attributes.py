"""UpdateContactAttributes (Set contact attributes): every key set, values resolved first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ivr.engine.blocks.base import Block
from ivr.engine.events import AttributeSet
from ivr.engine.paths import Static, Value, compile_tree
from ivr.engine.steps import PROCEED, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


@dataclass(frozen=True, slots=True)
class Assignment:
    name: str
    value: Value
    fixed: AttributeSet | None  # the event, built once when the value holds no JSONPath


def prepare(params: dict[str, Any], identifier: str) -> tuple[Assignment, ...]:
    attributes = compile_tree(params).get("Attributes") or {}
    return tuple(
        Assignment(
            name,
            value,
            AttributeSet(identifier, name, value.text) if type(value) is Static else None,
        )
        for name, value in attributes.items()
    )


def run(action: CompiledAction, call: Run) -> Step:
    contact = call.contact
    # All or nothing: resolve every value before setting any.
    resolved = [(a, a.value.text_in(contact)) for a in action.params]
    for assignment, value in resolved:
        contact.attributes[assignment.name] = value
        call.emit(assignment.fixed or AttributeSet(action.identifier, assignment.name, value))
    return PROCEED


BLOCK = Block("UpdateContactAttributes", run, prepare)
