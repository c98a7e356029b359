"""Semantic diff: layout and order never count; types, parameters and branches do."""

from __future__ import annotations

import json
import random

import pytest

from ivr.diff import Change, diff_flows, format_changes
from ivr.lint import read_flow
from models.flow import Flow
from tests.lint.conftest import action_in, public_flows


def flow(document: dict) -> Flow:
    return Flow.model_validate(document)


def relaid(document: dict, seed: int) -> dict:
    """The same flow as a designer might save it again: moved, reordered, renamed in
    Metadata only."""
    moved = json.loads(json.dumps(document))
    random.Random(seed).shuffle(moved["Actions"])
    metadata = moved.setdefault("Metadata", {})
    metadata["entryPointPosition"] = {"x": 999, "y": 1}
    positions = metadata.setdefault("ActionMetadata", {})
    for action in moved["Actions"]:
        positions[action["Identifier"]] = {"position": {"x": seed, "y": len(positions)}}
    return moved


def test_identical_flows_have_no_changes(doc):
    assert diff_flows(flow(doc), flow(doc)) == []


def test_layout_and_action_order_are_ignored(doc):
    assert diff_flows(flow(doc), flow(relaid(doc, 7))) == []


def test_condition_order_is_ignored(doc):
    other = json.loads(json.dumps(doc))
    action_in(other, "menu")["Transitions"]["Conditions"].reverse()
    assert diff_flows(flow(doc), flow(other)) == []


@pytest.mark.skipif(not public_flows(), reason="../shared/fixtures/public-flows is absent")
@pytest.mark.parametrize("path", public_flows(), ids=lambda p: p.name)
def test_public_flow_against_itself_relaid_is_empty(path):
    original = read_flow(path)
    document = original.to_content()
    assert diff_flows(original, flow(relaid(document, 3))) == []


def test_added_and_removed_actions(doc):
    other = json.loads(json.dumps(doc))
    other["Actions"] = [a for a in other["Actions"] if a["Identifier"] != "menu-loop"]
    other["Actions"].append(
        {"Identifier": "goodbye", "Type": "MessageParticipant", "Parameters": {"Text": "Bye"}}
    )
    changes = diff_flows(flow(doc), flow(other))
    assert [(c.kind, c.identifier) for c in changes] == [
        ("added", "goodbye"),
        ("removed", "menu-loop"),
    ]
    assert "MessageParticipant" in changes[0].detail[0]


def test_changed_prompt_text_names_the_parameter(doc):
    other = json.loads(json.dumps(doc))
    action_in(other, "welcome")["Parameters"]["Text"] = "Welcome back."
    [change] = diff_flows(flow(doc), flow(other))
    assert (change.kind, change.identifier) == ("changed", "welcome")
    assert change.detail == ('Parameters.Text: "Welcome to the test line." -> "Welcome back."',)


def test_changed_nested_parameter_and_arn(doc):
    other = json.loads(json.dumps(doc))
    lookup = action_in(other, "lookup")["Parameters"]
    lookup["LambdaFunctionARN"] = "${IdentifyFunctionArn}"
    lookup["LambdaInvocationAttributes"]["pin"] = "$.StoredCustomerInput"
    [change] = diff_flows(flow(doc), flow(other))
    assert change.identifier == "lookup"
    assert set(change.detail) == {
        'Parameters.LambdaFunctionARN: "${LookupAccountFunctionArn}" -> "${IdentifyFunctionArn}"',
        'Parameters.LambdaInvocationAttributes.pin: (none) -> "$.StoredCustomerInput"',
    }


def test_string_and_boolean_values_differ(doc):
    other = json.loads(json.dumps(doc))
    action_in(other, "menu")["Parameters"]["StoreInput"] = False
    [change] = diff_flows(flow(doc), flow(other))
    assert change.detail == ('Parameters.StoreInput: "False" -> false',)


def test_changed_type(doc):
    other = json.loads(json.dumps(doc))
    action_in(other, "sorry")["Type"] = "MessageParticipantIteratively"
    [change] = diff_flows(flow(doc), flow(other))
    assert "Type: MessageParticipant -> MessageParticipantIteratively" in change.detail


def test_changed_transitions_per_branch(doc):
    other = json.loads(json.dumps(doc))
    menu = action_in(other, "menu")["Transitions"]
    menu["Conditions"][0]["NextAction"] = "sorry"  # "= 1" now goes elsewhere
    menu["Errors"] = [e for e in menu["Errors"] if e["ErrorType"] != "InputTimeLimitExceeded"]
    [change] = diff_flows(flow(doc), flow(other))
    assert set(change.detail) == {
        "condition:Equals 1: hours -> sorry",
        "error:InputTimeLimitExceeded: bye -> (none)",
    }


def test_flow_level_changes(doc):
    other = json.loads(json.dumps(doc))
    other["StartAction"] = "identify"
    [change] = diff_flows(flow(doc), flow(other))
    assert (change.kind, change.identifier) == ("changed", "")
    assert change.detail == ('StartAction: "welcome" -> "identify"',)


def test_format_changes_marks_each_kind():
    text = format_changes(
        [
            Change("added", "a", ("Compare",)),
            Change("removed", "b", ()),
            Change("changed", "c", ("next: x -> y",)),
        ]
    )
    assert text.splitlines() == [
        "+ added a",
        "    Compare",
        "- removed b",
        "~ changed c",
        "    next: x -> y",
    ]
