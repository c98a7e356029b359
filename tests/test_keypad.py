"""Keypad parsers: every input gives Accepted or Rejected with a reason, never an exception."""
# ruff: noqa: RUF001  (full-width characters are the point of several cases)

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from functions import keypad
from functions.errors import InvalidInput
from functions.keypad import Accepted, Keyed, KeypadReason, Rejected

R = KeypadReason


# --- normalization and the common rejections, through digits() -------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12345", Accepted("12345")),
        ("0", Accepted("0")),
        ("  12345  ", Accepted("12345")),
        ("12345#", Accepted("12345")),  # termination key a hand-passed value may keep
        ("12345 #", Accepted("12345")),
        ("１２３４５", Accepted("12345")),  # full-width digits (NFKC)
        ("１２３４５＃", Accepted("12345")),  # full-width terminator too
        ("Timeout", Rejected(R.TIMEOUT)),  # Connect's sentinel: the caller keyed nothing
        (" timeout ", Rejected(R.TIMEOUT)),
        ("", Rejected(R.EMPTY)),
        ("   ", Rejected(R.EMPTY)),
        ("#", Rejected(R.EMPTY)),
        ("*", Rejected(R.CANCELLED)),
        ("12*", Rejected(R.CANCELLED)),
        ("*#", Rejected(R.CANCELLED)),
        ("12##", Rejected(R.NOT_DIGITS)),  # only one terminator is dropped
        ("12#34", Rejected(R.NOT_DIGITS)),
        ("12 34", Rejected(R.NOT_DIGITS)),
        ("abc", Rejected(R.NOT_DIGITS)),
        ("-5", Rejected(R.NOT_DIGITS)),
        ("1.5", Rejected(R.NOT_DIGITS)),
        ("٣٤٥", Rejected(R.NOT_DIGITS)),  # Arabic-Indic digits: str.isdigit() would say yes
        ("1' OR '1'='1", Rejected(R.NOT_DIGITS)),
        ("<speak>1</speak>", Rejected(R.NOT_DIGITS)),
        ("1" * 20, Accepted("1" * 20)),
        ("1" * 21, Rejected(R.TOO_LONG)),
        ("1" * 10_000, Rejected(R.TOO_LONG)),
        ("x" * 10_000, Rejected(R.TOO_LONG)),
    ],
)
def test_digits_defaults(raw: str, expected: Keyed[str]) -> None:
    assert keypad.digits(raw) == expected


def test_superscript_two_folds_to_a_digit() -> None:
    # NFKC folds compatibility forms such as "²" to "2" as it folds full-width digits.
    assert keypad.digits("²") == Accepted("2")


@pytest.mark.parametrize(
    ("raw", "min_length", "max_length", "expected"),
    [
        ("1234", 4, 4, Accepted("1234")),
        ("123", 4, 4, Rejected(R.TOO_SHORT)),
        ("12345", 4, 4, Rejected(R.TOO_LONG)),
        ("123", 4, 8, Rejected(R.TOO_SHORT)),
        ("12345678", 4, 8, Accepted("12345678")),
        ("123456789", 4, 8, Rejected(R.TOO_LONG)),
        ("Timeout", 4, 8, Rejected(R.TIMEOUT)),  # timeout wins over length
        ("12*", 4, 8, Rejected(R.CANCELLED)),
    ],
)
def test_digits_length_bounds(
    raw: str, min_length: int, max_length: int, expected: Keyed[str]
) -> None:
    assert keypad.digits(raw, min_length=min_length, max_length=max_length) == expected


@pytest.mark.parametrize(("min_length", "max_length"), [(0, 4), (5, 4), (-1, 3)])
def test_digits_refuses_impossible_bounds(min_length: int, max_length: int) -> None:
    with pytest.raises(ValueError, match="min_length"):
        keypad.digits("1", min_length=min_length, max_length=max_length)


# --- value_or_raise ----------------------------------------------------------------------


def test_accepted_value_or_raise_returns_the_value() -> None:
    assert keypad.digits("42").value_or_raise() == "42"


@pytest.mark.parametrize("reason", list(KeypadReason))
def test_rejected_value_or_raise_raises_invalid_input_with_the_reason(
    reason: KeypadReason,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        Rejected(reason).value_or_raise()
    assert caught.value.reason == reason.value
    assert reason.value in str(caught.value)


def test_reasons_are_the_documented_words() -> None:
    assert {r.value for r in KeypadReason} == {
        "timeout", "empty", "cancelled", "not_digits", "too_short", "too_long",
        "bad_check_digit", "not_a_choice", "invalid_phone", "invalid_date",
    }  # fmt: skip


def test_results_are_frozen() -> None:
    accepted = keypad.digits("1")
    with pytest.raises(AttributeError):
        accepted.value = "2"  # type: ignore[misc]


# --- Luhn --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "check"),
    [("7992739871", "3"), ("0", "0"), ("1", "8"), ("4539148803436467"[:-1], "7")],
)
def test_luhn_check_digit(payload: str, check: str) -> None:
    assert keypad.luhn_check_digit(payload) == check


