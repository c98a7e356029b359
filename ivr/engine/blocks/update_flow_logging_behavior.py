"""UpdateFlowLoggingBehavior (Set logging behavior): remembered on the contact, no branch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ivr.engine.blocks.base import Block, proceed_after, text

if TYPE_CHECKING:
    from ivr.engine.run import Run


def _set(params: dict[str, Any], call: Run) -> None:
    call.contact.flow_logging = text(params, "FlowLoggingBehavior", call) == "Enabled"


BLOCK = Block("UpdateFlowLoggingBehavior", proceed_after(_set))
