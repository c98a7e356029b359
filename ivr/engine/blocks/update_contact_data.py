"""UpdateContactData: LanguageCode, CustomerId, Name, Description and the other contact
fields it may carry; fields the simulator has no use for are kept, not refused."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ivr.engine.blocks.base import Block, proceed_after

if TYPE_CHECKING:
    from ivr.engine.run import Run


def _set(params: dict[str, Any], call: Run) -> None:
    contact = call.contact
    for key, value in params.items():
        if isinstance(value, dict | list):
            continue  # nested settings (e.g. Voice ID thresholds objects): nothing to read
        text = value.text_in(contact)
        if key == "LanguageCode":
            contact.language_code = text
        else:
            contact.data[key] = text


BLOCK = Block("UpdateContactData", proceed_after(_set))