@pytest.mark.parametrize("payload", ["", "12a", "1 2", "٣", "-1"])
def test_luhn_check_digit_refuses_non_digits(payload: str) -> None:
    with pytest.raises(ValueError, match="ASCII digits"):
        keypad.luhn_check_digit(payload)


@pytest.mark.parametrize(
    ("s", "valid"),
    [
        ("79927398713", True),
        ("79927398710", False),
        ("79927398714", False),
        ("4539148803436467", True),  # a Visa test number
        ("4539148803436468", False),
        ("00", True),
        ("18", True),
        ("", False),
        ("7992739871x", False),
        ("７９９２７３９８７１３", False),  # is_luhn_valid takes normalized input only
    ],
)
def test_is_luhn_valid(s: str, valid: bool) -> None:
    assert keypad.is_luhn_valid(s) is valid


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        ("79927398713", {}, Accepted("79927398713")),
        ("79927398713#", {}, Accepted("79927398713")),
        ("７９９２７３９８７１３", {}, Accepted("79927398713")),
        ("79927398710", {}, Rejected(R.BAD_CHECK_DIGIT)),
        ("79927398713", {"length": 11}, Accepted("79927398713")),
        ("79927398713", {"length": 12}, Rejected(R.TOO_SHORT)),
        ("79927398713", {"length": 10}, Rejected(R.TOO_LONG)),
        ("79927398713", {"min_length": 12, "max_length": 16}, Rejected(R.TOO_SHORT)),
        ("0", {}, Rejected(R.TOO_SHORT)),  # default min_length=2
        ("4" * 20, {}, Rejected(R.TOO_LONG)),  # default max_length=19
        ("Timeout", {}, Rejected(R.TIMEOUT)),
        ("7992*", {}, Rejected(R.CANCELLED)),
        ("", {}, Rejected(R.EMPTY)),
        ("7992-7398-713", {}, Rejected(R.NOT_DIGITS)),
    ],
)
def test_luhn_id(raw: str, kwargs: dict[str, int], expected: Keyed[str]) -> None:
    assert keypad.luhn_id(raw, **kwargs) == expected


payloads = st.text(alphabet="0123456789", min_size=1, max_size=30)


@given(payloads)
def test_appending_the_check_digit_makes_any_payload_valid(payload: str) -> None:
    assert keypad.is_luhn_valid(payload + keypad.luhn_check_digit(payload))


@given(payloads, st.data())
def test_changing_any_one_digit_makes_it_invalid(payload: str, data: st.DataObject) -> None:
    number = payload + keypad.luhn_check_digit(payload)
    position = data.draw(st.integers(0, len(number) - 1), label="position")
    replacement = data.draw(
        st.sampled_from([d for d in "0123456789" if d != number[position]]), label="digit"
    )
    changed = number[:position] + replacement + number[position + 1 :]
    assert not keypad.is_luhn_valid(changed)


# --- menu choices --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "allowed", "expected"),
    [
        ("1", "123", Accepted("1")),
        ("3", ["1", "2", "3"], Accepted("3")),
        ("１", "123", Accepted("1")),
        ("1#", "123", Accepted("1")),
        (" 2 ", {"1", "2"}, Accepted("2")),
        ("4", "123", Rejected(R.NOT_A_CHOICE)),
        ("12", "123", Rejected(R.NOT_A_CHOICE)),
        ("a", "123", Rejected(R.NOT_A_CHOICE)),
        ("*", "123", Rejected(R.CANCELLED)),
        ("*", "123*", Accepted("*")),
        ("#", "123", Rejected(R.EMPTY)),
        ("#", "12#", Accepted("#")),
        ("0", "0#", Accepted("0")),
        ("0#", "0#", Accepted("0")),
        ("Timeout", "123", Rejected(R.TIMEOUT)),
        ("", "123", Rejected(R.EMPTY)),
        ("9" * 1000, "9", Rejected(R.TOO_LONG)),
    ],
)
def test_menu_choice(raw: str, allowed: str, expected: Keyed[str]) -> None:
    assert keypad.menu_choice(raw, allowed) == expected


@pytest.mark.parametrize("allowed", ["", ["12"], ["a"], ["1", ""]])
def test_menu_choice_refuses_a_menu_no_keypad_can_answer(allowed: list[str] | str) -> None:
    with pytest.raises(ValueError, match="single keys"):
        keypad.menu_choice("1", allowed)


