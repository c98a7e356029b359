"""The handler runtime keeps Connect's contract whatever the function body does."""

from __future__ import annotations

import functools
import json
import threading
import time
import uuid
from pathlib import Path

import pytest

from functions.config import RuntimeSettings
from functions.deadline import Deadline, write_window
from functions.errors import (
    DeadlineExceeded,
    InvalidEvent,
    InvalidInput,
    NotFound,
    StoreUnavailable,
)
from functions.observability import logger
from functions.runtime import (
    ConnectHandler,
    Container,
    HandlerContract,
    Invocation,
    connect_handler,
    parse_event,
    time_budget,
)
from models.keypad import KeypadReason
from models.parameters import ConnectParameters, NoParameters
from models.response import ConnectResponse, RuntimeReason, Status

EVENT = json.loads((Path(__file__).parent / "events" / "known_caller.json").read_text())
FAST = RuntimeSettings(default_time_limit_s=1.0, deadline_margin_ms=850, default_region="JP")
# The bodies here use no store: the default (embedded SQLite) stores are never opened.
CONTAINER = Container.build(settings=FAST)


class Answer(ConnectResponse):
    reasons = ConnectResponse.reasons | frozenset(KeypadReason)

    greeting: str = ""


class Needs(ConnectParameters):
    order_number: str
    note: str = ""


def handler_for(body, parameters=NoParameters):
    """`body` as a handler answering `Answer`, run on this module's container."""
    handler = ConnectHandler(body, HandlerContract(parameters=parameters, response=Answer))
    return functools.partial(handler, container=CONTAINER)


def event_with(parameters: dict[str, str]) -> dict:
    raw = json.loads(json.dumps(EVENT))
    raw["Details"]["Parameters"] = parameters
    return raw


def test_a_good_body_answers_its_response() -> None:
    handler = handler_for(lambda call: Answer(greeting=f"hello {call.contact.channel}"))
    assert handler(EVENT) == {"status": "ok", "reason": "", "greeting": "hello VOICE"}


@pytest.mark.parametrize(
    ("error", "status", "reason"),
    [
        (InvalidInput("bad_check_digit"), "invalid_input", "bad_check_digit"),
        (NotFound("no such order"), "not_found", "not_found"),
        (StoreUnavailable("throttled"), "unavailable", "store_unavailable"),
        (RuntimeError("bug"), "unavailable", "internal_error"),
        (KeyError("x"), "unavailable", "internal_error"),
    ],
)
def test_failures_become_statuses_the_flow_can_branch_on(error, status, reason) -> None:
    def body(call: Invocation) -> Answer:
        raise error

    answer = handler_for(body)(EVENT)
    assert answer == {"status": status, "reason": reason, "greeting": ""}


def test_a_slow_body_is_answered_unavailable_before_the_deadline() -> None:
    def body(call: Invocation) -> Answer:
        time.sleep(1.0)
        return Answer(greeting="too late")

    started = time.monotonic()
    answer = handler_for(body)(EVENT)
    elapsed = time.monotonic() - started
    assert answer["status"] == "unavailable"
    assert answer["reason"] == "timeout"
    assert elapsed < 0.9  # budget: 1 s limit less the 850 ms margin


def test_a_write_after_the_deadline_never_runs() -> None:
    wrote: list[str] = []
    refused = threading.Event()

    def body(call: Invocation) -> Answer:
        time.sleep(0.3)  # past the 0.15 s budget
        try:
            with write_window():
                wrote.append("late")
        except DeadlineExceeded:
            refused.set()
            raise
        return Answer(greeting="too late")

    answer = handler_for(body)(EVENT)
    assert (answer["status"], answer["reason"]) == ("unavailable", "timeout")
    assert refused.wait(5)
    assert wrote == []


def test_a_body_whose_write_began_in_time_is_heard_within_the_grace() -> None:
    # The write begins before the deadline and finishes after it: its result is the body's
    # answer, so the runtime waits (half the 850 ms margin) instead of contradicting it.
    def body(call: Invocation) -> Answer:
        with write_window():
            time.sleep(0.3)
        return Answer(greeting="written")

    started = time.monotonic()
    answer = handler_for(body)(EVENT)
    assert answer == {"status": "ok", "reason": "", "greeting": "written"}
    assert time.monotonic() - started < 0.15 + 0.425 + 0.1


