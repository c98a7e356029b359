"""What the fast run loop must keep: the time-limit guard on inline handlers, the validation
short cut agreeing with the full check, and JSONPath names ending at non-ASCII text."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from ivr.engine import simulate
from ivr.engine.lambdas import MAX_RESPONSE_BYTES, validate
from ivr.engine.watchdog import HandlerTimedOut, Watchdog
from tests.engine.conftest import action, say

ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:spin"


def spin(event: dict[str, Any], context: Any) -> dict[str, str]:
    while True:  # pure Python: only the watchdog can stop it
        pass


def test_a_handler_spinning_past_its_limit_is_interrupted_and_takes_the_error_branch(
    write_flow,
):
    path = write_flow(
        action(
            "invoke",
            "InvokeLambdaFunction",
            {"LambdaFunctionARN": ARN, "InvocationTimeLimitSeconds": "1"},
            next_action="hangup",
            errors={"NoMatchingError": "failed"},
        ),
        say("failed", "Sorry.", "hangup"),
    )
    result = simulate(path, lambdas={ARN: spin})
    assert result.path == ["invoke", "failed", "hangup"]
    assert "InvocationTimeLimitSeconds=1" in (result.lambda_calls[0].error or "")
    # Nothing is left pending: the next call through the same thread runs normally.
    assert simulate(path, lambdas={ARN: {"ok": "yes"}}).path == ["invoke", "hangup"]


def test_the_watchdog_guards_each_thread_on_its_own():
    watchdog = Watchdog(tick_s=0.01)
    outcomes: dict[str, str] = {}

    def run(name: str, function: Any) -> None:
        try:
            outcomes[name] = watchdog.call(0.2, function)
        except HandlerTimedOut:
            outcomes[name] = "timed out"

    def forever() -> str:
        while True:
            pass

    threads = [
        threading.Thread(target=run, args=("spins", forever)),
        threading.Thread(target=run, args=("quick", lambda: "answered")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert outcomes == {"spins": "timed out", "quick": "answered"}


@pytest.mark.parametrize(
    "answer",
    [
        {"a": "1"},
        {"name": "Taro様"},  # non-ASCII: the full check
        {"n": 1},
        {"nested": {"a": "b"}},
        {"big": "x" * MAX_RESPONSE_BYTES},
        {"edge": "x" * (MAX_RESPONSE_BYTES // 6 - 20)},  # near the short cut's bound
        {"lone": "\ud800"},
        ["not", "an", "object"],
    ],
)
def test_string_map_validation_short_cut_agrees_with_the_full_check(answer):
    full = validate(answer, "JSON")  # never takes the short cut
    string_map = validate(answer, "STRING_MAP")
    if full.error is None and all(type(v) is str for v in answer.values()):
        assert string_map == full
    else:
        assert string_map.error is not None


def test_a_jsonpath_ends_before_non_ascii_text(write_flow):
    path = write_flow(
        action(
            "set",
            "UpdateContactAttributes",
            {"Attributes": {"firstName": "Taro"}},
            next_action="greet",
        ),
        say("greet", "$.Attributes.firstName様、お電話ありがとうございます。", "hangup"),
    )
    assert simulate(path).prompts == ["Taro様、お電話ありがとうございます。"]
