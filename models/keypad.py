"""Why keyed (DTMF) input was refused: the `reason` values functions/keypad.py's parsers give.

A data shape, here rather than beside the parsers, so that each response model can declare the
reasons its flow may see (models/response.py `reasons`) without importing the functions.
"""

from __future__ import annotations

from enum import StrEnum


class KeypadReason(StrEnum):
    """Why keyed input was refused; the value is the `reason` the flow sees."""

    TIMEOUT = "timeout"
    EMPTY = "empty"
    CANCELLED = "cancelled"
    NOT_DIGITS = "not_digits"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    BAD_CHECK_DIGIT = "bad_check_digit"
    NOT_A_CHOICE = "not_a_choice"
    INVALID_PHONE = "invalid_phone"
    INVALID_DATE = "invalid_date"
