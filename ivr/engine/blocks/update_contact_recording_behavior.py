"""UpdateContactRecordingBehavior and its newer name UpdateContactRecordingAndAnalyticsBehavior
(Set recording and analytics behavior): the settings are kept on the contact, no branch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ivr.engine.blocks.base import Block, proceed_after

if TYPE_CHECKING:
    from ivr.engine.run import Run


def _set(params: dict[str, Any], call: Run) -> None:
    call.contact.recording = {key: value for key, value in params.items()}


BLOCK = Block("UpdateContactRecordingBehavior", proceed_after(_set))
ANALYTICS_BLOCK = Block("UpdateContactRecordingAndAnalyticsBehavior", proceed_after(_set))
