"""A small line flow exercising every block a test case can observe or override, and helpers
that write test case observations in the documented shapes (connect-testing.md 2-4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ivr.connect_tests import ConnectTestCase, parse_case
from tests.engine.conftest import action, flow_document

LOOKUP = "${LookupFunctionArn}"
HOURS_ARN = "arn:aws:connect:us-east-1:111122223333:instance/I/operating-hours/MAIN"
CANNED = {LOOKUP: {"tier": "gold", "name": "Hanako"}}


def _say(identifier: str, text: str, following: str) -> dict[str, Any]:
    return action(identifier, "MessageParticipant", {"Text": text}, next_action=following)


def _lookup(identifier: str, parameters: dict[str, str], following: str) -> dict[str, Any]:
    return action(
        identifier,
        "InvokeLambdaFunction",
        {
            "LambdaFunctionARN": LOOKUP,
            "InvocationTimeLimitSeconds": "3",
            "LambdaInvocationAttributes": parameters,
        },
        next_action=following,
        errors={"NoMatchingError": "sorry"},
    )


LINE = (
    _say("welcome", "Welcome to the test line.", "hours"),
    action(
        "hours",
        "CheckHoursOfOperation",
        {"HoursOfOperationId": HOURS_ARN},
        conditions={"True": "lookup", "False": "closed"},
        errors={"NoMatchingError": "closed"},
    ),
    _lookup("lookup", {"callerNumber": "$.CustomerEndpoint.Address"}, "remember"),
    action(
        "remember",
        "UpdateContactAttributes",
        {"Attributes": {"tier": "$.External.tier"}},
        next_action="menu",
    ),
    action(
        "menu",
        "GetParticipantInput",
        {"Text": "Hello $.External.name. Press 1 for sales, 2 to enter your account number."},
        conditions={"1": "sales", "2": "account"},
        errors={"InputTimeLimitExceeded": "sorry", "NoMatchingCondition": "sorry"},
    ),
    action(
        "account",
        "GetParticipantInput",
        {
            "Text": "Enter your account number, then press hash.",
            "StoreInput": "True",
            "DTMFConfiguration": {"InputTerminationSequence": "#"},
        },
        next_action="check",
        errors={"NoMatchingError": "sorry"},
    ),
    _lookup("check", {"account": "$.StoredCustomerInput"}, "thanks"),
    _say("thanks", "Thank you, $.External.name.", "sales"),
    action(
        "sales",
        "UpdateContactTargetQueue",
        {"QueueId": "${SalesQueueArn}"},
        next_action="transfer",
        errors={"NoMatchingError": "sorry"},
    ),
    action(
        "transfer",
        "TransferContactToQueue",
        errors={"QueueAtCapacity": "full", "NoMatchingError": "sorry"},
    ),
    _say("full", "All our agents are busy.", "hangup"),
    _say("closed", "We are closed.", "hangup"),
    _say("sorry", "Sorry, something went wrong.", "hangup"),
    action("hangup", "DisconnectParticipant"),
)


@pytest.fixture
def line_flow(tmp_path: Path) -> Path:
    path = tmp_path / "line.json"
    path.write_text(json.dumps(flow_document(*LINE)), encoding="utf-8")
    return path


# --- test case shapes -----------------------------------------------------------------------


def observation(
    identifier: str,
    event_type: str,
    properties: dict[str, Any] | None = None,
    *actions: dict[str, Any],
    then: tuple[str, ...] = (),
    usage: dict[str, Any] | None = None,
) -> dict[str, Any]:
    chained = []
    for index, item in enumerate(actions):
        following = f"a{index + 1}" if index + 1 < len(actions) else ""
        chained.append(
            {**item, "Identifier": f"a{index}", "Transitions": {"NextAction": following}}
        )
    return {
        "Identifier": identifier,
        "Usage": usage or {"Type": "EXACTLY"},
        "Event": {
            "Identifier": f"ev-{identifier}",
            "Type": event_type,
            "Actor": "System",
            "Properties": properties or {},
        },
        "Actions": chained,
        "Transitions": {"NextObservations": list(then)} if then else {},
    }


def prompt(identifier: str, text: str, *actions: dict[str, Any], **options: Any) -> dict:
    properties = {"Text": text, "MatchingCriteria": {"Type": "Inclusion"}}
    return observation(identifier, "MessageReceived", properties, *actions, **options)


def started(identifier: str, action_type: str, parameters: dict, *actions: dict, **options):
    properties = {"ActionType": action_type, "ActionParameters": parameters}
    return observation(identifier, "FlowActionStarted", properties, *actions, **options)


def dtmf(value: str) -> dict[str, Any]:
    return {
        "Type": "SendInstruction",
        "Parameters": {
            "ActionType": "SendInstruction",
            "Actor": "Customer",
            "Instruction": {"Type": "DtmfInput", "Properties": {"Value": value}},
        },
    }


def hang_up() -> dict[str, Any]:
    return {
        "Type": "SendInstruction",
        "Parameters": {
            "ActionType": "SendInstruction",
            "Actor": "Customer",
            "Instruction": {"Type": "Disconnect"},
        },
    }


def check(namespace: str, operand: Any, operator: str = "Equals") -> dict[str, Any]:
    return {
        "Type": "Assert",
        "Parameters": {"Namespace": namespace, "Operator": operator, "Operand": operand},
    }


def end_test() -> dict[str, Any]:
    return {
        "Type": "TestControl",
        "Parameters": {"ActionType": "TestControl", "Command": {"Type": "EndTest"}},
    }


def log(**expressions: str) -> dict[str, Any]:
    return {
        "Type": "TestControl",
        "Parameters": {
            "ActionType": "TestControl",
            "Command": {"Type": "LogData", "Properties": {"Expressions": expressions}},
        },
    }


def override(action_type: str, parameters: dict, strategy: dict) -> dict[str, Any]:
    return {
        "Type": "OverrideSystemBehavior",
        "Parameters": {
            "ActionType": "OverrideSystemBehavior",
            "Behavior": {
                "Type": "FlowAction",
                "Properties": {
                    "ActionType": action_type,
                    "ActionParameters": parameters,
                    "Strategy": strategy,
                },
            },
        },
    }


def mock_lambda(data: dict[str, str], arn: str = LOOKUP) -> dict[str, Any]:
    result = {"DelaySeconds": 0, "LoadedData": json.dumps(data)}
    return override(
        "InvokeLambdaFunction",
        {"LambdaFunctionARN": arn},
        {
            "Type": "MockResponse",
            "Response": {"Type": "ExecutionResult", "ExecutionResult": result},
        },
    )


def mock_error(action_type: str, parameters: dict, value: str) -> dict[str, Any]:
    return override(
        action_type,
        parameters,
        {"Type": "MockResponse", "Response": {"Type": "Error", "Error": {"Value": value}}},
    )


def mock_hours(value: str) -> dict[str, Any]:
    return override(
        "CheckHoursOfOperation",
        {"HoursOfOperationId": HOURS_ARN},
        {
            "Type": "MockResponse",
            "Response": {"Type": "ExecutionResult", "ExecutionResult": {"Value": value}},
        },
    )


def setup(*actions: dict[str, Any], then: tuple[str, ...] = ()) -> dict[str, Any]:
    return observation("Setup", "TestInitiated", {}, *actions, then=then)


def case(*observations: dict[str, Any], version: str = "2025-06-21") -> ConnectTestCase:
    return parse_case(
        {"Version": version, "Metadata": {}, "Observations": list(observations)}, "case"
    )
