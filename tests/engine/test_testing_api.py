"""The fluent test API (ivr.testing) and its pytest fixture: passing checks and the failure
messages a flow author reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.testing import run_call

MENU = Path(__file__).parent / "flows" / "menu.json"
LAMBDAS = {"${EchoFunctionArn}": "tests.engine.handlers:echo"}


def test_a_call_reads_as_subject_condition_check(simulate_call):
    call = simulate_call(MENU, lambdas=LAMBDAS, inputs=["1"], caller="+81312345678")
    call.expect.prompt().containing("Welcome")
    call.expect.lambda_called("EchoFunction").with_parameters(callerNumber="+81312345678")
    call.expect.prompt().exactly("Press 1 for sales, 2 to leave.")
    call.expect.input("1")
    call.expect.action("transfer")
    call.expect.ended_in_queue("Sales")
    call.expect.never.prompt().containing("Sorry")
    call.expect.unordered.attribute_set("calls")
    call.expect.never.disconnected()


def test_order_is_implicit(simulate_call):
    call = simulate_call(MENU, lambdas=LAMBDAS, inputs=["2"])
    call.expect.prompt().containing("Goodbye")
    # No prompt at all follows "Goodbye": the check fails at its subject.
    with pytest.raises(AssertionError, match="Expected a prompt after event 14"):
        call.expect.prompt().containing("Welcome")
    call.expect.unordered.prompt().containing("Welcome")
    call.expect.unordered.prompt().containing("Goodbye")
    with pytest.raises(AssertionError, match="input '2' after event 14"):
        call.expect.input("2")


def test_failure_lists_expectation_events_and_ending():
    call = run_call(MENU, lambdas=LAMBDAS, inputs=["2"])
    with pytest.raises(AssertionError) as failure:
        call.expect.ended_in_queue("Sales")
    message = str(failure.value)
    assert message.startswith("Expected the call ended in queue Sales")
    assert "prompt [text] 'Goodbye.'" in message
    assert "input: '2'" in message
    assert "lambda EchoFunction(" in message
    assert "Call ended: disconnected" in message


def test_never_fails_on_a_matching_event():
    call = run_call(MENU, lambdas=LAMBDAS, inputs=["9"])
    with pytest.raises(
        AssertionError, match="Expected never a prompt containing 'Sorry', but event"
    ):
        call.expect.never.prompt().containing("Sorry")


def test_with_parameters_narrows_the_same_lambda_call():
    call = run_call(MENU, lambdas=LAMBDAS, inputs=["2"], attributes={"pin": "0000"})
    call.expect.lambda_called("EchoFunction").with_parameters(pin="0000").returning(pin="0000")
    with pytest.raises(AssertionError, match="with parameters"):
        run_call(MENU, lambdas=LAMBDAS).expect.lambda_called("EchoFunction").with_parameters(
            pin="9999"
        )
    with pytest.raises(AssertionError, match="a call of Lambda Nobody"):
        call.expect.unordered.lambda_called("Nobody")


def test_failing_lambda_and_final_attributes():
    call = run_call(MENU, lambdas={}, template=Path(__file__).parent / "flows" / "empty.yaml")
    call.expect.lambda_called("EchoFunction").failing()
    call.expect.prompt().containing("Sorry")
    call.expect.disconnected()
    call.expect.never.attribute("calls", "1")
