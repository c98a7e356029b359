"""Keypad (DTMF) input a flow passes to a function, parsed into typed results.

A flow's Store customer input block leaves the keys in `$.StoredCustomerInput` and passes
them as a parameter. Each parser here answers `Accepted(value)` or `Rejected(reason)`; it
never raises for any input, so odd strings ("1' OR '1'='1", "<speak>", a megabyte of text)
become a reason the flow can branch on. A handler that has nothing better to do than give
up calls `.value_or_raise()`: a `Rejected` raises `InvalidInput(reason)`, which the runtime
answers with `status=invalid_input` and that reason.

Every parser first normalizes: whitespace stripped, NFKC (full-width digits to ASCII), and
one trailing termination key `#` dropped (Connect strips it, a hand-passed value may not).
Connect's sentinel `Timeout` is recognised before anything else: when the caller keys
nothing, Store customer input still takes its Success branch and stores the word `Timeout`
(https://docs.aws.amazon.com/connect/latest/adminguide/store-customer-input.html).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import Generic, NoReturn, TypeAlias, TypeVar

from functions.caller_id import CallerIdStatus, identify_number
from functions.errors import InvalidInput
from models.keypad import KeypadReason

__all__ = [
    "Accepted",
    "Keyed",
    "KeypadReason",
    "Rejected",
    "digits",
    "is_luhn_valid",
    "keyed_date",
    "keyed_phone",
    "luhn_check_digit",
    "luhn_id",
    "menu_choice",
]

T = TypeVar("T")


# What the caller should be asked next, for the InvalidInput message (logs, not prompts).
_ADVICE = {
    KeypadReason.TIMEOUT: "the caller keyed nothing before the time-out; replay the prompt",
    KeypadReason.EMPTY: "no keys were passed; check the flow passes $.StoredCustomerInput",
    KeypadReason.CANCELLED: "the caller pressed * to cancel; go back to the previous menu",
    KeypadReason.NOT_DIGITS: "the input holds characters no keypad sends; ask again",
    KeypadReason.TOO_SHORT: "fewer digits than required; ask again",
    KeypadReason.TOO_LONG: "more digits than allowed; ask again",
    KeypadReason.BAD_CHECK_DIGIT: "the check digit does not match (a mistyped digit); ask again",
    KeypadReason.NOT_A_CHOICE: "the key is not one of the menu's choices; replay the menu",
    KeypadReason.INVALID_PHONE: "the digits are not a valid phone number; ask again",
    KeypadReason.INVALID_DATE: "not a calendar date keyed as YYYYMMDD; ask again",
}


@dataclass(frozen=True)
class Accepted(Generic[T]):
    """Usable input, normalized."""

    value: T

    def value_or_raise(self) -> T:
        return self.value


@dataclass(frozen=True)
class Rejected:
    """Unusable input and why."""

    reason: KeypadReason

    def value_or_raise(self) -> NoReturn:
        raise InvalidInput(self.reason.value, f"keypad input {self.reason}: {_ADVICE[self.reason]}")


Keyed: TypeAlias = Accepted[T] | Rejected

TIMEOUT_SENTINEL = "Timeout"
TERMINATOR = "#"
CANCEL = "*"
# No keypad entry is this long; longer input is refused before NFKC spends time on it.
_MAX_RAW = 256
_ASCII_DIGITS = re.compile(r"[0-9]+")
_KEYS = frozenset("0123456789*#")


def _clean(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip()


def _keyed_digits(raw: str) -> Keyed[str]:
    """The common first steps: timeout, empty, cancelled, not digits, in that order."""
    if len(raw) > _MAX_RAW:
        return Rejected(KeypadReason.TOO_LONG)
    text = _clean(raw)
    if text.casefold() == TIMEOUT_SENTINEL.casefold():
        return Rejected(KeypadReason.TIMEOUT)
    if text.endswith(TERMINATOR):
        text = text[:-1].rstrip()
    if not text:
        return Rejected(KeypadReason.EMPTY)
    if CANCEL in text:
        return Rejected(KeypadReason.CANCELLED)
    # [0-9], not \d or str.isdigit: those accept Arabic-Indic and other digits no keypad sends.
    if not _ASCII_DIGITS.fullmatch(text):
        return Rejected(KeypadReason.NOT_DIGITS)
    return Accepted(text)


def _check_bounds(min_length: int, max_length: int) -> None:
    if not 1 <= min_length <= max_length:
        raise ValueError(
            f"need 1 <= min_length <= max_length, got min_length={min_length}, "
            f"max_length={max_length}"
        )


def digits(raw: str, *, min_length: int = 1, max_length: int = 20) -> Keyed[str]:
    """A run of digits between `min_length` and `max_length` long."""
    _check_bounds(min_length, max_length)
    keyed = _keyed_digits(raw)
    if isinstance(keyed, Rejected):
        return keyed
    if len(keyed.value) < min_length:
        return Rejected(KeypadReason.TOO_SHORT)
    if len(keyed.value) > max_length:
        return Rejected(KeypadReason.TOO_LONG)
    return keyed


def luhn_check_digit(payload: str) -> str:
    """The Luhn (mod 10) digit to append to `payload`, one or more ASCII digits."""
    if not _ASCII_DIGITS.fullmatch(payload):
        raise ValueError(f"a Luhn payload is ASCII digits only, got {len(payload)} characters")
    # Appending the check digit shifts the payload one place left, so its rightmost digit is
    # the one doubled.
    return str((10 - _luhn_sum(payload, double_rightmost=True) % 10) % 10)


def is_luhn_valid(s: str) -> bool:
    """True if `s` is ASCII digits whose last digit is the Luhn check digit of the rest."""
    if not _ASCII_DIGITS.fullmatch(s):
        return False
    return _luhn_sum(s, double_rightmost=False) % 10 == 0


def _luhn_sum(number: str, *, double_rightmost: bool) -> int:
    total = 0
    for position, char in enumerate(reversed(number)):
        value = ord(char) - 48
        if (position % 2 == 0) == double_rightmost:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def luhn_id(
    raw: str, *, length: int | None = None, min_length: int = 2, max_length: int = 19
) -> Keyed[str]:
    """A numeric id (card, membership number) whose last digit is its Luhn check digit.

    `length`, when given, fixes the length and overrides `min_length`/`max_length`.
    """
    if length is not None:
        min_length = max_length = length
    _check_bounds(min_length, max_length)
    keyed = digits(raw, min_length=min_length, max_length=max_length)
    if isinstance(keyed, Rejected):
        return keyed
    if not is_luhn_valid(keyed.value):
        return Rejected(KeypadReason.BAD_CHECK_DIGIT)
    return keyed


def menu_choice(raw: str, allowed: Collection[str]) -> Keyed[str]:
    """One key of `allowed`; `*` and `#` count as choices only when listed there."""
    # A set, not the Collection given: `"12" in "123"` is True for a str of keys.
    keys = frozenset(allowed)
    if not keys or not keys <= _KEYS:
        raise ValueError(f"menu keys must be single keys of 0-9 * #, got {sorted(keys)!r}")
    if len(raw) > _MAX_RAW:
        return Rejected(KeypadReason.TOO_LONG)
    text = _clean(raw)
    if text.casefold() == TIMEOUT_SENTINEL.casefold():
        return Rejected(KeypadReason.TIMEOUT)
    if text in keys:
        return Accepted(text)
    if text.endswith(TERMINATOR):
        text = text[:-1].rstrip()
    if not text:
        return Rejected(KeypadReason.EMPTY)
    if text in keys:
        return Accepted(text)
    if CANCEL in text and CANCEL not in keys:
        return Rejected(KeypadReason.CANCELLED)
    return Rejected(KeypadReason.NOT_A_CHOICE)


def keyed_phone(raw: str, caller_country: str, default_region: str = "JP") -> Keyed[str]:
    """A phone number keyed by the caller, in E.164.

    National forms are read as numbers of the caller's own country (`caller_country`, from
    `CallerId.country`), or of `default_region` when the caller's country is unknown.
    """
    keyed = _keyed_digits(raw)
    if isinstance(keyed, Rejected):
        return keyed
    result = identify_number(keyed.value, caller_country or default_region)
    if result.status is not CallerIdStatus.VALID:
        return Rejected(KeypadReason.INVALID_PHONE)
    return Accepted(result.e164)


def keyed_date(raw: str) -> Keyed[datetime.date]:
    """A date keyed as YYYYMMDD that exists on the calendar (20240229 yes, 20260229 no)."""
    keyed = _keyed_digits(raw)
    if isinstance(keyed, Rejected):
        return keyed
    text = keyed.value
    if len(text) != 8:
        return Rejected(KeypadReason.INVALID_DATE)
    try:
        return Accepted(datetime.date(int(text[:4]), int(text[4:6]), int(text[6:])))
    except ValueError:
        return Rejected(KeypadReason.INVALID_DATE)
