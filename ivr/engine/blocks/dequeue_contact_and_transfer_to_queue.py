"""DequeueContactAndTransferToQueue (Transfer to queue, in a customer queue flow): the contact
moves to the queue (or agent) named, unless it is at capacity (`--queue-at-capacity`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block, text
from ivr.engine.events import Outcome
from ivr.engine.steps import Fail, Finish, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    target = text(action.params, "QueueId", call) or text(action.params, "AgentId", call)
    if not target:
        return Fail("NoMatchingError", "no QueueId or AgentId to transfer to")
    if call.options.queue_at_capacity:
        return Fail("QueueAtCapacity")
    return Finish(Outcome("queue", queue=target, queue_arn=target))


BLOCK = Block("DequeueContactAndTransferToQueue", run)
