"""Every log line the handler tests produce, scanned for personal data that escaped masking.

`personal_data_never_logged` (autouse through tests/conftest.py) captures each line the
functions' Powertools logger writes during a test of a module in `SCANNED_MODULES` -- formatted
by that logger's own formatter, after `MaskingFilter`, exception text included -- and fails the
test when a line holds a known caller number, PIN or name of the sample and test data.

Known data: the sample customers (ivr/sample_data.py) and their PINs (ivr/seeding/orders.py),
the caller numbers of the recorded events (tests/events/), and `EXTRA_*` below for values the
tests make up themselves.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import phonenumbers
import pytest

from functions import observability
from ivr.sample_data import SAMPLE_CUSTOMERS
from ivr.seeding.orders import SAMPLE_PINS

# The tests whose logs are scanned: every one that runs a handler, and those of the scan itself.
SCANNED_MODULES = frozenset(
    {
        "tests.test_identify_caller",
        "tests.test_verify_pin",
        "tests.test_order_status",
        "tests.test_request_callback",
        "tests.test_check_business_status",
        "tests.test_log_privacy",
        "tests.stores.test_stored_rows",
    }
)
EVENTS = Path(__file__).parent / "events"
EXTRA_NUMBERS = ("+81312345679", "+14155550123")
EXTRA_PINS = ("9999", "4321")
EXTRA_NAMES = ("Diamondo",)


def _event_numbers() -> set[str]:
    numbers: set[str] = set()
    for path in EVENTS.glob("*.json"):
        numbers.update(re.findall(r'"Address":\s*"(\+?\d{7,})"', path.read_text(encoding="utf-8")))
    return numbers


def _national_digits(number: str) -> str:
    """The national significant number: in a line whatever format the number was logged in."""
    try:
        return str(phonenumbers.parse(number, "JP").national_number)
    except phonenumbers.NumberParseException:
        return number.lstrip("+")


NUMBERS = frozenset(
    _national_digits(n)
    for n in {*(c.phone_e164 for c in SAMPLE_CUSTOMERS), *_event_numbers(), *EXTRA_NUMBERS}
)
PINS = frozenset({*SAMPLE_PINS.values(), *EXTRA_PINS})
NAMES = frozenset(
    name
    for name in {
        *(c.first_name for c in SAMPLE_CUSTOMERS),
        *(c.last_name for c in SAMPLE_CUSTOMERS),
        *EXTRA_NAMES,
    }
    if len(name) >= 2
)
# A PIN counts only standing alone: not inside an id, a time stamp or a decimal.
_PIN_EDGE_BEFORE, _PIN_EDGE_AFTER = r"(?<![\w.\-:+*])", r"(?![\w.\-:*])"


def findings(line: str) -> list[str]:
    """What personal data `line` (one JSON log line) holds, by kind; empty when none."""
    try:
        record = json.loads(line)
        record.pop("timestamp", None)  # "...,123+0000" would read as PIN 0000
        text = json.dumps(record, ensure_ascii=False)
    except ValueError:
        text = line
    found = [f"number {n}" for n in NUMBERS if n in text]
    found += [
        f"pin {p}"
        for p in PINS
        if re.search(_PIN_EDGE_BEFORE + re.escape(p) + _PIN_EDGE_AFTER, text)
    ]
    found += [f"name {n}" for n in NAMES if re.search(rf"\b{re.escape(n)}\b", text)]
    return found


class _Lines(logging.Handler):
    """Keeps each record as the functions' logger would write it."""

    def __init__(self, formatter: logging.Formatter | None) -> None:
        super().__init__()
        self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def captured_lines() -> Iterator[list[str]]:
    """The lines the functions' logger writes inside the block (after its masking filter)."""
    log = observability.logger()
    handler = _Lines(log.registered_formatter)
    log.addHandler(handler)
    try:
        yield handler.lines
    finally:
        log.removeHandler(handler)


@pytest.fixture(autouse=True)
def personal_data_never_logged(request: pytest.FixtureRequest) -> Iterator[None]:
    module = getattr(request.node, "module", None)
    if module is None or module.__name__ not in SCANNED_MODULES:
        yield
        return
    with captured_lines() as lines:
        yield
    leaks = [(line, found) for line in lines if (found := findings(line))]
    if leaks:
        shown = "\n".join(f"{found}: {line}" for line, found in leaks[:5])
        pytest.fail(f"{len(leaks)} log line(s) hold personal data:\n{shown}", pytrace=False)
