"""TransferToFlow: continues at the target's StartAction when the target is a flow the
simulator can find (mapping, or a file of that name beside the flow); otherwise the call
leaves with outcome transfer_to_flow naming the target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block
from ivr.engine.events import Outcome
from ivr.engine.steps import Enter, Finish, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    value = action.params.get("ContactFlowId")
    raw = value.source if hasattr(value, "source") else ""
    target = value.text_in(call.contact) if value is not None else ""
    flow = call.flows.find(raw or target, target)
    if flow is None:
        return Finish(Outcome("transfer_to_flow", flow=target))
    return Enter(flow)


BLOCK = Block("TransferToFlow", run)
