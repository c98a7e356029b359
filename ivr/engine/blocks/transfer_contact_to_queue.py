"""TransferContactToQueue: the call leaves the flow into the working queue, unless the queue
is at capacity (`--queue-at-capacity`) or no working queue was set (Error branches)."""

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
        return Fail("NoMatchingError", "no working queue set (add a Set working queue block)")
    if call.options.queue_at_capacity:
        return Fail("QueueAtCapacity")
    return Finish(Outcome("queue", queue=contact.queue_name, queue_arn=contact.queue_arn))


BLOCK = Block("TransferContactToQueue", run)
