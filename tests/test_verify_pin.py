"""verify_pin through its Lambda handler, on SQLite and on DynamoDB (moto's server)."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from functions.pins import needs_rehash, verify_pin_hash
from functions.stores.pins import PinRecord
from functions.verify_pin import handler
from ivr.seeding.orders import sample_credentials
from tests.pin_order_env import (
    HANAKO,
    SEEDED_BACKENDS,
    TARO,
    Seeded,
    event_with,
    seeded_environment,
)

UNKNOWN_NUMBER = "12345674"  # Luhn-valid, nobody's
CONTACT = "5ca32fbd-8f92-46af-92a5-6b0f970f0efe"  # known_caller.json's InitialContactId


@pytest.fixture(params=SEEDED_BACKENDS)
def seeded(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Seeded]:
    yield from seeded_environment(request, monkeypatch, tmp_path)


def test_the_right_pin_of_the_calling_customer_verifies(seeded: Seeded) -> None:
    answer = seeded.invoke(handler, event_with({"pin": TARO.pin}))
    assert answer == {
        "status": "ok",
        "reason": "",
        "verified": "true",
        "attemptsLeft": "3",
        "locked": "false",
        "customerId": TARO.customer_id,
    }
    now = int(time.time())
    assert seeded.container.stores.verifications.verified_customer(CONTACT, now) == TARO.customer_id


def test_a_keyed_customer_number_beats_the_caller_id(seeded: Seeded) -> None:
    answer = seeded.invoke(
        handler, event_with({"pin": HANAKO.pin, "customerNumber": HANAKO.customer_number})
    )
    assert (answer["verified"], answer["customerId"]) == ("true", HANAKO.customer_id)


def test_the_customer_id_from_identify_caller_is_used(seeded: Seeded) -> None:
    answer = seeded.invoke(
        handler, event_with({"pin": HANAKO.pin, "customerId": HANAKO.customer_id})
    )
    assert (answer["verified"], answer["customerId"]) == ("true", HANAKO.customer_id)


def test_three_wrong_pins_lock_even_the_right_one_out(seeded: Seeded) -> None:
    answers = [seeded.invoke(handler, event_with({"pin": "9999"})) for _ in range(3)]
    assert [(a["attemptsLeft"], a["locked"]) for a in answers] == [
        ("2", "false"),
        ("1", "false"),
        ("0", "true"),
    ]
    assert all(a["verified"] == "false" and a["customerId"] == "" for a in answers)
    locked = seeded.invoke(handler, event_with({"pin": TARO.pin}))
    assert (locked["verified"], locked["attemptsLeft"], locked["locked"]) == ("false", "0", "true")
    # Not verified, so nothing was recorded for the contact.
    assert (
        seeded.container.stores.verifications.verified_customer(CONTACT, int(time.time())) is None
    )


def test_a_success_resets_the_count(seeded: Seeded) -> None:
    seeded.invoke(handler, event_with({"pin": "9999"}))
    seeded.invoke(handler, event_with({"pin": "9999"}))
    assert seeded.invoke(handler, event_with({"pin": TARO.pin}))["verified"] == "true"
    assert seeded.invoke(handler, event_with({"pin": "9999"}))["attemptsLeft"] == "2"


@pytest.mark.parametrize(
    "claim",
    [
        {"customerNumber": UNKNOWN_NUMBER},
        {"customerId": "cust-9999"},
        {},  # the calling number belongs to no customer (see below)
    ],
    ids=["unknown-number", "unknown-id", "unknown-caller"],
)
def test_an_unknown_customer_answers_exactly_like_a_wrong_pin(
    seeded: Seeded, claim: dict[str, str]
) -> None:
    known = [seeded.invoke(handler, event_with({"pin": "9999"})) for _ in range(4)]
    stranger = {"CustomerEndpoint": {"Address": "+81362223333", "Type": "TELEPHONE_NUMBER"}}
    unknown = [
        seeded.invoke(handler, event_with({"pin": TARO.pin, **claim}, **stranger)) for _ in range(4)
    ]
    assert unknown == known


def test_a_customer_without_a_pin_answers_like_a_wrong_pin(seeded: Seeded) -> None:
    # An id that identify_caller could answer but that has no credential.
    answer = seeded.invoke(handler, event_with({"pin": "1234", "customerId": "cust-no-pin"}))
    assert (answer["verified"], answer["attemptsLeft"]) == ("false", "2")


def test_a_withheld_caller_without_a_number_is_asked_for_one(seeded: Seeded) -> None:
    withheld = {"CustomerEndpoint": {"Address": "anonymous", "Type": "TELEPHONE_NUMBER"}}
    answer = seeded.invoke(handler, event_with({"pin": TARO.pin}, **withheld))
    assert (answer["status"], answer["reason"]) == ("invalid_input", "no_customer")


@pytest.mark.parametrize(
    ("pin", "reason"),
    [
        ("", "empty"),
        ("Timeout", "timeout"),
        ("*", "cancelled"),
        ("#", "empty"),
        ("123", "too_short"),
        ("123456789", "too_long"),
        ("1' OR '1'='1", "not_digits"),
        ("12a4", "not_digits"),
        ("<speak>1234</speak>", "not_digits"),
        ("9" * 10_000, "too_long"),
    ],
)
def test_unusable_pin_keys_are_a_typed_status_and_cost_no_attempt(
    seeded: Seeded, pin: str, reason: str
) -> None:
    answer = seeded.invoke(handler, event_with({"pin": pin}))
    assert (answer["status"], answer["reason"], answer["verified"]) == (
        "invalid_input",
        reason,
        "false",
    )
    assert seeded.invoke(handler, event_with({"pin": "9999"}))["attemptsLeft"] == "2"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("20260018", "bad_check_digit"),
        ("2026001", "too_short"),
        ("202600190", "too_long"),
        ("1' OR '1'='1", "not_digits"),
        ("Timeout", "timeout"),
        ("*", "cancelled"),
    ],
)
def test_unusable_customer_numbers_are_a_typed_status(
    seeded: Seeded, number: str, reason: str
) -> None:
    answer = seeded.invoke(handler, event_with({"pin": TARO.pin, "customerNumber": number}))
    assert (answer["status"], answer["reason"]) == ("invalid_input", reason)


def test_full_width_digits_are_read_as_keys(seeded: Seeded) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in TARO.pin)
    assert seeded.invoke(handler, event_with({"pin": full_width}))["verified"] == "true"


def test_an_overlong_customer_id_is_refused(seeded: Seeded) -> None:
    answer = seeded.invoke(handler, event_with({"pin": TARO.pin, "customerId": "x" * 65}))
    assert (answer["status"], answer["reason"]) == ("invalid_input", "invalid_parameter")


def test_a_missing_pin_parameter_is_a_typed_status(seeded: Seeded) -> None:
    answer = seeded.invoke(handler, event_with({"customerId": TARO.customer_id}))
    assert (answer["status"], answer["reason"]) == ("invalid_input", "missing_parameter")


def test_a_legacy_hash_is_upgraded_on_success(seeded: Seeded) -> None:
    salt = b"legacy-salt-0001"
    derived = hashlib.pbkdf2_hmac("sha256", TARO.pin.encode(), salt, 1000)
    legacy = (
        f"pbkdf2_sha256$i=1000${base64.b64encode(salt).decode()}"
        f"${base64.b64encode(derived).decode()}"
    )
    seeded.container.stores.pins.put(PinRecord(TARO.customer_id, TARO.customer_number, legacy))
    assert seeded.invoke(handler, event_with({"pin": TARO.pin}))["verified"] == "true"
    stored = seeded.container.stores.pins.get(TARO.customer_id)
    assert stored is not None and stored.pin_hash != legacy
    assert not needs_rehash(stored.pin_hash) and verify_pin_hash(TARO.pin, stored.pin_hash)


def test_pins_never_reach_the_logs(seeded: Seeded, capsys: pytest.CaptureFixture[str]) -> None:
    # Long PINs, so that no timestamp or duration in the logs can contain one by chance.
    emily = sample_credentials()[4]
    wrong, right = "97531864", emily.pin
    assert len(right) >= 6
    number = {"customerNumber": emily.customer_number}
    seeded.invoke(handler, event_with({"pin": wrong, **number}))
    seeded.invoke(handler, event_with({"pin": right, **number}))
    seeded.invoke(handler, event_with({"pin": "1' OR '1'='1", **number}))
    stored = seeded.container.stores.pins.get(emily.customer_id)
    logs = capsys.readouterr()
    assert "verification recorded" in logs.err  # the logs were captured
    for secret in (wrong, right, stored.pin_hash if stored else "?", "1' OR '1'='1"):
        assert secret not in logs.err and secret not in logs.out
