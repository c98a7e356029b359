"""Helpers for engine tests: small flows written to tmp_path from a few lines of Python."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# The plugin's fixture, made available to these tests (a non-root conftest cannot set
# pytest_plugins).
from ivr.pytest_plugin import simulate_call  # noqa: F401

FLOWS = Path(__file__).parent / "flows"


def action(
    identifier: str,
    type_: str,
    parameters: dict[str, Any] | None = None,
    *,
    next_action: str | None = None,
    conditions: dict[str, str] | list[tuple[str, str, str]] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One action; `conditions` is {operand: target} for Equals, or (operator, operand, target)."""
    transitions: dict[str, Any] = {}
    if next_action:
        transitions["NextAction"] = next_action
    if conditions:
        items = (
            [("Equals", k, v) for k, v in conditions.items()]
            if isinstance(conditions, dict)
            else conditions
        )
        transitions["Conditions"] = [
            {"NextAction": target, "Condition": {"Operator": op, "Operands": [operand]}}
            for op, operand, target in items
        ]
    if errors:
        transitions["Errors"] = [{"NextAction": t, "ErrorType": e} for e, t in errors.items()]
    return {
        "Identifier": identifier,
        "Type": type_,
        "Parameters": parameters or {},
        "Transitions": transitions,
    }


def flow_document(*actions: dict[str, Any]) -> dict[str, Any]:
    return {
        "Version": "2019-10-30",
        "StartAction": actions[0]["Identifier"],
        "Metadata": {},
        "Actions": list(actions),
    }


def say(identifier: str, text: str, next_action: str) -> dict[str, Any]:
    return action(identifier, "MessageParticipant", {"Text": text}, next_action=next_action)


HANGUP = action("hangup", "DisconnectParticipant")


@pytest.fixture
def write_flow(tmp_path: Path) -> Callable[..., Path]:
    """write_flow(*actions, name="flow") -> path of a flow file (a DisconnectParticipant
    'hangup' action is added unless given)."""

    def write(*actions: dict[str, Any], name: str = "flow") -> Path:
        all_actions = list(actions)
        if not any(a["Identifier"] == "hangup" for a in all_actions):
            all_actions.append(HANGUP)
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(flow_document(*all_actions)), encoding="utf-8")
        return path

    return write
