"""Caller numbers and PINs never reach a log line unmasked."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from functions.privacy import MaskingFilter, mask_mapping, mask_phone, mask_secret, mask_text


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("+81312345678", "+81*******78"),
        ("+14155550123", "+14*******23"),
        ("0312345678", "********78"),
        ("", ""),
        (None, ""),
        ("123", "***"),
    ],
)
def test_mask_phone(number, masked) -> None:
    assert mask_phone(number) == masked


def test_secrets_show_nothing_of_themselves() -> None:
    assert mask_secret("4321") == "***"
    assert mask_secret("123456789") == "***"
    assert mask_secret("") == ""


def test_free_text_loses_every_number_but_keeps_short_counts() -> None:
    text = mask_text("caller 090-1234-5678 pressed 3 times in 2026")
    assert "1234" not in text and "5678" not in text
    assert "3 times in 2026" in text


def test_mapping_hides_secret_keys_whatever_they_hold() -> None:
    masked = mask_mapping({"pin": "12", "PIN": "9", "phone": "+81312345678", "n": 3})
    assert masked == {"pin": "***", "PIN": "***", "phone": "+81*******78", "n": 3}


@given(st.from_regex(r"\+[1-9]\d{9,13}", fullmatch=True))
def test_no_phone_number_survives_mask_text(number: str) -> None:
    assert number[3:-2] not in mask_text(f"call from {number} now")


def test_filter_scrubs_message_arguments_and_extras() -> None:
    record = logging.makeLogRecord(
        {
            "msg": "lookup %s",
            "args": ("+81312345678",),
            "pin": "4321",
            "caller": "+81312345678",
            "params": {"pin": "1111", "x": "09012345678"},
        }
    )
    MaskingFilter().filter(record)
    # Only the fields the test set: process and thread ids are digits that may hold a "secret".
    fields = {name: record.__dict__[name] for name in ("msg", "args", "pin", "caller", "params")}
    rendered = record.getMessage() + repr(fields)
    for secret in ("312345678", "4321", "1111", "12345678"):
        assert secret not in rendered
