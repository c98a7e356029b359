"""Issue 11's scenarios: a booked callback driven through the real state machine offline
(tests/workflow/harness.py: moto executes the ASL, our handlers run its Lambda tasks, Connect
is a Stubber). Each asserts the record's states, the calls placed and the dead-letter queue."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from functions import report_callback_outcome, request_callback
from tests.workflow.harness import FLOW_ID, INSTANCE_ID, QUEUE_ID, SOURCE_NUMBER, Workflow

EVENTS = Path(__file__).resolve().parents[1] / "events"
CALLER = "+81312345678"
# Monday 5 January 2026, 10:00 in Tokyo: the line is open (default hours 09:00-18:00).
OPEN_MONDAY = "2026-01-05T10:00:00+09:00"
# Friday 9 January 2026, 22:00 in Tokyo: closed; Saturday opens 09:00-13:00 by default hours,
# so a closure is set for it below; Sunday is closed and Monday 12 January is Coming of Age
# Day. The next opening is Tuesday 13 January, 09:00 JST.
FRIDAY_NIGHT = "2026-01-09T22:00:00+09:00"


def contact_event(parameters: dict[str, str], attributes: dict[str, str] | None = None) -> Any:
    event = copy.deepcopy(json.loads((EVENTS / "known_caller.json").read_text()))
    data = event["Details"]["ContactData"]
    data["ContactId"] = data["InitialContactId"] = str(uuid.uuid4())
    data["CustomerEndpoint"]["Address"] = CALLER
    data["LanguageCode"] = "ja-JP"
    data["Attributes"] = attributes or {}
    event["Details"]["Parameters"] = parameters
    return event


def book(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch, now: str, parameters: Any = None
) -> str:
    """Book a callback through request_callback, as the inbound flow does; its id."""
    monkeypatch.setenv("IVR_FIXED_NOW", now)
    answer = request_callback.handler(contact_event(parameters or {}), container=workflow.container)
    assert answer["status"] == "ok" and answer["confirmed"] == "true", answer
    return answer["callbackId"]


def expect_call(
    workflow: Workflow, callback_id: str, attempt: int, purpose: str = "general"
) -> None:
    workflow.stub.add_response(
        "start_outbound_voice_contact",
        {"ContactId": f"outbound-{attempt}"},
        {
            "InstanceId": INSTANCE_ID,
            "ContactFlowId": FLOW_ID,
            "QueueId": QUEUE_ID,
            "SourcePhoneNumber": SOURCE_NUMBER,
            "DestinationPhoneNumber": CALLER,
            "ClientToken": f"{callback_id}-{attempt}",
            "Attributes": {
                "callbackId": callback_id,
                "callbackAttempt": str(attempt),
                "language": "ja",
                "purpose": purpose,  # what the outbound flow greets the caller by
            },
        },
    )


def press(workflow: Workflow, callback_id: str, outcome: str, attempt: int = 1) -> dict[str, str]:
    """The outbound flow's Lambda block, as Connect invokes it on the `attempt`th call."""
    attributes = {"callbackId": callback_id, "callbackAttempt": str(attempt)}
    event = contact_event({**attributes, "outcome": outcome}, attributes)
    return report_callback_outcome.handler(event, container=workflow.container)


def dialing(workflow: Workflow, callback_id: str, attempts: int) -> dict[str, Any]:
    def ready() -> dict[str, Any] | None:
        record = workflow.record(callback_id)
        waiting = record.get("state") == "dialing" and record.get("task_token")
        return record if waiting and int(record["attempts"]) == attempts else None

    return workflow.wait_until(ready, f"attempt {attempts} of {callback_id} to be dialing")


def only_execution(workflow: Workflow) -> dict[str, Any]:
    executions = workflow.executions()
    assert len(executions) == 1, executions
    return executions[0]


def waits(workflow: Workflow, execution_arn: str) -> list[str]:
    """The instants the execution's Wait states waited for (their entered input)."""
    found = []
    for event in workflow.history(execution_arn):
        details = event.get("stateEnteredEventDetails", {})
        if details.get("name") == "WaitForOpenLine":
            found.append(json.loads(details["input"])["plan"]["detail"]["dialAt"])
    return found


