"""UpdateContactAttributes (Set contact attributes): every key set, values resolved first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block
from ivr.engine.events import AttributeSet
from ivr.engine.steps import PROCEED, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    attributes = action.params.get("Attributes") or {}
    # All or nothing: resolve every value before setting any.
    resolved = {name: value.text_in(call.contact) for name, value in attributes.items()}
    for name, value in resolved.items():
        call.contact.attributes[name] = value
        call.emit(AttributeSet(action.identifier, name, value))
    return PROCEED


BLOCK = Block("UpdateContactAttributes", run)
