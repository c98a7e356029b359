"""TransferParticipantToThirdParty (Transfer to phone number): the call leaves to that number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block, text
from ivr.engine.events import Outcome
from ivr.engine.steps import Fail, Finish, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    phone = text(action.params, "ThirdPartyPhoneNumber", call)
    if not phone:
        return Fail("CallFailed", "ThirdPartyPhoneNumber resolved to nothing")
    return Finish(Outcome("third_party", phone=phone))


BLOCK = Block("TransferParticipantToThirdParty", run)
