"""The phone line under test: contact_flows/ on the real handlers over a seeded SQLite store,
with a fixed clock for check_business_status.

    with seeded_line(tmp_path) as line:
        call = line.call(caller=TARO_PHONE, inputs=["0"])
        call.expect.ended_in_queue("Gold")

Handlers are resolved through tests/flows/template.yaml (all five functions); a test swaps
one for a canned answer or a crashing stand-in with `line.call(lambdas={...})`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from functions.config import DATABASE_URL, FIXED_NOW, STORE_BACKEND
from ivr.sample_data import SAMPLE_CUSTOMERS
from ivr.seeding.orders import sample_credentials, sample_orders
from ivr.testing import Call, run_call
from models.business_status import Announcement
from models.order import OrderStatus
from tests.containers import close_stores, environment_stores
from tests.sample_store import SEEDED_ON, seeded_sqlite_url

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "contact_flows"
MAIN = FLOWS / "main_inbound.json"
TEMPLATE = Path(__file__).resolve().parent / "template.yaml"

TOKYO = datetime.timezone(datetime.timedelta(hours=9))
# A Wednesday without a Japanese public holiday: open 09:00-18:00 by the default hours.
OPEN_NOW = datetime.datetime(2026, 3, 4, 10, 30, tzinfo=TOKYO)
CLOSED_NOW = datetime.datetime(2026, 3, 4, 20, 0, tzinfo=TOKYO)
TODAY = SEEDED_ON  # what the orders' delivery dates are relative to

CUSTOMERS = {c.customer_id: c for c in SAMPLE_CUSTOMERS}
CREDENTIALS = {c.customer_id: c for c in sample_credentials()}
TARO, HANAKO, JANE = "cust-0001", "cust-0002", "cust-0003"  # gold ja, standard ja, platinum en
UNKNOWN_PHONE = "+81355550000"

FUNCTIONS = (
    "IdentifyCallerFunction",
    "CheckBusinessStatusFunction",
    "VerifyPinFunction",
    "OrderStatusFunction",
    "RequestCallbackFunction",
)


def arn(function: str) -> str:
    """The placeholder the flows invoke `function` by."""
    return "${" + function + "Arn}"


def phone(customer_id: str) -> str:
    return CUSTOMERS[customer_id].phone_e164


def pin(customer_id: str) -> str:
    return CREDENTIALS[customer_id].pin + "#"


def customer_number(customer_id: str) -> str:
    return CREDENTIALS[customer_id].customer_number + "#"


def order_number(customer_id: str, status: OrderStatus) -> str:
    """The seeded order of `customer_id` in `status`, keyed with its terminating #."""
    for order in sample_orders(TODAY):
        if order.customer_id == customer_id and order.status is status:
            return order.order_number + "#"
    raise LookupError(f"no sample order of {customer_id} is {status}")


def crashing_handler(event: dict[str, Any], context: Any) -> dict[str, str]:
    """A Lambda that fails (an unhandled exception): Connect takes the Error branch."""
    raise RuntimeError("simulated Lambda failure")


class Line:
    """The seeded store and the clock of one test; `call` runs main_inbound.json."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
        self._monkeypatch = monkeypatch
        self.folder = folder  # for files a test makes (a copy of a flow)
        self.calls: list[Call] = []
        self.set_clock(OPEN_NOW)

    def set_clock(self, moment: datetime.datetime) -> None:
        # The simulator's handlers read it through their container's clock, as `ivr simulate`
        # does: the next call is at `moment`.
        self._monkeypatch.setenv(FIXED_NOW, moment.isoformat())

    def close_for_emergency(self, ja: str, en: str) -> None:
        environment_stores().business.set_emergency(Announcement(ja=ja, en=en))

    def call(
        self, *, flow: Path = MAIN, lambdas: dict[str, Any] | None = None, **call: Any
    ) -> Call:
        result = run_call(flow, template=TEMPLATE, lambdas=lambdas, **call)
        self.calls.append(result)
        return result


@contextmanager
def seeded_line(folder: Path) -> Iterator[Line]:
    """A Line on a new SQLite file in `folder` holding the sample customers, PINs and orders
    (a copy of the session's seeded store, tests/sample_store.py); the stores' cache is
    forgotten before and after."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv(STORE_BACKEND, "sql")
        monkeypatch.setenv(DATABASE_URL, seeded_sqlite_url(folder))
        close_stores()
        try:
            yield Line(monkeypatch, folder)
        finally:
            close_stores()
