"""InvokeFlowModule: runs a module the simulator can find and returns to NextAction when the
module ends; a module it cannot find is the Error branch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block
from ivr.engine.steps import Enter, Fail, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    value = action.params.get("FlowModuleId")
    target = value.text_in(call.contact) if value is not None else ""
    module = call.flows.find(getattr(value, "source", target), target)
    if module is None:
        return Fail("NoMatchingError", f"flow module {target!r} not found")
    return Enter(module, returns=True)


BLOCK = Block("InvokeFlowModule", run)
