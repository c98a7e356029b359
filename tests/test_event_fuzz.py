"""Tolerant where Connect varies (issue 9): every well-enveloped event gets a valid answer.

Well-enveloped: `Details.ContactData` an object with a string `ContactId`, `Details.Parameters`
an object. Every other field, known or not, at any depth, is absent or any JSON value; texts
include NUL and lone surrogates. Each of the five handlers runs on the embedded SQLite store,
seeded as deployed, and must answer a flat str -> str map whose status is one the flows branch
on: never an exception (Connect's Error branch, connect.md 1.3).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functions import (
    check_business_status,
    identify_caller,
    order_status,
    request_callback,
    verify_pin,
)
from tests.pin_order_env import EVENT, TARO, TARO_ORDERS, Seeded, event_with, seeded_environment

# Left out of the fast tier (make test-fast): hypothesis generates hundreds of events per handler.
pytestmark = pytest.mark.slow

Handler = Callable[..., dict[str, str]]
HANDLERS: dict[str, Handler] = {
    "identify_caller": identify_caller.handler,
    "check_business_status": check_business_status.handler,
    "verify_pin": verify_pin.handler,
    "order_status": order_status.handler,
    "request_callback": request_callback.handler,
}
STATUSES = {"ok", "invalid_input", "not_found", "unavailable"}
EXAMPLES_PER_HANDLER = 200

# Text as a hand-made or corrupted event may carry it: any code point, plus the two that no
# store accepts (models/text.py) often enough to matter.
text = st.text(
    st.one_of(st.characters(), st.sampled_from(["\x00", "\ud800", "\udfff", "0", "+"])),
    max_size=24,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
contact_ids = st.one_of(st.uuids().map(str), text, st.text(min_size=60, max_size=70))
phone_like = st.sampled_from(
    ["+81312345678", "+819012345678", "+14155550123", "0312345678", "anonymous", "", "+1900"]
)
endpoints = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "Address": st.one_of(phone_like, json_values),
            "Type": st.one_of(st.just("TELEPHONE_NUMBER"), json_values),
        },
    ),
)
# The known fields, each absent or odd (and sometimes as Connect sends it).
contact_fields = st.fixed_dictionaries(
    {},
    optional={
        "Channel": st.one_of(st.sampled_from(["VOICE", "CHAT", "TASK", "VIDEO"]), json_values),
        "InstanceARN": json_values,
        "InitiationMethod": st.one_of(st.just("INBOUND"), json_values),
        "Attributes": json_values,
        "InitialContactId": st.one_of(contact_ids, json_values),
        "PreviousContactId": json_values,
        "CustomerEndpoint": endpoints,
        "SystemEndpoint": endpoints,
        "Queue": json_values,
        "MediaStreams": json_values,
        "LanguageCode": st.one_of(st.sampled_from(["ja-JP", "en-US", "xx"]), json_values),
        "CustomerId": json_values,
        "Name": json_values,
        "Description": json_values,
        "References": json_values,
        "SegmentAttributes": json_values,
        "Tags": json_values,
    },
)
# The parameters the five functions read, with usable values and odd ones, plus any others.
parameter_values = st.one_of(
    st.sampled_from(
        [TARO.pin, TARO.customer_number, TARO.customer_id, TARO_ORDERS[0].order_number]
    ),
    st.sampled_from(["ja", "en", "1", "8", "0312345678", "#", "*"]),
    json_values,
)
parameters = st.dictionaries(
    st.one_of(
        st.sampled_from(
            [
                "pin",
                "customerNumber",
                "customerId",
                "orderNumber",
                "callbackNumber",
                "language",
                "timeLimitSeconds",
            ]
        ),
        text,
    ),
    parameter_values,
    max_size=5,
)


@st.composite
def well_enveloped_events(draw: st.DrawFn) -> dict[str, Any]:
    contact: dict[str, Any] = {"ContactId": draw(contact_ids)}
    contact.update(draw(contact_fields))
    extra = draw(st.dictionaries(text, json_values, max_size=2))
    contact.update({k: v for k, v in extra.items() if k != "ContactId"})
    event: dict[str, Any] = {"Details": {"ContactData": contact, "Parameters": draw(parameters)}}
    event["Details"].update(
        {
            k: v
            for k, v in draw(st.dictionaries(text, json_values, max_size=2)).items()
            if k not in ("ContactData", "Parameters")
        }
    )
    event.update(draw(st.fixed_dictionaries({}, optional={"Name": json_values})))
    # What Connect sends is JSON: round-trip so the handler sees what json.loads would give.
    return json.loads(json.dumps(event))


@pytest.fixture(params=["sqlite"])
def seeded(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Seeded]:
    yield from seeded_environment(request, monkeypatch, tmp_path)


def assert_valid_answer(answer: object) -> None:
    __tracebackhide__ = True
    assert isinstance(answer, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in answer.items()), answer
    assert answer["status"] in STATUSES, answer


@pytest.mark.parametrize("name", sorted(HANDLERS))
def test_every_well_enveloped_event_gets_a_valid_answer(seeded: Seeded, name: str) -> None:
    handler = HANDLERS[name]

    @settings(
        max_examples=EXAMPLES_PER_HANDLER,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(event=well_enveloped_events())
    def answers(event: dict[str, Any]) -> None:
        assert_valid_answer(seeded.invoke(handler, event))

    answers()


# The examples of the report (issue 9 item 3) and a few more; one seeded store per handler.
REPORTED = [
    ("Name", -1),
    ("References", "x"),
    ("CustomerEndpoint", {"Address": 1.5}),
    ("Channel", None),
    ("Attributes", [1, 2]),
    ("Queue", {"ARN": 5, "OutboundCallerId": "x"}),
]


@pytest.mark.parametrize("name", sorted(HANDLERS))
def test_the_fields_of_the_report_cost_no_call(seeded: Seeded, name: str) -> None:
    for field, value in REPORTED:
        raw = copy.deepcopy(EVENT)
        raw["Details"]["ContactData"][field] = value
        assert_valid_answer(seeded.invoke(HANDLERS[name], raw))


def test_a_caller_number_of_the_wrong_type_is_a_withheld_caller(seeded: Seeded) -> None:
    raw = event_with({}, CustomerEndpoint={"Address": 1.5, "Type": "TELEPHONE_NUMBER"})
    answer = seeded.invoke(identify_caller.handler, raw)
    assert (answer["status"], answer["callerIdStatus"], answer["callerE164"]) == (
        "ok",
        "withheld",
        "",
    )
    answer = seeded.invoke(request_callback.handler, raw)
    assert (answer["status"], answer["reason"], answer["confirmed"]) == (
        "invalid_input",
        "no_number",
        "false",
    )


@pytest.mark.parametrize("name", sorted(HANDLERS))
def test_a_contact_id_no_store_can_key_by_is_invalid_input(seeded: Seeded, name: str) -> None:
    cases = [("ContactId", bad) for bad in ("ab\x00c", "ab\ud800c", "x" * 65, "")]
    # An empty InitialContactId is read as none (the ContactId keys), so it is not a case.
    cases += [("InitialContactId", bad) for bad in ("ab\x00c", "ab\ud800c", "x" * 65)]
    for field, bad in cases:
        raw = event_with({"pin": TARO.pin, "orderNumber": TARO_ORDERS[0].order_number})
        raw["Details"]["ContactData"][field] = bad
        answer = seeded.invoke(HANDLERS[name], raw)
        assert (answer["status"], answer["reason"]) == ("invalid_input", "invalid_contact_id")


@pytest.mark.parametrize("bad", ["12\x0034", "12\ud80034"])
def test_a_parameter_no_store_can_take_is_invalid_input(seeded: Seeded, bad: str) -> None:
    answer = seeded.invoke(verify_pin.handler, event_with({"pin": "1234", "customerId": bad}))
    assert (answer["status"], answer["reason"]) == ("invalid_input", "invalid_parameter")
    answer = seeded.invoke(order_status.handler, event_with({"orderNumber": bad}))
    assert (answer["status"], answer["reason"]) == ("invalid_input", "invalid_parameter")


def test_an_unused_parameter_is_never_checked(seeded: Seeded) -> None:
    answer = seeded.invoke(identify_caller.handler, event_with({"note": "a\x00b\ud800"}))
    assert (answer["status"], answer["callerIdStatus"]) == ("ok", "valid")
