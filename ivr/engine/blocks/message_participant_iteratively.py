"""MessageParticipantIteratively (Loop prompts, queue and hold flows): Connect repeats the
messages until something interrupts them; the simulator plays each once, then NextAction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks._prompt import play
from ivr.engine.blocks.base import Block
from ivr.engine.steps import PROCEED, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    for message in action.params.get("Messages") or []:
        if isinstance(message, dict):
            play(action.identifier, message, call)
    return PROCEED


BLOCK = Block("MessageParticipantIteratively", run)
