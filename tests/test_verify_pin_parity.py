"""An unknown caller costs verify_pin what a known one with a wrong PIN costs: the same store
requests in the same order and the same hashing (issue 9). Counted, never timed: the timing is
bench/unknown_timing.py's."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from functions import pins as pin_hashing
from functions.stores.sql.database import SqlDatabase, Transaction
from functions.verify_pin import handler
from tests.call_watch import CallWatch
from tests.pin_order_env import SEEDED_BACKENDS, TARO, Seeded, event_with, seeded_environment

UNKNOWN_CALLER = "+81355550000"
WRONG_PIN = "9999"


@pytest.fixture(params=SEEDED_BACKENDS)
def seeded(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Seeded]:
    yield from seeded_environment(request, monkeypatch, tmp_path)


@pytest.fixture
def watch(seeded: Seeded) -> Iterator[CallWatch]:
    """On from before the seeded container's first invocation (its workers start then)."""
    with CallWatch() as watching:
        yield watching


@pytest.fixture
def requests(seeded: Seeded, watch: CallWatch, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each store request the handler makes: DynamoDB operation and table, or SQL statement."""
    seen: list[str] = []
    if seeded.backend == "dynamodb":
        tables = {value: name for name, value in _table_variables(monkeypatch).items()}

        def record_request(request: Any, **_: Any) -> None:
            operation = request.headers["X-Amz-Target"].decode().split(".")[-1]
            table = json.loads(request.body)["TableName"]
            seen.append(f"{operation} {tables.get(table, table)}")

        events = seeded.container.stores.dynamodb_client().meta.events
        events.register("before-send.dynamodb", record_request)
        return seen
    for method in (
        SqlDatabase.fetch_one,
        SqlDatabase.fetch_all,
        SqlDatabase.execute,
        SqlDatabase.upsert,
        Transaction.fetch_one_for_update,
        Transaction.fetch_one,
        Transaction.execute,
    ):
        watch.on(method, _recording(method.__name__, seen))
    return seen


def _recording(name: str, seen: list[str]) -> Callable[[dict[str, Any]], None]:
    def recorded(arguments: dict[str, Any]) -> None:
        seen.append(f"{name} {arguments['sql']}")

    return recorded


def _table_variables(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    import os

    return {name: value for name, value in os.environ.items() if name.endswith("_TABLE")}


@pytest.fixture
def hashing(watch: CallWatch) -> list[tuple[int, int, int]]:
    """The scrypt cost parameters of each hash computed."""
    computed: list[tuple[int, int, int]] = []
    watch.on(pin_hashing._scrypt, lambda a: computed.append((a["n"], a["r"], a["p"])))
    return computed


def _attempt(
    seeded: Seeded, address: str, seen: list[str], computed: list[tuple[int, int, int]]
) -> Any:
    seen.clear()
    computed.clear()
    event = event_with({"pin": WRONG_PIN}, CustomerEndpoint={"Address": address})
    answer = seeded.invoke(handler, event)
    return answer, list(seen), list(computed)


def test_an_unknown_caller_makes_the_requests_and_hashing_of_a_known_one(
    seeded: Seeded, requests: list[str], hashing: list[tuple[int, int, int]]
) -> None:
    known_number = "+81312345678"  # Taro's, known_caller.json
    assert TARO.pin != WRONG_PIN
    # A first call creates the tables a container uses (SQL, on first use): not per caller.
    _attempt(seeded, "+81355550001", requests, hashing)
    known, known_requests, known_hashing = _attempt(seeded, known_number, requests, hashing)
    unknown, unknown_requests, unknown_hashing = _attempt(seeded, UNKNOWN_CALLER, requests, hashing)
    assert known == unknown  # answered alike: not verified, two attempts left
    assert known["attemptsLeft"] == "2"
    assert known_requests, "no store request was seen: the recorder is not wired in"
    assert unknown_requests == known_requests
    cost = pin_hashing.scrypt_cost()  # what the seeded hashes and the decoy were written with
    assert unknown_hashing == known_hashing == [(cost.n, cost.r, cost.p)]


def test_the_decoy_hash_is_ready_before_the_first_call() -> None:
    # verify_pin is imported above: its import built the decoy (functions.pins.prepare_decoy),
    # so asking for it again is a cache hit, not a hash.
    before = pin_hashing.decoy_hash.cache_info()
    pin_hashing.prepare_decoy()
    after = pin_hashing.decoy_hash.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
