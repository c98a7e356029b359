"""Masking of caller data before it reaches a log line.

Phone numbers and PINs never appear unmasked in logs: values are masked where we log them
on purpose (`mask_phone`, `mask_secret`), and `MaskingFilter` scrubs any run of digits long
enough to be a phone number or card that slipped into a message anyway.
"""

from __future__ import annotations

import logging
import re
from typing import Any

# Seven or more digits, optionally led by "+" and broken by spaces, dots or dashes:
# long enough to be a phone number, short enough to miss years and small counts.
_DIGIT_RUN = re.compile(r"\+?\d(?:[\s.\-]?\d){6,}")
# Keys whose values are secret whatever they look like.
SECRET_KEYS = frozenset({"pin", "newpin", "password", "passcode", "secret"})


def mask_phone(number: str | None) -> str:
    """Keep the country prefix and the last two digits: '+81312345678' -> '+81*******78'."""
    if not number:
        return ""
    digits = [c for c in number if c.isdigit()]
    if len(digits) <= 4:
        return "*" * len(number)
    plus = "+" if number.startswith("+") else ""
    keep_head = 2 if plus else 0
    head, tail = "".join(digits[:keep_head]), "".join(digits[-2:])
    return plus + head + "*" * (len(digits) - keep_head - 2) + tail


def mask_secret(value: str | None) -> str:
    """A secret shows only that it was there: never its length or digits."""
    return "***" if value else ""


def mask_text(text: str) -> str:
    """Mask every digit run in free text that could be a phone number."""
    return _DIGIT_RUN.sub(lambda m: mask_phone(m.group(0)), text)


def mask_mapping(values: dict[str, Any]) -> dict[str, Any]:
    """A copy of a flat map fit for a log: secret keys hidden, digit runs masked."""
    masked: dict[str, Any] = {}
    for key, value in values.items():
        if key.lower() in SECRET_KEYS:
            masked[key] = mask_secret(str(value))
        elif isinstance(value, str):
            masked[key] = mask_text(value)
        else:
            masked[key] = value
    return masked


class MaskingFilter(logging.Filter):
    """Scrubs log records: the message, its arguments and any `extra` fields."""

    _STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_text(record.msg)
        if isinstance(record.args, dict):
            record.args = mask_mapping(record.args)
        elif record.args:
            record.args = tuple(mask_text(a) if isinstance(a, str) else a for a in record.args)
        for key, value in list(record.__dict__.items()):
            if key in self._STANDARD:
                continue
            if key.lower() in SECRET_KEYS:
                record.__dict__[key] = mask_secret(str(value))
            elif isinstance(value, str):
                record.__dict__[key] = mask_text(value)
            elif isinstance(value, dict):
                record.__dict__[key] = mask_mapping(value)
        return True