def test_deadline_refuses_writes_once_closed_or_past() -> None:
    open_ = Deadline.after(10)
    assert open_.close() is True  # nothing had begun
    with pytest.raises(DeadlineExceeded), open_.write():
        pass
    began = Deadline.after(10)
    with began.write():
        pass
    assert began.close() is False  # a write had begun: the runtime must wait for the body
    with pytest.raises(DeadlineExceeded):
        Deadline.after(-1).check()
    with write_window():  # outside an invocation there is no deadline to keep
        pass


def test_a_response_connect_would_reject_is_turned_into_unavailable() -> None:
    answer = handler_for(lambda call: Answer(greeting="x" * 40_000))(EVENT)
    assert answer["status"] == "unavailable"
    assert answer["reason"] == "internal_error"


def test_missing_required_parameter_is_invalid_input() -> None:
    handler = handler_for(lambda call: Answer(greeting=call.parameters.order_number), Needs)
    assert handler(event_with({}))["reason"] == "missing_parameter"
    assert handler(event_with({"orderNumber": "42"}))["greeting"] == "42"


def test_the_contract_is_read_from_the_signature() -> None:
    @connect_handler
    def handler(call: Invocation[Needs]) -> Answer:
        return Answer(greeting=call.parameters.order_number)

    assert handler.contract == HandlerContract(parameters=Needs, response=Answer)
    assert handler.contract.parameters.required() == {"orderNumber"}
    assert handler.contract.parameters.accepted() == {"orderNumber", "note", "timeLimitSeconds"}
    answer = handler(event_with({"orderNumber": "42"}), container=CONTAINER)
    assert answer["greeting"] == "42"


def untyped(call):
    return Answer()


def bare(call: Invocation) -> Answer:
    return Answer()


def no_answer_model(call: Invocation[Needs]) -> dict:
    return {}


def no_return_annotation(call: Invocation[Needs]):
    return Answer()


@pytest.mark.parametrize("body", [untyped, bare, no_answer_model, no_return_annotation])
def test_a_handler_without_a_typed_contract_fails_at_import(body) -> None:
    with pytest.raises(TypeError, match=r"Invocation\[|ConnectResponse"):
        connect_handler(body)


def test_a_store_error_answers_the_reason_its_class_declares_not_its_name() -> None:
    class RenamedOutage(StoreUnavailable):
        pass

    def body(call: Invocation) -> Answer:
        raise RenamedOutage("throttled")

    answer = handler_for(body)(EVENT)
    assert (answer["status"], answer["reason"]) == ("unavailable", "store_unavailable")


def test_a_reason_the_response_does_not_declare_never_reaches_the_flow() -> None:
    def body(call: Invocation) -> Answer:
        raise InvalidInput("made_up_reason")

    answer = handler_for(body)(EVENT)
    assert (answer["status"], answer["reason"]) == ("unavailable", "internal_error")
    with pytest.raises(ValueError, match="not declared"):
        Answer(reason="made_up_reason")
    assert {r.value for r in RuntimeReason} <= Answer.reasons


@pytest.mark.parametrize("raw", [None, "text", [], {}, {"Details": {}}, {"Name": "x"}])
def test_an_event_without_envelope_raises_a_clear_error(raw) -> None:
    handler = handler_for(lambda call: Answer())
    with pytest.raises(InvalidEvent, match="Connect contact-flow event"):
        handler(raw)


def test_parse_event_names_the_missing_field() -> None:
    raw = json.loads(json.dumps(EVENT))
    del raw["Details"]["ContactData"]["ContactId"]
    with pytest.raises(InvalidEvent, match="ContactId"):
        parse_event(raw)


class FakeContext:
    def __init__(self, remaining_ms: int) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


