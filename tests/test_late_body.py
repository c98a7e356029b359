"""A late body changes nothing (issue 9): when a store stalls past the deadline, the flow hears
`unavailable`, and no verification, callback or counted PIN check appears afterwards.

The stores are the real ones on SQLite, seeded as deployed; only their database is wrapped
so that a read (or the schema check before a write) sleeps past the deadline first. Each test
waits until the handler body has really finished on its worker thread (the container's worker
pool shut down, which waits for it) before it looks, on a new container.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from functions import order_status, request_callback, verify_pin
from functions.errors import NotFound
from functions.stores.bundle import Stores
from functions.stores.sql.database import SqlDatabase
from ivr.engine.lambdas import SimulatedContext
from tests.containers import environment_container, invoke
from tests.pin_order_env import TARO, TARO_ORDERS, Seeded, event_with, seeded_environment

CONTACT = "5ca32fbd-8f92-46af-92a5-6b0f970f0efe"  # known_caller.json's InitialContactId
LIMIT = {"timeLimitSeconds": "1"}  # 1 s less the 300 ms margin: a 0.7 s budget
# Connect's shortest limit is 1 s; the stalled calls run in a Lambda with 0.5 s left, so their
# budget is 0.2 s (the deadline, plus the 0.15 s grace for a write already begun, at 0.35 s)
# and a stall of 0.6 s ends past both, without each test waiting over a second.
REMAINING_MS = 500
LAMBDA_ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:LateBody"
STALL_S = 0.6


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


def stall(store: Any, *calls: str) -> Callable[[], None]:
    """Wrap `store`'s database; the function returned puts the plain one back."""
    database = store.database
    store.database = StallingDatabase(database, frozenset(calls), STALL_S)

    def restore() -> None:
        store.database = database

    return restore


def heard_after_the_body(
    handler: Any, event: dict[str, Any], seeded: Seeded, *, remaining_ms: int = 1000
) -> dict[str, str]:
    """The answer of one call in a Lambda with `remaining_ms` left; returns once the body has
    finished on its worker thread."""
    started = time.monotonic()
    # The simulator's Lambda context: its time left counts down from `remaining_ms`.
    context = SimulatedContext(
        "LateBody", "arn:aws:lambda:::function:LateBody", remaining_ms / 1000
    )
    answer = invoke(handler, event, seeded.container, context)
    heard_after = time.monotonic() - started
    seeded.container.workers.shutdown(wait=True)  # waits for the body, however late
    limit = remaining_ms / 1000
    assert heard_after < limit, f"the flow waited {heard_after:.2f} s, past its {limit} s"
    return answer


def heard_when_stalled(handler: Any, event: dict[str, Any], seeded: Seeded) -> dict[str, str]:
    return heard_after_the_body(handler, event, seeded, remaining_ms=REMAINING_MS)


def stores(seeded: Seeded) -> Stores:
    return seeded.container.stores


def assert_not_verified(seeded: Seeded) -> None:
    assert stores(seeded).verifications.verified_customer(CONTACT, int(time.time())) is None
    event = event_with({"orderNumber": TARO_ORDERS[0].order_number})
    order = invoke(order_status.handler, event, environment_container())
    assert (order["status"], order["reason"]) == ("invalid_input", "not_verified")


def test_a_pin_read_that_stalls_records_no_verification_and_counts_no_check(
    seeded: Seeded,
) -> None:
    restore = stall(stores(seeded).pins, "fetch_one")
    event = event_with({"pin": TARO.pin, "customerId": TARO.customer_id, **LIMIT})
    answer = heard_when_stalled(verify_pin.handler, event, seeded)
    assert (answer["status"], answer["reason"], answer["verified"]) == (
        "unavailable",
        "timeout",
        "false",
    )
    restore()
    assert_not_verified(seeded)
    assert stores(seeded).pins.attempt_window(TARO.customer_id) is None


def test_a_verification_write_that_stalls_is_not_recorded(
    seeded: Seeded,
) -> None:
    # The PIN check is claimed and the PIN compared in time; the verification store's write
    # then waits past the deadline before its statement runs.
    restore = stall(stores(seeded).verifications, "upsert", "fetch_one")
    event = event_with({"pin": TARO.pin, "customerId": TARO.customer_id, **LIMIT})
    answer = heard_when_stalled(verify_pin.handler, event, seeded)
    assert (answer["status"], answer["verified"]) == ("unavailable", "false")
    restore()
    assert_not_verified(seeded)


def test_the_same_pin_in_time_is_recorded(seeded: Seeded) -> None:
    # The control: without the stall, the same call verifies and order_status trusts it.
    event = event_with({"pin": TARO.pin, "customerId": TARO.customer_id, **LIMIT})
    answer = heard_after_the_body(verify_pin.handler, event, seeded)
    assert (answer["status"], answer["verified"]) == ("ok", "true")
    event = event_with({"orderNumber": TARO_ORDERS[0].order_number})
    order = invoke(order_status.handler, event, environment_container())
    assert order["status"] == "ok"


def test_a_callback_write_that_stalls_is_not_stored(
    seeded: Seeded,
) -> None:
    restore = stall(stores(seeded).callbacks, "execute", "fetch_one")
    answer = heard_when_stalled(request_callback.handler, event_with(LIMIT), seeded)
    assert (answer["status"], answer["confirmed"]) == ("unavailable", "false")
    restore()
    with pytest.raises(NotFound):
        stores(seeded).callbacks.get(CONTACT)
    assert stores(seeded).callbacks.pending() == []


def test_the_same_callback_in_time_is_stored(
    seeded: Seeded,
) -> None:
    answer = heard_after_the_body(request_callback.handler, event_with(LIMIT), seeded)
    assert (answer["status"], answer["confirmed"]) == ("ok", "true")
    assert stores(seeded).callbacks.get(CONTACT).phone_e164 == "+81312345678"
