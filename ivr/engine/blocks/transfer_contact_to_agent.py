"""TransferContactToAgent (Transfer to agent, transfer flows): the contact leaves the flow for
the agent of the working queue set before it (an agent queue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block
from ivr.engine.events import Outcome
from ivr.engine.steps import Fail, Finish, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    contact = call.contact
    if contact.queue_arn is None:
        return Fail("NoMatchingError", "no agent set (add a Set working queue block by agent)")
    return Finish(Outcome("queue", queue=contact.queue_name, queue_arn=contact.queue_arn))


BLOCK = Block("TransferContactToAgent", run)
