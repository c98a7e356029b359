"""UpdateFlowAttributes (Set flow attributes): `{"name": {"Value": v}}` -> `$.FlowAttributes.name`,
visible in this flow only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block
from ivr.engine.events import AttributeSet
from ivr.engine.steps import PROCEED, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    attributes = action.params.get("FlowAttributes") or {}
    resolved = {}
    for name, spec in attributes.items():
        value = spec.get("Value") if isinstance(spec, dict) else spec
        resolved[name] = value.text_in(call.contact) if value is not None else ""
    for name, value in resolved.items():
        call.contact.flow_attributes[name] = value
        call.emit(AttributeSet(action.identifier, name, value, scope="flow"))
    return PROCEED


BLOCK = Block("UpdateFlowAttributes", run)
