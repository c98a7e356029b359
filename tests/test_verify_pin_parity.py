"""An unknown caller costs verify_pin what a known one with a wrong PIN costs: the same store
requests in the same order and the same hashing (issue 9). Counted, never timed: the timing is
bench/unknown_timing.py's."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from functions import pins as pin_hashing
from functions.verify_pin import handler
from tests.pin_order_env import SEEDED_BACKENDS, TARO, Seeded, event_with, seeded_environment

UNKNOWN_CALLER = "+81355550000"
WRONG_PIN = "9999"


@pytest.fixture(params=SEEDED_BACKENDS)
def seeded(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Seeded]:
    yield from seeded_environment(request, monkeypatch, tmp_path)


@pytest.fixture
def requests(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each store request the handler makes: DynamoDB operation and table (botocore's own
    before-send event), or SQL statement as SQLite runs it (its own trace callback, wired to
    the container's connection by `_attempt`)."""
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


def _table_variables(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    import os

    return {name: value for name, value in os.environ.items() if name.endswith("_TABLE")}


@pytest.fixture
def hashing(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, int]]:
    """The scrypt cost parameters of each hash computed: the standard library's scrypt,
    wrapped (functions/pins.py calls it as hashlib.scrypt; nothing of functions/ is
    replaced)."""
    computed: list[tuple[int, int, int]] = []
    scrypt = hashlib.scrypt

    def counted(password: bytes, **options: Any) -> bytes:
        computed.append((options["n"], options["r"], options["p"]))
        return scrypt(password, **options)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    return computed


_LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def _shape(sql: str) -> str:
    """A statement as SQLite traced it, its values (which differ per caller) as `?`."""
    return _LITERAL.sub("?", sql)


def _attempt(
    seeded: Seeded, address: str, seen: list[str], computed: list[tuple[int, int, int]]
) -> Any:
    seen.clear()
    computed.clear()
    event = event_with({"pin": WRONG_PIN}, CustomerEndpoint={"Address": address})
    if seeded.backend != "dynamodb":
        # The connection the container keeps (opened by the first call): SQLite reports each
        # statement it runs, BEGIN and COMMIT included.
        connection = seeded.container.stores.sql_database()._connection
        if connection is not None:
            connection.set_trace_callback(lambda sql: seen.append(_shape(sql)))
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
