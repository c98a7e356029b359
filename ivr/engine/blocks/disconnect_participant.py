"""DisconnectParticipant (Disconnect / hang up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block
from ivr.engine.events import Outcome
from ivr.engine.steps import Finish, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run

DISCONNECT = Finish(Outcome("disconnect"))


def run(action: CompiledAction, call: Run) -> Step:
    return DISCONNECT


BLOCK = Block("DisconnectParticipant", run)
