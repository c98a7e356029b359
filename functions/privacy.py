"""Masking of caller data before it reaches a log line.

Phone numbers and PINs never appear unmasked in logs: values are masked where we log them
on purpose (`mask_phone`, `mask_secret`), and `MaskingFilter` scrubs any run of digits long
enough to be a phone number or card that slipped into a message anyway.

Exception text (`logger.exception`, `exc_info=`) is where stored values escape unnoticed: a
pydantic error repeats the input, `ValueError("'x' is not a valid Tier")` the value. The
filter renders the traceback itself (`mask_exception`): each frame as file, line and function
(no source text: the code is in the file, and a line of code can hold a literal), each message
of the chain with phone numbers masked, every other run of four or more digits (a PIN) starred,
and its quoted literals -- where Python, pydantic and the drivers put values, as their repr --
replaced by '…'; a pydantic error becomes its field names and error types only. Names can't be
recognised in free text, so this is what keeps them out.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

# Seven or more digits, optionally led by "+" and broken by spaces, dots or dashes:
# long enough to be a phone number, short enough to miss years and small counts.
_DIGIT_RUN = re.compile(r"\+?\d(?:[\s.\-]?\d){6,}")
# A quoted literal in an exception message: 'x', "x" (repr of a str, or a SQL literal).
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
# In exception text, any run of four or more digits may be a PIN (4-8 digits): masked too.
_SHORT_DIGIT_RUN = re.compile(r"(?<![\d*])\d{4,}(?![\d*])")
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


def mask_exception_message(exc: BaseException) -> str:
    """An exception's message fit for a log: no digit runs, no quoted values, no input."""
    errors = getattr(exc, "errors", None)
    if type(exc).__module__.startswith("pydantic") and callable(errors):
        # ValidationError: where and what kind, never the input (pydantic repeats it).
        listed = errors(include_url=False, include_context=False, include_input=False)
        return "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())) or '(model)'}: {e.get('type')}"
            for e in listed
        )
    return _scrub(str(exc))


def _scrub(text: str) -> str:
    return _SHORT_DIGIT_RUN.sub("****", _QUOTED.sub("'…'", mask_text(text)))


def mask_exception(exc: BaseException) -> str:
    """A traceback like `traceback.format_exception`'s, every message of the chain masked."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    parts: list[str] = []
    for error, link_to_next in reversed(chain):
        if error.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(
                f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
                for frame in traceback.extract_tb(error.__traceback__)
            )
        name = type(error).__qualname__
        module = type(error).__module__
        qualified = name if module in ("builtins", "__main__") else f"{module}.{name}"
        message = mask_exception_message(error)
        parts.append(f"{qualified}: {message}\n" if message else f"{qualified}\n")
        for note in getattr(error, "__notes__", None) or ():
            parts.append(_scrub(str(note)) + "\n")
        if link_to_next:
            parts.append(link_to_next)
    return "".join(parts).rstrip("\n")


_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


class MaskingFilter(logging.Filter):
    """Scrubs log records: the message, its arguments, any `extra` fields and exception text.

    An exception is rendered here, masked, into the record's `exception` and `exception_name`
    fields (which Powertools' formatter prints in place of its own rendering), and `exc_info`
    is dropped so no formatter renders it unmasked again.
    """

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
        exc_info = record.exc_info
        if isinstance(exc_info, tuple) and isinstance(exc_info[1], BaseException):
            record.__dict__["exception"] = mask_exception(exc_info[1])
            record.__dict__["exception_name"] = type(exc_info[1]).__name__
            record.exc_info, record.exc_text = None, None
        return True
