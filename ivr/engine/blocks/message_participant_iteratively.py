"""MessageParticipantIteratively (Loop prompts, queue and hold flows): Connect repeats the
messages until something interrupts them; the simulator plays each once, then takes the
MessagesInterrupted Condition when there is one, else NextAction. With neither, the messages
repeat until the contact leaves the queue or hold: the flow ends there (a named stop, not an
error)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks._prompt import play
from ivr.engine.blocks.base import Block
from ivr.engine.events import EffectNoted, Outcome
from ivr.engine.steps import PROCEED, Finish, Result, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    for message in action.params.get("Messages") or []:
        if isinstance(message, dict):
            play(action.identifier, message, call)
    if action.conditions:
        return Result(INTERRUPTED)
    if action.next is None:
        call.emit(EffectNoted(action.identifier, action.type, _REPEATS))
        return Finish(Outcome("end_flow"))
    return PROCEED


INTERRUPTED = "MessagesInterrupted"
_REPEATS = "repeats these messages until the contact leaves the queue or hold"


BLOCK = Block("MessageParticipantIteratively", run)
