"""EndFlowExecution (End flow / Resume)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block
from ivr.engine.events import Outcome
from ivr.engine.steps import Finish, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run

END_FLOW = Finish(Outcome("end_flow"))


def run(action: CompiledAction, call: Run) -> Step:
    return END_FLOW


BLOCK = Block("EndFlowExecution", run)
