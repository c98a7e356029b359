"""order_status through its Lambda handler, on SQLite and DynamoDB (moto's server): only a caller
verified on this contact hears about an order, and only about their own."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from functions import verify_pin
from functions.clock import fixed_clock
from functions.keypad import is_luhn_valid
from functions.order_status import handler, order_status
from models.customer import Language
from models.order import OrderStatus
from tests.containers import environment_container, invoke
from tests.pin_order_env import (
    HANAKO_ORDERS,
    SEEDED_BACKENDS,
    TARO,
    TARO_ORDERS,
    Seeded,
    event_with,
    seeded_environment,
)

ONE_SECOND = datetime.timedelta(seconds=1)
CONTACT = "5ca32fbd-8f92-46af-92a5-6b0f970f0efe"  # known_caller.json's InitialContactId
NOT_FOUND = {
    "status": "not_found",
    "reason": "not_found",
    "orderFound": "false",
    "orderStatus": "",
    "deliveryDate": "",
    "deliveryDateSsml": "",
}


@pytest.fixture(params=SEEDED_BACKENDS)
def seeded(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Seeded]:
    yield from seeded_environment(request, monkeypatch, tmp_path)


@pytest.fixture
def verified(seeded: Seeded) -> Seeded:
    """Taro, the known caller, has keyed his PIN on this contact."""
    assert seeded.invoke(verify_pin.handler, event_with({"pin": TARO.pin}))["verified"] == "true"
    return seeded


def of_status(status: OrderStatus) -> str:
    return next(o.order_number for o in TARO_ORDERS if o.status is status)


def test_the_sample_order_numbers_carry_a_check_digit() -> None:
    assert all(is_luhn_valid(o.order_number) for o in TARO_ORDERS + HANAKO_ORDERS)


def test_a_verified_owner_hears_status_and_date(verified: Seeded) -> None:
    order = next(o for o in TARO_ORDERS if o.status is OrderStatus.SHIPPED)
    assert order.delivery_date is not None
    answer = verified.invoke(
        handler, event_with({"orderNumber": order.order_number, "language": "ja"})
    )
    d = order.delivery_date
    assert answer == {
        "status": "ok",
        "reason": "",
        "orderFound": "true",
        "orderStatus": "shipped",
        "deliveryDate": d.isoformat(),
        "deliveryDateSsml": (
            f'<speak><say-as interpret-as="date" format="ymd">{d:%Y-%m-%d}</say-as></speak>'
        ),
    }


def test_the_date_is_spoken_in_the_language_asked_for(verified: Seeded) -> None:
    order = next(o for o in TARO_ORDERS if o.status is OrderStatus.PROCESSING)
    assert order.delivery_date is not None
    for language in ("en", "en-US"):
        answer = verified.invoke(
            handler, event_with({"orderNumber": order.order_number, "language": language})
        )
        assert f'format="mdy">{order.delivery_date:%m-%d-%Y}<' in answer["deliveryDateSsml"]
    default = verified.invoke(
        handler, event_with({"orderNumber": order.order_number, "language": "fr"})
    )
    assert 'format="ymd"' in default["deliveryDateSsml"]


def test_a_cancelled_order_has_no_date(verified: Seeded) -> None:
    answer = verified.invoke(handler, event_with({"orderNumber": of_status(OrderStatus.CANCELLED)}))
    assert (answer["orderFound"], answer["orderStatus"]) == ("true", "cancelled")
    assert (answer["deliveryDate"], answer["deliveryDateSsml"]) == ("", "")


def test_every_state_reads_back(verified: Seeded) -> None:
    states = {
        verified.invoke(handler, event_with({"orderNumber": o.order_number}))["orderStatus"]
        for o in TARO_ORDERS
    }
    assert states == {s.value for s in OrderStatus}


def test_an_unverified_contact_hears_nothing(seeded: Seeded) -> None:
    answer = seeded.invoke(handler, event_with({"orderNumber": of_status(OrderStatus.SHIPPED)}))
    assert answer == {**NOT_FOUND, "status": "invalid_input", "reason": "not_verified"}


def test_a_wrong_pin_does_not_verify(seeded: Seeded) -> None:
    seeded.invoke(verify_pin.handler, event_with({"pin": "9999"}))
    answer = seeded.invoke(handler, event_with({"orderNumber": of_status(OrderStatus.SHIPPED)}))
    assert answer["reason"] == "not_verified"


def test_a_verification_belongs_to_its_contact(verified: Seeded) -> None:
    other_contact = {
        "ContactId": "22222222-2222-4222-8222-222222222222",
        "InitialContactId": None,
    }
    answer = verified.invoke(
        handler, event_with({"orderNumber": of_status(OrderStatus.SHIPPED)}, **other_contact)
    )
    assert answer["reason"] == "not_verified"


def test_a_transferred_contact_keeps_its_verification(verified: Seeded) -> None:
    # After a transfer the ContactId changes; the InitialContactId stays.
    transferred = {"ContactId": "33333333-3333-4333-8333-333333333333"}
    answer = verified.invoke(
        handler, event_with({"orderNumber": of_status(OrderStatus.SHIPPED)}, **transferred)
    )
    assert answer["orderFound"] == "true"


def test_someone_elses_order_answers_like_a_missing_one(verified: Seeded) -> None:
    hanakos = verified.invoke(handler, event_with({"orderNumber": HANAKO_ORDERS[0].order_number}))
    missing = verified.invoke(
        handler, event_with({"orderNumber": "1234567897"})
    )  # Luhn-valid, no such order
    assert hanakos == missing == NOT_FOUND


def test_a_verification_expires(seeded: Seeded) -> None:
    verifications, orders = seeded.container.stores.verifications, seeded.container.stores.orders
    verifications.record(CONTACT, TARO.customer_id, expires_at=2_000_000_600)
    number = of_status(OrderStatus.DELIVERED)
    before = order_status(number, Language.EN, CONTACT, verifications, orders, 2_000_000_599)
    after = order_status(number, Language.EN, CONTACT, verifications, orders, 2_000_000_600)
    assert before.order_found == "true"
    assert (after.status, after.reason) == ("invalid_input", "not_verified")


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", "empty"),
        ("Timeout", "timeout"),
        ("*", "cancelled"),
        ("123456789", "too_short"),
        ("12345678970", "too_long"),
        ("1234567890", "bad_check_digit"),
        ("1' OR '1'='1", "not_digits"),
        ("12345678#7", "not_digits"),
    ],
)
def test_unusable_order_numbers_are_a_typed_status(
    verified: Seeded, number: str, reason: str
) -> None:
    answer = verified.invoke(handler, event_with({"orderNumber": number}))
    assert (answer["status"], answer["reason"], answer["orderFound"]) == (
        "invalid_input",
        reason,
        "false",
    )


def test_a_missing_order_number_is_a_typed_status(seeded: Seeded) -> None:
    answer = seeded.invoke(handler, event_with({}))
    assert (answer["status"], answer["reason"]) == ("invalid_input", "missing_parameter")


def test_seeded_delivery_dates_follow_the_seeding_day() -> None:
    shipped = next(o for o in TARO_ORDERS if o.status is OrderStatus.SHIPPED)
    assert shipped.delivery_date == datetime.date.today() + datetime.timedelta(days=2)


def test_a_verification_lasts_its_ten_minutes_on_the_containers_clock(seeded: Seeded) -> None:
    # verify_pin and order_status read the time from their container's clock, so a container
    # whose clock says 10 minutes later no longer trusts the verification made before.
    keyed_at = datetime.datetime(2030, 1, 7, 9, 0, tzinfo=datetime.UTC)
    pin_event = event_with({"pin": TARO.pin})
    at_keying = environment_container(clock=fixed_clock(keyed_at))
    assert invoke(verify_pin.handler, pin_event, at_keying)["verified"] == "true"
    order_event = event_with({"orderNumber": of_status(OrderStatus.SHIPPED)})
    ttl = datetime.timedelta(seconds=verify_pin.VERIFICATION_TTL_S)
    just_inside = environment_container(clock=fixed_clock(keyed_at + ttl - ONE_SECOND))
    assert invoke(handler, order_event, just_inside)["status"] == "ok"
    expired = environment_container(clock=fixed_clock(keyed_at + ttl))
    assert invoke(handler, order_event, expired)["reason"] == "not_verified"