# --- keyed phone numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "caller_country", "expected"),
    [
        ("0312345678", "JP", Accepted("+81312345678")),
        ("09012345678#", "JP", Accepted("+819012345678")),
        ("０９０１２３４５６７８", "JP", Accepted("+819012345678")),
        ("4155550123", "US", Accepted("+14155550123")),  # a US caller keys a US number
        ("0312345678", "", Accepted("+81312345678")),  # unknown country: default region
        ("01014155550123", "JP", Accepted("+14155550123")),  # 010: Japan's IDD prefix
        ("4155550123", "JP", Rejected(R.INVALID_PHONE)),
        ("12345", "JP", Rejected(R.INVALID_PHONE)),
        ("0" * 30, "JP", Rejected(R.INVALID_PHONE)),
        ("03*", "JP", Rejected(R.CANCELLED)),
        ("Timeout", "JP", Rejected(R.TIMEOUT)),
        ("", "JP", Rejected(R.EMPTY)),
        ("+81312345678", "JP", Rejected(R.NOT_DIGITS)),  # no keypad has a + key
    ],
)
def test_keyed_phone(raw: str, caller_country: str, expected: Keyed[str]) -> None:
    assert keypad.keyed_phone(raw, caller_country) == expected


def test_keyed_phone_default_region_applies_only_without_caller_country() -> None:
    assert keypad.keyed_phone("4155550123", "", default_region="US") == Accepted("+14155550123")
    assert keypad.keyed_phone("4155550123", "JP", default_region="US") == Rejected(R.INVALID_PHONE)


# --- keyed dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20240229", Accepted(datetime.date(2024, 2, 29))),  # leap year
        ("20260229", Rejected(R.INVALID_DATE)),
        ("20000229", Accepted(datetime.date(2000, 2, 29))),  # divisible by 400
        ("19000229", Rejected(R.INVALID_DATE)),  # divisible by 100 only
        ("20261203#", Accepted(datetime.date(2026, 12, 3))),
        ("２０２６１２０３", Accepted(datetime.date(2026, 12, 3))),
        ("20261301", Rejected(R.INVALID_DATE)),
        ("20261232", Rejected(R.INVALID_DATE)),
        ("20260431", Rejected(R.INVALID_DATE)),
        ("20261200", Rejected(R.INVALID_DATE)),
        ("00000101", Rejected(R.INVALID_DATE)),
        ("2026123", Rejected(R.INVALID_DATE)),
        ("202612031", Rejected(R.INVALID_DATE)),
        ("2026-12-03", Rejected(R.NOT_DIGITS)),
        ("Timeout", Rejected(R.TIMEOUT)),
        ("2026*", Rejected(R.CANCELLED)),
        ("", Rejected(R.EMPTY)),
    ],
)
def test_keyed_date(raw: str, expected: Keyed[datetime.date]) -> None:
    assert keypad.keyed_date(raw) == expected


@given(st.dates())
def test_every_calendar_date_round_trips(day: datetime.date) -> None:
    assert keypad.keyed_date(f"{day.year:04d}{day.month:02d}{day.day:02d}") == Accepted(day)


# --- never raises ------------------------------------------------------------------------------

PARSERS: dict[str, Callable[[str], Keyed[object]]] = {
    "digits": keypad.digits,
    "luhn_id": keypad.luhn_id,
    "luhn_id_fixed": lambda raw: keypad.luhn_id(raw, length=16),
    "menu_choice": lambda raw: keypad.menu_choice(raw, "0123456789*#"),
    "menu_choice_small": lambda raw: keypad.menu_choice(raw, "12"),
    "keyed_phone": lambda raw: keypad.keyed_phone(raw, "JP"),
    "keyed_phone_us": lambda raw: keypad.keyed_phone(raw, "US"),
    "keyed_date": keypad.keyed_date,
}

# Plain text plus strings built from keys, digits of other scripts and markup, which plain
# st.text() rarely reaches.
keypadish = st.one_of(
    st.text(),
    st.text(alphabet="0123456789*# ０１２３＃＊٣\n"),
    st.sampled_from(["Timeout", "1' OR '1'='1", "<speak>", "\x00", "9" * 5000, "#" * 300]),
)


@pytest.mark.parametrize("name", sorted(PARSERS))
@given(raw=keypadish)
def test_parsers_never_raise(name: str, raw: str) -> None:
    result = PARSERS[name](raw)
    assert isinstance(result, Accepted | Rejected)
    if isinstance(result, Rejected):
        assert isinstance(result.reason, KeypadReason)
        with pytest.raises(InvalidInput):
            result.value_or_raise()
    else:
        assert result.value_or_raise() == result.value


@given(st.text())
def test_accepted_digits_are_ascii_digits_within_bounds(raw: str) -> None:
    result = keypad.digits(raw, min_length=2, max_length=6)
    if isinstance(result, Accepted):
        assert result.value.isascii()
        assert result.value.isdigit()
        assert 2 <= len(result.value) <= 6
