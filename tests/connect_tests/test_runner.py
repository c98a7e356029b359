"""Test cases run offline against a small line flow: instructions, observations in sequence and
open, overrides one-shot FIFO per resource, assertions, test control, and the verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.connect_tests import CaseRunner, parse_case
from ivr.errors import ToolkitError
from tests.connect_tests.conftest import (
    CANNED,
    HOURS_ARN,
    LOOKUP,
    case,
    check,
    dtmf,
    end_test,
    hang_up,
    log,
    mock_error,
    mock_hours,
    mock_lambda,
    observation,
    prompt,
    setup,
    started,
)

QUEUE = "TransferContactToQueue"


def run(flow: Path, test_case, **options):
    return CaseRunner(flow, lambdas=options.pop("lambdas", CANNED), **options).run(test_case)


def test_pressing_1_reaches_sales_and_the_checks_pass(line_flow: Path) -> None:
    result = run(
        line_flow,
        case(
            prompt("Menu", "Press 1 for sales", dtmf("1"), then=("Transfer",)),
            started(
                "Transfer",
                QUEUE,
                {"QueueId": "${SalesQueueArn}"},
                check("$.Attributes.tier", "gold"),
                check("$.Queue.Name", "Sales"),
                check("$.External.name", "Hanako"),
                end_test(),
            ),
        ),
    )
    assert result.status == "PASSED", result.describe()
    assert result.summary == {"Total": 2, "Passed": 2, "Failed": 0}
    assert result.ended.startswith("EndTest (observation Transfer")


def test_a_digit_string_answers_the_next_input_and_lambda_mocks_are_one_shot_fifo(
    line_flow: Path,
) -> None:
    result = run(
        line_flow,
        case(
            setup(
                mock_lambda({"tier": "silver", "name": "Taro"}),
                mock_lambda({"name": "Jiro"}),
                then=("Menu",),
            ),
            prompt("Menu", "Hello Taro. Press 1", dtmf("2"), then=("Account",)),
            prompt("Account", "account number", dtmf("12345#"), then=("Thanks",)),
            prompt(
                "Thanks",
                "Thank you, Jiro.",
                check("$.StoredCustomerInput", "12345"),
                check("$.Attributes.tier", "silver"),
                check("$.External.tier", "false", "Exists"),
            ),
        ),
    )
    assert result.status == "PASSED", result.describe()
    assert not result.warnings


def test_an_override_is_used_once_then_the_runners_handler_answers(line_flow: Path) -> None:
    result = run(
        line_flow,
        case(
            setup(mock_lambda({"tier": "silver", "name": "Taro"}), then=("Menu",)),
            prompt("Menu", "Hello Taro.", dtmf("2"), then=("Account",)),
            prompt("Account", "account number", dtmf("99#"), then=("Thanks",)),
            prompt("Thanks", "Thank you, Hanako.", check("$.External.tier", "gold")),
        ),
    )
    assert result.status == "PASSED", result.describe()


def test_a_mocked_lambda_error_takes_the_error_branch(line_flow: Path) -> None:
    result = run(
        line_flow,
        case(
            setup(
                mock_error(
                    "InvokeLambdaFunction", {"LambdaFunctionARN": LOOKUP}, "NoMatchingError"
                ),
                then=("Sorry",),
            ),
            prompt("Sorry", "Sorry, something went wrong.", check("$.External.name", "", "Exists")),
        ),
    )
    # The failed call empties $.External, so the Exists check fails with the reason.
    assert result.status == "FAILED"
    reason = result.observation("Sorry").reason
    assert reason == ("assertion a0 failed: expected $.External.name to exist, it is absent")


def test_substitute_resource_runs_the_substitutes_handler(line_flow: Path) -> None:
    double = "arn:aws:lambda:us-east-1:111122223333:function:lookup-double"
    substitute = {
        "Type": "OverrideSystemBehavior",
        "Parameters": {
            "ActionType": "OverrideSystemBehavior",
            "Behavior": {
                "Type": "FlowAction",
                "Properties": {
                    "ActionType": "InvokeLambdaFunction",
                    "ActionParameters": {"LambdaFunctionARN": LOOKUP},
                    "Strategy": {"Type": "SubstituteResource", "SubstituteArn": double},
                },
            },
        },
    }
    result = run(
        line_flow,
        case(setup(substitute, then=("Menu",)), prompt("Menu", "Hello Double.")),
        lambdas={**CANNED, double: {"tier": "test", "name": "Double"}},
    )
    assert result.status == "PASSED", result.describe()


def test_hours_mock_decides_the_check_and_the_default_applies_without_one(line_flow: Path) -> None:
    closed = run(
        line_flow,
        case(setup(mock_hours("OutOfHours"), then=("Closed",)), prompt("Closed", "We are closed.")),
    )
    assert closed.status == "PASSED", closed.describe()
    open_by_mock = run(
        line_flow,
        case(setup(mock_hours("InHours"), then=("Menu",)), prompt("Menu", "Press 1")),
        hours_open=False,
    )
    assert open_by_mock.status == "PASSED", open_by_mock.describe()
    by_default = run(line_flow, case(prompt("Closed", "We are closed.")), hours_open=False)
    assert by_default.status == "PASSED", by_default.describe()


def test_an_hours_override_the_engine_cannot_honour_fails_the_run(line_flow: Path) -> None:
    # Registered at the welcome prompt, after the call started with the default (open).
    late = run(line_flow, case(prompt("Welcome", "Welcome to", mock_hours("OutOfHours"))))
    assert late.status == "FAILED"
    assert any("takes hours and queue capacity once per call" in p for p in late.problems)
    unused = run(line_flow, case(setup(mock_hours("InHours"), mock_hours("InHours"))))
    assert unused.status == "PASSED"
    assert unused.warnings == ("override never used: observation Setup, action a1",)


def test_an_hours_error_mock_cannot_be_forced_offline_and_says_so(line_flow: Path) -> None:
    result = run(
        line_flow,
        case(
            setup(
                mock_error(
                    "CheckHoursOfOperation", {"HoursOfOperationId": HOURS_ARN}, "NoMatchingError"
                )
            )
        ),
    )
    assert result.status == "FAILED"
    assert any("cannot be made to take its NoMatchingError branch" in p for p in result.problems)


def test_queue_at_capacity_mock_takes_the_capacity_branch(line_flow: Path) -> None:
    result = run(
        line_flow,
        case(
            setup(
                mock_error(QUEUE, {"QueueId": "${SalesQueueArn}"}, "QueueAtCapacity"),
                then=("Menu",),
            ),
            prompt("Menu", "Press 1", dtmf("1"), then=("Busy",)),
            prompt("Busy", "All our agents are busy."),
        ),
    )
    assert result.status == "PASSED", result.describe()


def test_a_wrong_assertion_fails_with_expected_and_actual_and_ends_the_test(
    line_flow: Path,
) -> None:
    result = run(
        line_flow,
        case(
            prompt("Menu", "Press 1", dtmf("1"), then=("Transfer",)),
            started("Transfer", QUEUE, {}, check("$.Attributes.tier", "platinum"), then=("Never",)),
            observation("Never", "TestCompleted"),
        ),
    )
    assert result.status == "FAILED"
    assert result.summary == {"Total": 3, "Passed": 1, "Failed": 2}
    assert result.observation("Transfer").reason == (
        "assertion a0 failed: expected $.Attributes.tier Equals 'platinum', actual 'gold'"
    )
    assert result.observation("Never").reason.startswith("never reached: it follows Transfer")
    assert result.ended == "assertion a0 failed (observation Transfer)"


def test_an_observation_never_matched_fails_like_connects_timeout(line_flow: Path) -> None:
    result = run(line_flow, case(prompt("Menu", "Press 1", dtmf("2")), prompt("Gone", "Bye!")))
    gone = result.observation("Gone")
    assert gone.status == "FAILED" and gone.matched == 0
    assert "never observed: a prompt with Text 'Bye!'" in gone.reason
    assert "5 minutes" in gone.reason
    assert result.observation("Menu").status == "PASSED"


def test_open_observations_fire_in_any_order_linked_ones_wait(line_flow: Path) -> None:
    # Listed in reverse order of play, both open: both pass.
    assert (
        run(
            line_flow,
            case(prompt("Menu", "Press 1", dtmf("1")), prompt("Welcome", "Welcome to")),
        ).status
        == "PASSED"
    )
    # Welcome linked after Menu: it played before Menu, so it is never seen while active.
    result = run(
        line_flow,
        case(
            prompt("Menu", "Press 1", dtmf("1"), then=("Welcome",)),
            prompt("Welcome", "Welcome to"),
        ),
    )
    assert result.observation("Welcome").status == "FAILED"


def test_usage_exactly_times_and_any(line_flow: Path) -> None:
    twice = run(
        line_flow,
        case(prompt("Menu", "Press 1", dtmf("1"), usage={"Type": "EXACTLY", "Times": 2})),
    )
    assert twice.observation("Menu").reason == (
        "a prompt with Text 'Press 1' observed 1 of 2 times"
    )
    optional = run(line_flow, case(prompt("Maybe", "Never said", usage={"Type": "ANY"})))
    assert optional.status == "PASSED"


def test_customer_disconnect_ends_the_call(line_flow: Path) -> None:
    result = run(
        line_flow,
        case(
            prompt("Menu", "Press 1", hang_up(), then=("Transfer",)), started("Transfer", QUEUE, {})
        ),
    )
    assert result.ended.startswith("the customer disconnected (observation Menu")
    assert result.observation("Transfer").status == "FAILED"


def test_log_data_records_values_and_masks_the_caller_on_screen(line_flow: Path) -> None:
    result = CaseRunner(line_flow, lambdas=CANNED).run(
        case(
            prompt(
                "Menu",
                "Press 1",
                log(tier="$.Attributes.tier", caller="$.CustomerEndpoint.Address"),
            )
        ),
        caller="+81312345678",
    )
    assert [(e.label, e.value) for e in result.logs] == [
        ("tier", "gold"),
        ("caller", "+81312345678"),
    ]
    assert "+81312345678" not in result.describe()
    assert "'+81*******78'" in result.describe()


def test_flow_action_parameters_must_match(line_flow: Path) -> None:
    result = run(
        line_flow,
        case(
            prompt("Menu", "Press 1", dtmf("1")),
            started("Other", QUEUE, {"QueueId": "arn:aws:connect:us-east-1:1:instance/I/queue/X"}),
            started("Hours", "CheckHoursOfOperation", {"HoursOfOperationId": "MAIN"}),
        ),
    )
    assert result.observation("Other").status == "FAILED"
    assert result.observation("Hours").status == "PASSED"  # an id matches its ARN


def test_create_test_case_request_gives_caller_and_attributes(line_flow: Path) -> None:
    content = {
        "Version": "2025-06-21",
        "Observations": [
            prompt(
                "Menu",
                "Press 1",
                check("$.CustomerEndpoint.Address", "+15550100"),
                check("$.Attributes.lang", "en"),
            )
        ],
    }
    import json

    request = {
        "Name": "from request",
        "Content": json.dumps(content),
        "EntryPoint": {
            "Type": "VOICE_CALL",
            "VoiceCallEntryPointParameters": {
                "SourcePhoneNumber": "+15550100",
                "DestinationPhoneNumber": "+15550199",
                "FlowId": "line",
            },
        },
        "InitializationData": json.dumps({"lang": "en"}),
    }
    result = run(line_flow, parse_case(request))
    assert result.name == "from request"
    assert result.status == "PASSED", result.describe()


def test_versions(line_flow: Path) -> None:
    legacy = case(prompt("Menu", "Press 1"), version="2019-10-30")
    assert any("2019-10-30" in w for w in legacy.warnings)
    assert any("2019-10-30" in w for w in run(line_flow, legacy).warnings)
    with pytest.raises(ToolkitError, match="Version is '2024-01-01'"):
        case(prompt("Menu", "Press 1"), version="2024-01-01")


def test_broken_documents_are_refused_with_what_to_fix() -> None:
    with pytest.raises(ToolkitError, match="links to 'Nowhere'"):
        case(prompt("Menu", "Press 1", then=("Nowhere",)))
    with pytest.raises(ToolkitError, match="used more than once"):
        case(prompt("Menu", "a"), prompt("Menu", "b"))
    with pytest.raises(ToolkitError, match="event Type 'PromptPlayed'"):
        case(observation("X", "PromptPlayed"))
