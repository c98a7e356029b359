"""A late body changes nothing (issue 9): when a store stalls past the deadline, the flow hears
`unavailable`, and no verification, callback or counted PIN check appears afterwards.

The stores are the real ones on SQLite, seeded as deployed; only their database is wrapped
so that a read (or the schema check before a write) sleeps past the deadline first. Each test
waits until the handler body has really finished on its worker thread before it looks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from functions import order_status, request_callback, runtime, verify_pin
from functions.errors import NotFound
from functions.stores import factory
from functions.stores.sql.database import SqlDatabase
from tests.pin_order_env import TARO, TARO_ORDERS, Seeded, event_with, seeded_environment

CONTACT = "5ca32fbd-8f92-46af-92a5-6b0f970f0efe"  # known_caller.json's InitialContactId
LIMIT = {"timeLimitSeconds": "1"}  # 1 s less the 300 ms margin: a 0.7 s budget
STALL_S = 1.2


class StallingDatabase:
    """A real `SqlDatabase` whose named calls sleep `stall_s` before they run."""

    def __init__(self, database: SqlDatabase, stalled: frozenset[str], stall_s: float) -> None:
        self._database = database
        self._stalled = stalled
        self._stall_s = stall_s

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._database, name)
        if name not in self._stalled:
            return attribute

        def stalled(*args: Any, **kwargs: Any) -> Any:
            time.sleep(self._stall_s)
            return attribute(*args, **kwargs)

        return stalled


@pytest.fixture(params=["sqlite"])
def seeded(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Seeded]:
    yield from seeded_environment(request, monkeypatch, tmp_path)


@pytest.fixture
def body_finished(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Set when the handler body returns or raises on its worker thread."""
    finished = threading.Event()
    run_under = runtime.run_under

    def tracked(deadline: Any, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return run_under(deadline, fn, *args)
        finally:
            finished.set()

    monkeypatch.setattr(runtime, "run_under", tracked)
    return finished


def stall(store: Any, *calls: str) -> Callable[[], None]:
    """Wrap `store`'s database; the function returned puts the plain one back."""
    database = store.database
    store.database = StallingDatabase(database, frozenset(calls), STALL_S)

    def restore() -> None:
        store.database = database

    return restore


def heard_after_the_body(
    handler: Callable[[dict[str, Any]], dict[str, str]],
    event: dict[str, Any],
    finished: threading.Event,
) -> dict[str, str]:
    started = time.monotonic()
    answer = handler(event)
    heard_after = time.monotonic() - started
    assert finished.wait(10), "the handler body never finished"
    assert heard_after < 1.0, f"the flow waited {heard_after:.2f} s, past its 1 s limit"
    return answer


def assert_not_verified() -> None:
    assert factory.verification_store().verified_customer(CONTACT, int(time.time())) is None
    order = order_status.handler(event_with({"orderNumber": TARO_ORDERS[0].order_number}))
    assert (order["status"], order["reason"]) == ("invalid_input", "not_verified")


def test_a_pin_read_that_stalls_records_no_verification_and_counts_no_check(
    seeded: Seeded, body_finished: threading.Event
) -> None:
    restore = stall(factory.pin_store(), "fetch_one")
    event = event_with({"pin": TARO.pin, "customerId": TARO.customer_id, **LIMIT})
    answer = heard_after_the_body(verify_pin.handler, event, body_finished)
    assert (answer["status"], answer["reason"], answer["verified"]) == (
        "unavailable",
        "timeout",
        "false",
    )
    restore()
    assert_not_verified()
    assert factory.pin_store().attempt_window(TARO.customer_id) is None


def test_a_verification_write_that_stalls_is_not_recorded(
    seeded: Seeded, body_finished: threading.Event
) -> None:
    # The PIN check is claimed and the PIN compared in time; the verification store's schema
    # read before its write then stalls past the deadline.
    restore = stall(factory.verification_store(), "ensure_table", "fetch_one")
    event = event_with({"pin": TARO.pin, "customerId": TARO.customer_id, **LIMIT})
    answer = heard_after_the_body(verify_pin.handler, event, body_finished)
    assert (answer["status"], answer["verified"]) == ("unavailable", "false")
    restore()
    assert_not_verified()


def test_the_same_pin_in_time_is_recorded(seeded: Seeded, body_finished: threading.Event) -> None:
    # The control: without the stall, the same call verifies and order_status trusts it.
    event = event_with({"pin": TARO.pin, "customerId": TARO.customer_id, **LIMIT})
    answer = heard_after_the_body(verify_pin.handler, event, body_finished)
    assert (answer["status"], answer["verified"]) == ("ok", "true")
    order = order_status.handler(event_with({"orderNumber": TARO_ORDERS[0].order_number}))
    assert order["status"] == "ok"


def test_a_callback_write_that_stalls_is_not_stored(
    seeded: Seeded, body_finished: threading.Event
) -> None:
    restore = stall(factory.callback_store(), "ensure_table", "fetch_one")
    answer = heard_after_the_body(request_callback.handler, event_with(LIMIT), body_finished)
    assert (answer["status"], answer["confirmed"]) == ("unavailable", "false")
    restore()
    with pytest.raises(NotFound):
        factory.callback_store().get(CONTACT)
    assert factory.callback_store().pending() == []


def test_the_same_callback_in_time_is_stored(
    seeded: Seeded, body_finished: threading.Event
) -> None:
    answer = heard_after_the_body(request_callback.handler, event_with(LIMIT), body_finished)
    assert (answer["status"], answer["confirmed"]) == ("ok", "true")
    assert factory.callback_store().get(CONTACT).phone_e164 == "+81312345678"
