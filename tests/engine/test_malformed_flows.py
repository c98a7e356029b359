"""The compiler reads a flow's JSON directly (not through models.flow): each value it reads
that the Flow Language model would refuse is a one-line FlowError naming where it is."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from ivr.engine.compiler import load_flow
from ivr.errors import FlowError

GOOD: dict[str, Any] = {
    "Version": "2019-10-30",
    "StartAction": "menu",
    "Actions": [
        {
            "Identifier": "menu",
            "Type": "MessageParticipant",
            "Parameters": {"Text": "Hello"},
            "Transitions": {
                "NextAction": "bye",
                "Conditions": [
                    {
                        "NextAction": "bye",
                        "Condition": {"Operator": "Equals", "Operands": ["1"]},
                    }
                ],
                "Errors": [{"NextAction": "bye", "ErrorType": "NoMatchingError"}],
            },
        },
        {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}},
    ],
}


def _write(tmp_path: Path, flow: dict[str, Any]) -> Path:
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(flow), encoding="utf-8")
    return path


def test_the_well_formed_flow_compiles(tmp_path: Path) -> None:
    compiled = load_flow(_write(tmp_path, GOOD))
    assert set(compiled.actions) == {"menu", "bye"}
    menu = compiled.actions["menu"]
    assert (menu.next_action, menu.errors) == ("bye", {"NoMatchingError": "bye"})
    assert [c.operator for c in menu.conditions] == ["Equals"]


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        (("Version",), None, "Version should be a string"),
        (("StartAction",), 5, "StartAction should be a string"),
        (("Actions", 0, "Identifier"), 7, "Actions[0].Identifier should be a string"),
        (("Actions", 1, "Type"), None, "Actions[1].Type is missing"),
        (("Actions", 0, "Parameters"), "x", "Actions[0].Parameters should be an object"),
        (("Actions", 0, "Transitions"), None, "Actions[0].Transitions should be an object"),
        (
            ("Actions", 0, "Transitions", "NextAction"),
            1.5,
            "Actions[0].Transitions.NextAction should be a string",
        ),
        (
            ("Actions", 0, "Transitions", "Conditions"),
            {},
            "Actions[0].Transitions.Conditions should be a list",
        ),
        (
            ("Actions", 0, "Transitions", "Conditions", 0, "Condition", "Operands"),
            "1",
            "Conditions[].Condition.Operands should be a list",
        ),
        (
            ("Actions", 0, "Transitions", "Errors", 0),
            "NoMatchingError",
            "Actions[0].Transitions.Errors[] should be an object",
        ),
        (
            ("Actions", 0, "Transitions", "Errors", 0, "ErrorType"),
            ["x"],
            "Errors[].ErrorType should be a string",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_named(
    tmp_path: Path, where: tuple[Any, ...], value: Any, expected: str
) -> None:
    flow = copy.deepcopy(GOOD)
    node: Any = flow
    for step in where[:-1]:
        node = node[step]
    if value is None and where[-1] == "Type":
        del node[where[-1]]
    else:
        node[where[-1]] = value
    with pytest.raises(FlowError) as caught:
        load_flow(_write(tmp_path, flow))
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