def test_open_line_dialed_at_once_and_connected_when_the_caller_presses_1(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    callback_id = book(workflow, monkeypatch, OPEN_MONDAY)
    expect_call(workflow, callback_id, 1)
    assert workflow.deliver_stream() == {"batchItemFailures": []}
    execution = only_execution(workflow)
    assert execution["name"] == callback_id

    dialing(workflow, callback_id, 1)
    assert press(workflow, callback_id, "answered")["reported"] == "true"
    assert press(workflow, callback_id, "accepted")["reported"] == "true"

    assert workflow.finished(execution["executionArn"])["status"] == "SUCCEEDED"
    record = workflow.record(callback_id)
    assert record["state"] == "connected"
    assert record["attempts"] == "1"
    assert "task_token" not in record  # a finished callback takes no more reports
    workflow.stub.assert_no_pending_responses()  # exactly one call placed
    # Dialed at once: the wait was for the booking's own instant.
    assert waits(workflow, execution["executionArn"]) == ["2026-01-05T01:00:00Z"]
    assert workflow.dead_letters() == []
    # Too late now: no dialing step waits for a report.
    assert press(workflow, callback_id, "accepted")["status"] == "not_found"


def test_the_purpose_booked_is_the_outbound_contacts_purpose(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    callback_id = book(workflow, monkeypatch, OPEN_MONDAY, {"purpose": "order"})
    expect_call(workflow, callback_id, 1, purpose="order")  # the Stubber checks the attributes
    workflow.deliver_stream()
    execution = only_execution(workflow)
    dialing(workflow, callback_id, 1)
    press(workflow, callback_id, "accepted")
    assert workflow.finished(execution["executionArn"])["status"] == "SUCCEEDED"
    assert workflow.record(callback_id)["purpose"] == "order"
    workflow.stub.assert_no_pending_responses()


def test_booked_the_night_before_a_holiday_is_dialed_when_the_line_next_opens(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sunday 11 January 2026, 22:00 in Tokyo; Monday the 12th is Coming of Age Day.
    callback_id = book(workflow, monkeypatch, "2026-01-11T22:00:00+09:00")
    expect_call(workflow, callback_id, 1)
    workflow.deliver_stream()
    execution = only_execution(workflow)

    record = dialing(workflow, callback_id, 1)
    # Tuesday 13 January, 09:00 in Tokyo: not 22:00, not the holiday.
    assert record["scheduled_for"] == "2026-01-13T00:00:00.000+00:00"
    assert waits(workflow, execution["executionArn"]) == ["2026-01-13T00:00:00Z"]
    press(workflow, callback_id, "accepted")
    assert workflow.finished(execution["executionArn"])["status"] == "SUCCEEDED"
    assert workflow.record(callback_id)["state"] == "connected"
    workflow.stub.assert_no_pending_responses()


def test_throttled_twice_is_placed_on_the_third_try(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    callback_id = book(workflow, monkeypatch, OPEN_MONDAY)
    for _ in range(2):
        workflow.stub.add_client_error(
            "start_outbound_voice_contact", "ThrottlingException", http_status_code=429
        )
    expect_call(workflow, callback_id, 1)  # the same attempt: the same ClientToken
    workflow.deliver_stream()
    execution = only_execution(workflow)

    record = dialing(workflow, callback_id, 1)
    workflow.wait_until(
        lambda: not workflow.stub._queue,  # the third call has been made
        "the third StartOutboundVoiceContact",
    )
    press(workflow, callback_id, "accepted")
    assert workflow.finished(execution["executionArn"])["status"] == "SUCCEEDED"
    record = workflow.record(callback_id)
    assert (record["state"], record["attempts"]) == ("connected", "1")
    dials = [event for name, event in workflow.invoked if name == "PlaceCallbackFunction"]
    assert len(dials) == 3
    assert workflow.dead_letters() == []


def test_no_answer_three_times_ends_failed_with_one_dead_letter(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    callback_id = book(workflow, monkeypatch, OPEN_MONDAY)
    for attempt in (1, 2, 3):
        expect_call(workflow, callback_id, attempt)
    workflow.deliver_stream()
    execution = only_execution(workflow)

    # Nobody answers: each dialing step's heartbeat (IVR_CALLBACK_ANSWER_SECONDS=1) runs out.
    finished = workflow.finished(execution["executionArn"], timeout=60)
    assert finished["status"] == "FAILED"
    record = workflow.record(callback_id)
    assert (record["state"], record["attempts"]) == ("failed", "3"), record["last_error"]
    assert record["last_error"].startswith("AttemptsUsedUp")
    workflow.stub.assert_no_pending_responses()  # three calls, no fourth
    letters = workflow.dead_letters()
    assert len(letters) == 1
    assert letters[0]["callbackId"] == callback_id
    assert letters[0]["error"] == "AttemptsUsedUp"
    # Retries wait for the next opening IVR_CALLBACK_RETRY_MINUTES (15) later.
    assert waits(workflow, execution["executionArn"]) == [
        "2026-01-05T01:00:00Z",
        "2026-01-05T01:15:00Z",
        "2026-01-05T01:15:00Z",
    ]


def test_a_stream_record_delivered_twice_starts_one_execution_and_one_call(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    callback_id = book(workflow, monkeypatch, OPEN_MONDAY)
    expect_call(workflow, callback_id, 1)
    assert workflow.deliver_stream() == {"batchItemFailures": []}
    assert workflow.deliver_stream() == {"batchItemFailures": []}
    execution = only_execution(workflow)
    dialing(workflow, callback_id, 1)
    press(workflow, callback_id, "accepted")
    assert workflow.finished(execution["executionArn"])["status"] == "SUCCEEDED"
    # Delivered again after the execution ended: ExecutionAlreadyExists, still one.
    assert workflow.deliver_stream() == {"batchItemFailures": []}
    only_execution(workflow)
    workflow.stub.assert_no_pending_responses()
    assert workflow.record(callback_id)["state"] == "connected"


def test_a_callback_booked_in_a_simulated_main_inbound_call_ends_connected(
    workflow: Workflow,
    monkeypatch: pytest.MonkeyPatch,
    dynamodb_table: Any,
) -> None:
    """The issue's "done when": the inbound flow books (the real handlers, through the
    simulator), the stream starts the workflow, the caller answers and presses 1."""
    from ivr.engine import Simulator

    monkeypatch.setenv("IVR_CUSTOMERS_TABLE", dynamodb_table("CustomersTable"))
    # Sunday 11 January 2026, 20:00 in Tokyo: closed, so the flow offers a callback.
    monkeypatch.setenv("IVR_FIXED_NOW", "2026-01-11T20:00:00+09:00")
    flows = Path(__file__).resolve().parents[2] / "contact_flows"
    # Silence for English, 1 for a callback, 1 for this number.
    call = Simulator(flows / "main_inbound.json").call(
        caller=CALLER, inputs=["timeout", "1", "1"], contact_id=str(uuid.uuid4())
    )
    assert call.ok, call.prompts()
    [execution_input] = [record["dynamodb"]["NewImage"] for record in workflow.stream_records()]
    callback_id = execution_input["contact_id"]["S"]
    expect_call(workflow, callback_id, 1)
    workflow.deliver_stream()
    execution = only_execution(workflow)

    dialing(workflow, callback_id, 1)
    press(workflow, callback_id, "answered")
    press(workflow, callback_id, "accepted")
    assert workflow.finished(execution["executionArn"])["status"] == "SUCCEEDED"
    assert workflow.record(callback_id)["state"] == "connected"
    workflow.stub.assert_no_pending_responses()  # exactly one outbound call
    # Closed on Sunday, Monday the 12th a holiday: dialed Tuesday at 09:00 in Tokyo.
    assert waits(workflow, execution["executionArn"]) == ["2026-01-13T00:00:00Z"]


def test_declined_is_tried_again_and_connected_on_the_second_attempt(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    callback_id = book(workflow, monkeypatch, OPEN_MONDAY)
    expect_call(workflow, callback_id, 1)
    expect_call(workflow, callback_id, 2)
    workflow.deliver_stream()
    execution = only_execution(workflow)

    dialing(workflow, callback_id, 1)
    press(workflow, callback_id, "declined")
    record = dialing(workflow, callback_id, 2)
    assert record["last_error"] == "CallbackDeclined"
    # The first call's report, late: it settles nothing of the second.
    assert press(workflow, callback_id, "accepted", attempt=1)["status"] == "not_found"
    assert workflow.record(callback_id)["state"] == "dialing"
    press(workflow, callback_id, "accepted", attempt=2)
    assert workflow.finished(execution["executionArn"])["status"] == "SUCCEEDED"
    record = workflow.record(callback_id)
    assert (record["state"], record["attempts"]) == ("connected", "2")
    workflow.stub.assert_no_pending_responses()


def test_a_call_connect_refuses_ends_failed_at_once_with_its_cause(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    callback_id = book(workflow, monkeypatch, OPEN_MONDAY)
    workflow.stub.add_client_error(
        "start_outbound_voice_contact", "DestinationNotAllowedException", http_status_code=403
    )
    workflow.deliver_stream()
    execution = only_execution(workflow)

    assert workflow.finished(execution["executionArn"])["status"] == "FAILED"
    record = workflow.record(callback_id)
    assert (record["state"], record["attempts"]) == ("failed", "1")
    assert record["last_error"].startswith("DialRefused")
    [letter] = workflow.dead_letters()
    assert (letter["callbackId"], letter["error"]) == (callback_id, "DialRefused")
    assert "DestinationNotAllowedException" in letter["cause"]
    dials = [event for name, event in workflow.invoked if name == "PlaceCallbackFunction"]
    assert len(dials) == 1  # not retried: no later try would be allowed


def test_before_the_outbound_flow_is_configured_callbacks_fail_into_the_queue(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """deploy/README step 4b: the stack's first deployment has no outbound flow id yet."""
    monkeypatch.setenv("IVR_OUTBOUND_FLOW_ID", "")
    callback_id = book(workflow, monkeypatch, OPEN_MONDAY)
    workflow.deliver_stream()
    execution = only_execution(workflow)

    assert workflow.finished(execution["executionArn"])["status"] == "FAILED"
    [letter] = workflow.dead_letters()
    assert (letter["callbackId"], letter["error"]) == (callback_id, "ConfigurationError")
    assert "IVR_OUTBOUND_FLOW_ID" in letter["cause"]
    assert workflow.record(callback_id)["state"] == "failed"
    workflow.stub.assert_no_pending_responses()  # no call was attempted