@pytest.mark.parametrize(
    ("parameters", "remaining_ms", "expected"),
    [
        ({}, None, 2.7),  # default 3 s less 300 ms
        ({"timeLimitSeconds": "8"}, None, 7.7),
        ({"timeLimitSeconds": "20"}, None, 7.7),  # Connect's ceiling is 8 s
        ({"timeLimitSeconds": "0"}, None, 0.7),  # and its floor 1 s
        ({"timeLimitSeconds": "soon"}, None, 2.7),  # a typo keeps the default
        ({"timeLimitSeconds": "8"}, 2000, 1.7),  # Lambda's own time left wins
        ({}, 100, 0.05),  # never below the minimum budget
    ],
)
def test_time_budget(parameters, remaining_ms, expected) -> None:
    settings = RuntimeSettings(default_time_limit_s=3.0, deadline_margin_ms=300)
    context = FakeContext(remaining_ms) if remaining_ms is not None else None
    assert time_budget(parameters, settings, context) == pytest.approx(expected)


def test_logs_are_json_with_the_contact_id_and_no_caller_number(capsys) -> None:
    def body(call: Invocation) -> Answer:
        logger().info(f"looking up {call.contact.customer_address}")
        return Answer()

    handler_for(body)(event_with({"pin": "4321"}))
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    answered = [line for line in lines if line.get("message") == "answered"]
    assert answered, err
    assert answered[0]["correlation_id"] == EVENT["Details"]["ContactData"]["ContactId"]
    assert answered[0]["status"] == "ok"
    assert "+81312345678" not in err
    assert "312345678" not in err
    assert "4321" not in err


def test_metrics_are_emitted_per_status(capsys, monkeypatch) -> None:
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
    handler_for(lambda call: Answer())(EVENT)
    out = capsys.readouterr().out
    emf = [json.loads(line) for line in out.splitlines() if '"_aws"' in line]
    assert emf, out
    names = {m["Name"] for m in emf[-1]["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert "status_ok" in names
    assert emf[-1]["function"] == "test_runtime"


def test_status_values_are_the_documented_ones() -> None:
    assert {s.value for s in Status} == {"ok", "invalid_input", "not_found", "unavailable"}


def correlation_ids(err: str) -> dict[str, str | None]:
    """Each logged message's correlation id (the last line's, for a message logged twice)."""
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    return {line["message"]: line.get("correlation_id") for line in lines}


def event_of(contact_id: str) -> dict:
    raw = event_with({})
    raw["Details"]["ContactData"]["ContactId"] = contact_id
    return raw


def test_interleaved_calls_log_their_own_contact_ids(capsys) -> None:
    # Call A's body overruns its deadline and logs while call B runs: every line, the
    # late one on A's worker thread included, carries its own call's ContactId (issue 10:
    # the id was set after the body, so lines carried the previous call's).
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    second_started, first_logged = threading.Event(), threading.Event()

    def body(call: Invocation) -> Answer:
        if call.contact.contact_id == first:
            assert second_started.wait(5)
            logger().info("first body, late")
            first_logged.set()
            return Answer()
        second_started.set()
        assert first_logged.wait(5)
        logger().info("second body")
        return Answer()

    handler = handler_for(body)
    assert handler(event_of(first))["reason"] == "timeout"
    assert handler(event_of(second))["status"] == "ok"
    logger().info("between calls")

    ids = correlation_ids(capsys.readouterr().err)
    assert ids["first body, late"] == first
    assert ids["second body"] == second
    assert ids["answered"] == second  # the last "answered" line: the second call's
    assert ids["between calls"] is None  # cleared after each call


def test_the_contact_id_is_cleared_after_a_failed_call(capsys) -> None:
    def body(call: Invocation) -> Answer:
        logger().info("failing body")
        raise RuntimeError("bug")

    contact = str(uuid.uuid4())
    assert handler_for(body)(event_of(contact))["reason"] == "internal_error"
    logger().info("after the call")
    ids = correlation_ids(capsys.readouterr().err)
    assert ids["failing body"] == ids["function failed"] == contact
    assert ids["after the call"] is None
