"""UpdateContactEventHooks (Set customer queue / hold / whisper flow): hook -> flow ARN."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ivr.engine.blocks.base import Block, proceed_after

if TYPE_CHECKING:
    from ivr.engine.run import Run


def _set(params: dict[str, Any], call: Run) -> None:
    for hook, flow in (params.get("EventHooks") or {}).items():
        call.contact.event_hooks[hook] = flow.text_in(call.contact)


BLOCK = Block("UpdateContactEventHooks", proceed_after(_set))
