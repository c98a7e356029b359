"""No personal data in any log line, exception text included; and the scan that checks the
handler tests' logs (tests/log_scan.py) finds what it is meant to find."""

from __future__ import annotations

import json

import pytest

from functions import observability
from functions.runtime import Container, Invocation, connect_handler
from models.customer import Customer
from models.identify_caller import IdentifyCallerResponse
from models.parameters import NoParameters
from tests.log_scan import captured_lines, findings
from tests.pin_order_env import event_with

NAME = "Diamondo"
NUMBER = "+81312345679"


def _validation_error() -> Exception:
    try:
        Customer(customer_id="c", phone_e164=NUMBER, first_name=NAME * 20, tier="diamond")
    except Exception as exc:
        return exc
    raise AssertionError("the row was valid")


def test_exception_text_is_masked_but_keeps_its_frames_and_field_names() -> None:
    with captured_lines() as lines:
        try:
            raise ValueError(f"row of '{NAME}' at {NUMBER}") from _validation_error()
        except ValueError:
            observability.logger().exception("function failed")
    (line,) = lines
    record = json.loads(line)
    assert NAME not in line and NUMBER not in line and "312345679" not in line
    assert record["exception_name"] == "ValueError"
    text = record["exception"]
    assert "Traceback (most recent call last)" in text
    assert "ValidationError: first_name: string_too_long; tier: enum" in text
    assert "direct cause" in text
    assert "ValueError: row of '…' at +81*******79" in text
    assert "line " in text and "_validation_error" in text
    assert findings(line) == []


def test_a_body_that_fails_with_personal_data_logs_none_of_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")

    @connect_handler
    def failing(call: Invocation[NoParameters]) -> IdentifyCallerResponse:
        raise RuntimeError(f"customer {NAME!r} pressed 9999 from {NUMBER}")

    with captured_lines() as lines:
        answer = failing(event_with({}), None, container=Container.build())
    assert (answer["status"], answer["reason"]) == ("unavailable", "internal_error")
    failure = next(json.loads(line) for line in lines if "function failed" in line)
    assert "RuntimeError" in failure["exception"]
    assert [findings(line) for line in lines] == [[] for _ in lines]


@pytest.mark.parametrize(
    ("line", "kinds"),
    [
        ('{"message": "caller +81312345678"}', ["number"]),
        ('{"message": "caller 03-1234-5678"}', []),  # broken by dashes: masked upstream anyway
        ('{"message": "keyed", "digits": "1234"}', ["pin"]),
        ('{"message": "hello Taro"}', ["name"]),
        ('{"message": "caller +81*******78", "duration_ms": 12.34}', []),
        ('{"timestamp": "2026-12-03 10:00:00,123+0000", "correlation_id": "0000-1234"}', []),
    ],
)
def test_the_scan_finds_unmasked_numbers_pins_and_names(line: str, kinds: list[str]) -> None:
    assert [found.split()[0] for found in findings(line)] == kinds
