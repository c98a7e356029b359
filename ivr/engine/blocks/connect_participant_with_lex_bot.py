"""ConnectParticipantWithLexBot: plays the prompt; the caller's next scripted answer is taken
as the intent Lex recognised (`--input Sales`), silence as no intent. The intent is the
result the Conditions test and is readable as `$.Lex.IntentName`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks._prompt import play
from ivr.engine.blocks.base import Block
from ivr.engine.events import InputReceived
from ivr.engine.steps import Result, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    play(action.identifier, action.params, call)
    intent = call.inputs.next_keys(action.identifier, False)
    call.emit(InputReceived(action.identifier, intent))
    call.contact.lex = {"IntentName": intent or "", "Slots": {}, "SessionAttributes": {}}
    return Result(intent or "")


BLOCK = Block("ConnectParticipantWithLexBot", run)
