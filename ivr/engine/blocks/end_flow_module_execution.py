"""EndFlowModuleExecution: a module returns to the flow that invoked it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block
from ivr.engine.steps import Return, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    return Return()


BLOCK = Block("EndFlowModuleExecution", run)
RETURN_BLOCK = Block("ReturnFromFlowModule", run)  # an older name seen in exports
