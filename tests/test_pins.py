"""PIN hashing and the lockout policy: pure logic on an injected clock."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from functions.config import PIN_HASH_COST
from functions.pins import (
    PRODUCTION_COST,
    TEST_COST,
    AttemptWindow,
    LockoutPolicy,
    ScryptCost,
    hash_pin,
    needs_rehash,
    scrypt_cost,
    verify_pin_hash,
)

TEMPLATE = Path(__file__).resolve().parents[1] / "template.yaml"


def pbkdf2_hash(pin: str, salt: bytes, iterations: int = 1000) -> str:
    derived = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    encode = base64.b64encode
    return f"pbkdf2_sha256$i={iterations}${encode(salt).decode()}${encode(derived).decode()}"


def test_a_hash_verifies_its_pin_and_no_other() -> None:
    stored = hash_pin("1234")
    assert verify_pin_hash("1234", stored)
    assert not verify_pin_hash("1235", stored)
    assert not verify_pin_hash("12345", stored)
    assert not verify_pin_hash("", stored)


def test_the_hash_holds_neither_the_pin_nor_a_reused_salt() -> None:
    first, second = hash_pin("1234"), hash_pin("1234")
    assert first != second  # a new random salt each time
    assert "1234" not in first
    assert first.startswith("scrypt$n=16,r=1,p=1$")  # tests/conftest.py: TEST_COST


# --- the cost written: production unless a test run says otherwise ---------------------------


def test_the_production_cost_is_the_default_and_is_what_ships(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The one test of the production cost: every other test hashes at TEST_COST.
    monkeypatch.delenv(PIN_HASH_COST)
    assert scrypt_cost() == PRODUCTION_COST == ScryptCost(n=2**14, r=8, p=1)
    stored = hash_pin("1234")
    assert stored.startswith("scrypt$n=16384,r=8,p=1$")
    assert verify_pin_hash("1234", stored) and not verify_pin_hash("1235", stored)
    assert not needs_rehash(stored)
    assert needs_rehash(hash_pin("1234", cost=TEST_COST)), "a test hash is upgraded in production"
    # A deployed stack never sets the variable (tests/artifacts checks what the code reads).
    assert PIN_HASH_COST not in TEMPLATE.read_text()


def test_hashes_of_either_cost_verify_under_the_test_cost() -> None:
    assert scrypt_cost() == TEST_COST
    production = hash_pin("2580", cost=PRODUCTION_COST)
    assert verify_pin_hash("2580", production)
    assert not needs_rehash(production), "a stronger hash is never rewritten weaker"


def test_an_unknown_cost_name_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PIN_HASH_COST, "cheap")
    with pytest.raises(ValueError, match="production, test"):
        hash_pin("1234")


def test_the_same_pin_under_another_salt_does_not_verify() -> None:
    stored = hash_pin("1234", salt=b"a" * 16)
    scheme, params, _salt, digest = stored.split("$")
    other_salt = base64.b64encode(b"b" * 16).decode()
    assert not verify_pin_hash("1234", f"{scheme}${params}${other_salt}${digest}")


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "1234",
        "scrypt$n=16384,r=8,p=1$!!!$???",
        "md5$i=1$YWFhYQ==$YWFhYWFhYWFhYWFhYWFhYQ==",
        "scrypt$n=3,r=8,p=1$YWFhYQ==$YWFhYWFhYWFhYWFhYWFhYQ==",  # n not a power of two
        "scrypt$n=1048576,r=8,p=1$YWFhYQ==$YWFhYWFhYWFhYWFhYWFhYQ==",  # n beyond the bound
        "pbkdf2_sha256$i=99999999$YWFhYQ==$YWFhYWFhYWFhYWFhYWFhYQ==",
        "scrypt$n=16384$YWFhYQ==$YWFhYWFhYWFhYWFhYWFhYQ==",
    ],
)
def test_a_malformed_or_hostile_hash_never_verifies_and_never_raises(stored: str) -> None:
    assert not verify_pin_hash("1234", stored)
    assert needs_rehash(stored)


def test_a_legacy_pbkdf2_hash_verifies_and_asks_to_be_upgraded() -> None:
    legacy = pbkdf2_hash("2580", b"s" * 16)
    assert verify_pin_hash("2580", legacy)
    assert not verify_pin_hash("2581", legacy)
    assert needs_rehash(legacy)
    upgraded = hash_pin("2580")
    assert not needs_rehash(upgraded)
    assert verify_pin_hash("2580", upgraded)


def test_weaker_scrypt_parameters_ask_to_be_upgraded() -> None:
    salt = b"x" * 16
    derived = hashlib.scrypt(b"1234", salt=salt, n=2**3, r=1, p=1, dklen=32)
    encoded_salt, encoded = base64.b64encode(salt).decode(), base64.b64encode(derived).decode()
    weak = f"scrypt$n=8,r=1,p=1${encoded_salt}${encoded}"  # below TEST_COST's n
    assert verify_pin_hash("1234", weak)
    assert needs_rehash(weak)


# --- lockout policy ------------------------------------------------------------------------

POLICY = LockoutPolicy(max_failures=3, window_s=900)
T0 = 1_800_000_000


def test_the_first_claim_opens_a_window() -> None:
    assert POLICY.claim(None, T0) == AttemptWindow(failures=1, window_start=T0)


def test_claims_within_the_window_count_up_to_the_limit_then_lock() -> None:
    window = POLICY.claim(None, T0)
    window = POLICY.claim(window, T0 + 10)
    assert window == AttemptWindow(failures=2, window_start=T0)
    window = POLICY.claim(window, T0 + 899)
    assert window == AttemptWindow(failures=3, window_start=T0)
    assert POLICY.is_locked(window, T0 + 899)
    assert POLICY.attempts_left(window, T0 + 899) == 0
    assert POLICY.claim(window, T0 + 899) is None


def test_the_lock_ends_exactly_when_the_window_does() -> None:
    locked = AttemptWindow(failures=3, window_start=T0)
    assert POLICY.claim(locked, T0 + 899) is None
    assert POLICY.is_locked(locked, T0 + 899)
    assert not POLICY.is_locked(locked, T0 + 900)
    assert POLICY.claim(locked, T0 + 900) == AttemptWindow(failures=1, window_start=T0 + 900)
    assert POLICY.attempts_left(locked, T0 + 900) == 3


def test_an_expired_window_with_failures_left_starts_over() -> None:
    window = AttemptWindow(failures=2, window_start=T0)
    assert POLICY.claim(window, T0 + 900) == AttemptWindow(failures=1, window_start=T0 + 900)


def test_a_reset_counter_opens_a_new_window_at_the_next_claim() -> None:
    reset = AttemptWindow(failures=0, window_start=0)
    assert POLICY.claim(reset, T0) == AttemptWindow(failures=1, window_start=T0)


def test_attempts_left_counts_down() -> None:
    assert [POLICY.attempts_left(AttemptWindow(n, T0), T0 + 1) for n in range(5)] == [
        3,
        2,
        1,
        0,
        0,
    ]


def test_expiry_helpers_agree_with_the_window() -> None:
    window = AttemptWindow(failures=1, window_start=T0)
    assert POLICY.expires_at(window) == T0 + 900
    # A window is expired at `now` exactly when its start is <= expired_before(now).
    for now in (T0 + 899, T0 + 900, T0 + 901):
        assert (window.window_start <= POLICY.expired_before(now)) == (
            not POLICY.is_open(window, now)
        )
