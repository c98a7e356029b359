"""ConnectParticipantWithLexBot: plays the prompt; the caller's next scripted answer is taken
as the intent Lex recognised (`--input Sales`), silence as no intent. The intent is the
result the Conditions test and is readable as `$.Lex.IntentName`. Without Conditions no intent
matches, so Connect takes NoMatchingCondition (ivr/flow_language.py cites the reference)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks._prompt import play
from ivr.engine.blocks.base import Block
from ivr.engine.events import InputReceived
from ivr.engine.steps import Fail, Result, Step
from ivr.flow_language import ACTIONS

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    play(action.identifier, action.params, call)
    intent = call.inputs.next_keys(action.identifier, False)
    call.emit(InputReceived(action.identifier, intent))
    call.contact.lex = {"IntentName": intent or "", "Slots": {}, "SessionAttributes": {}}
    if not action.conditions and _UNMATCHED != "next":
        return Fail(_UNMATCHED, f"intent {intent or ''!r} and no Conditions")
    return Result(intent or "")


_UNMATCHED = ACTIONS["ConnectParticipantWithLexBot"].no_conditions

BLOCK = Block("ConnectParticipantWithLexBot", run)
