"""The PinStore contract on SQLite, MariaDB, PostgreSQL and DynamoDB (moto's server): credentials,
the lockout counter, and its atomicity under parallel claims; plus two-way raw checks."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from functions.errors import AlreadyExists
from functions.pins import AttemptWindow, LockoutPolicy, hash_pin
from functions.stores.dynamodb.client import new_dynamodb_client
from functions.stores.dynamodb.pins import NUMBER_INDEX, DynamoPinStore
from functions.stores.pins import PinRecord, PinStore
from functions.stores.sql.database import SqlDatabase
from functions.stores.sql.pins import SqlPinStore
from functions.stores.sql.verifications import SqlVerificationStore
from functions.verify_pin import Claimant, verify
from tests.conftest import SqlBackend, StoreBackend

POLICY = LockoutPolicy(max_failures=3, window_s=900)
T0 = 1_800_000_000
HASH = hash_pin("1234")
TARO = PinRecord(customer_id="cust-0001", customer_number="20260019", pin_hash=HASH)
JANE = PinRecord(customer_id="cust-0003", customer_number="20260035", pin_hash=hash_pin("7391"))
# Parallel claims per backend: enough to overrun a limit of 3 many times over.
PARALLEL = 12

StoreMaker = Callable[[], PinStore]


@pytest.fixture
def make_store(store_backend: StoreBackend) -> StoreMaker:
    """Builds stores on one backend, each with its own connection or client."""
    if store_backend.is_dynamodb:
        pins = store_backend.table("PinsTable")
        attempts = store_backend.table("PinAttemptsTable")
        return lambda: DynamoPinStore(pins, attempts, client=new_dynamodb_client())
    return lambda: SqlPinStore(store_backend.database())


@pytest.fixture
def store(make_store: StoreMaker) -> PinStore:
    return make_store()


def test_put_then_get_and_find_by_number(store: PinStore) -> None:
    store.put(TARO)
    store.put(JANE)
    assert store.get("cust-0001") == TARO
    assert store.find_by_number("20260035") == JANE


def test_unknown_ids_and_numbers_are_none(store: PinStore) -> None:
    store.put(TARO)
    assert store.get("cust-9999") is None
    assert store.find_by_number("20260027") is None
    assert store.get("CUST-0001") is None  # exact comparison


def test_put_replaces_the_hash(store: PinStore) -> None:
    store.put(TARO)
    renewed = PinRecord(TARO.customer_id, TARO.customer_number, hash_pin("9876"))
    store.put(renewed)
    assert store.get(TARO.customer_id) == renewed


def test_a_number_taken_by_another_customer_is_refused(store: PinStore) -> None:
    store.put(TARO)
    with pytest.raises(AlreadyExists, match="cust-0001"):
        store.put(PinRecord("cust-0003", TARO.customer_number, HASH))
    assert store.get("cust-0003") is None


def test_the_record_never_shows_its_hash() -> None:
    assert HASH not in repr(TARO) and TARO.customer_number not in repr(TARO)


def test_claims_count_to_the_limit_then_refuse(store: PinStore) -> None:
    claims = [store.claim_attempt("cust-0001", T0 + i, POLICY) for i in range(5)]
    assert [c.granted for c in claims] == [True, True, True, False, False]
    assert [c.window.failures for c in claims] == [1, 2, 3, 3, 3]
    assert store.attempt_window("cust-0001") == AttemptWindow(failures=3, window_start=T0)


def test_the_lock_ends_with_the_window(store: PinStore) -> None:
    for _ in range(3):
        store.claim_attempt("cust-0001", T0, POLICY)
    assert not store.claim_attempt("cust-0001", T0 + 899, POLICY).granted
    reopened = store.claim_attempt("cust-0001", T0 + 900, POLICY)
    assert reopened.granted
    assert reopened.window == AttemptWindow(failures=1, window_start=T0 + 900)


def test_a_reset_gives_back_every_attempt(store: PinStore) -> None:
    store.claim_attempt("cust-0001", T0, POLICY)
    store.claim_attempt("cust-0001", T0 + 1, POLICY)
    store.reset_attempts("cust-0001")
    claim = store.claim_attempt("cust-0001", T0 + 2, POLICY)
    assert claim.window == AttemptWindow(failures=1, window_start=T0 + 2)


def test_subjects_are_counted_apart(store: PinStore) -> None:
    for _ in range(3):
        store.claim_attempt("number:20260027", T0, POLICY)
    assert not store.claim_attempt("number:20260027", T0, POLICY).granted
    assert store.claim_attempt("cust-0001", T0, POLICY).granted
    assert store.attempt_window("nobody") is None


def _in_parallel(count: int, work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except BaseException as exc:  # reported below, with the thread's own traceback
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_parallel_claims_never_exceed_the_limit(make_store: StoreMaker) -> None:
    stores = [make_store() for _ in range(PARALLEL)]
    claims = _in_parallel(PARALLEL, lambda i: stores[i].claim_attempt("cust-0001", T0, POLICY))
    granted = [c for c in claims if c.granted]
    assert len(granted) == POLICY.max_failures
    assert sorted(c.window.failures for c in granted) == [1, 2, 3]
    assert stores[0].attempt_window("cust-0001") == AttemptWindow(3, T0)


def test_parallel_wrong_pins_evaluate_exactly_the_allowed_number(
    make_store: StoreMaker, tmp_path: Any
) -> None:
    stores = [make_store() for _ in range(PARALLEL)]
    stores[0].put(TARO)
    # The verification store is not under test here; wrong PINs never write to it.
    verifications = SqlVerificationStore(SqlDatabase(f"sqlite:///{tmp_path / 'v.sqlite3'}"))
    claimant = Claimant("cust-0001", TARO)
    answers = _in_parallel(
        PARALLEL,
        lambda i: verify(f"{i:04d}9", claimant, "contact", stores[i], verifications, T0, POLICY),
    )
    assert all(a.verified == "false" for a in answers)
    # Each evaluated check answers its own count (2, 1, 0 left); every other one is refused.
    left = Counter(a.attempts_left for a in answers)
    assert left == Counter({"2": 1, "1": 1, "0": PARALLEL - 2})
    assert sum(a.locked == "true" for a in answers) == PARALLEL - 2
    # And the right PIN is refused too while the lock holds.
    locked = verify("1234", claimant, "contact", stores[0], verifications, T0 + 1, POLICY)
    assert (locked.verified, locked.locked) == ("false", "true")


# --- two-way checks --------------------------------------------------------------------------


def test_sql_rows_written_by_the_store_read_back_raw(sql_backend: SqlBackend) -> None:
    database = SqlDatabase(sql_backend.url)
    store = SqlPinStore(database)
    store.put(TARO)
    store.claim_attempt("cust-0001", T0, POLICY)
    database.close()
    assert sql_backend.query("SELECT customer_id, customer_number, pin_hash FROM pins") == [
        ("cust-0001", "20260019", HASH)
    ]
    assert sql_backend.query("SELECT subject, failures, window_start FROM pin_attempts") == [
        ("cust-0001", 1, T0)
    ]


def test_sql_rows_written_raw_read_through_the_store(sql_backend: SqlBackend) -> None:
    database = SqlDatabase(sql_backend.url)
    store = SqlPinStore(database)
    assert store.get("raw-1") is None  # creates the table
    assert store.attempt_window("raw-1") is None
    sql_backend.execute(
        "INSERT INTO pins (customer_id, customer_number, pin_hash) VALUES (?, ?, ?)",
        ["raw-1", "12345674", HASH],
    )
    sql_backend.execute(
        "INSERT INTO pin_attempts (subject, failures, window_start) VALUES (?, ?, ?)",
        ["raw-1", 3, T0],
    )
    assert store.find_by_number("12345674") == PinRecord("raw-1", "12345674", HASH)
    assert not store.claim_attempt("raw-1", T0 + 1, POLICY).granted
    database.close()


def test_dynamodb_items_written_by_the_store_read_back_raw(
    dynamodb_client: Any, dynamodb_table: Callable[[str], str]
) -> None:
    pins, attempts = dynamodb_table("PinsTable"), dynamodb_table("PinAttemptsTable")
    store = DynamoPinStore(pins, attempts, client=dynamodb_client)
    store.put(TARO)
    store.claim_attempt("cust-0001", T0, POLICY)
    item = dynamodb_client.get_item(TableName=pins, Key={"customer_id": {"S": "cust-0001"}})
    assert item["Item"] == {
        "customer_id": {"S": "cust-0001"},
        "customer_number": {"S": "20260019"},
        "pin_hash": {"S": HASH},
    }
    by_number = dynamodb_client.query(
        TableName=pins,
        IndexName=NUMBER_INDEX,
        KeyConditionExpression="customer_number = :n",
        ExpressionAttributeValues={":n": {"S": "20260019"}},
    )
    assert [i["customer_id"]["S"] for i in by_number["Items"]] == ["cust-0001"]
    counter = dynamodb_client.get_item(TableName=attempts, Key={"subject": {"S": "cust-0001"}})
    assert counter["Item"] == {
        "subject": {"S": "cust-0001"},
        "failures": {"N": "1"},
        "window_start": {"N": str(T0)},
        "expires_at": {"N": str(T0 + 900)},
    }


def test_dynamodb_items_written_raw_read_through_the_store(
    dynamodb_client: Any, dynamodb_table: Callable[[str], str]
) -> None:
    pins, attempts = dynamodb_table("PinsTable"), dynamodb_table("PinAttemptsTable")
    dynamodb_client.put_item(
        TableName=pins,
        Item={
            "customer_id": {"S": "raw-1"},
            "customer_number": {"S": "12345674"},
            "pin_hash": {"S": HASH},
        },
    )
    dynamodb_client.put_item(
        TableName=attempts,
        Item={
            "subject": {"S": "raw-1"},
            "failures": {"N": "2"},
            "window_start": {"N": str(T0)},
        },
    )
    store = DynamoPinStore(pins, attempts, client=dynamodb_client)
    assert store.get("raw-1") == PinRecord("raw-1", "12345674", HASH)
    assert store.claim_attempt("raw-1", T0 + 1, POLICY).window == AttemptWindow(3, T0)
    assert not store.claim_attempt("raw-1", T0 + 2, POLICY).granted
