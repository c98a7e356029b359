"""A small menu flow (and a second flow it transfers to) written to tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engine.conftest import action, flow_document

MENU_ACTIONS = (
    action(
        "menu",
        "GetParticipantInput",
        {"Text": "Press 1 for sales, 2 to leave.", "StoreInput": "False"},
        conditions={"1": "sales", "2": "bye"},
        errors={"InputTimeLimitExceeded": "bye", "NoMatchingCondition": "bye"},
    ),
    action(
        "sales",
        "UpdateContactTargetQueue",
        {"QueueId": "${SalesQueueArn}"},
        next_action="transfer",
        errors={"NoMatchingError": "hangup"},
    ),
    action(
        "transfer",
        "TransferContactToQueue",
        errors={"QueueAtCapacity": "bye", "NoMatchingError": "bye"},
    ),
    action("bye", "MessageParticipant", {"Text": "Goodbye."}, next_action="hangup"),
    action("hangup", "DisconnectParticipant"),
)


def write(path: Path, *actions: dict) -> Path:
    path.write_text(json.dumps(flow_document(*actions)), encoding="utf-8")
    return path


@pytest.fixture
def menu_flow(tmp_path: Path) -> Path:
    return write(tmp_path / "menu.json", *MENU_ACTIONS)
