"""The PinStore contract on SQLite, MariaDB, PostgreSQL and DynamoDB (moto's server): credentials,
the lockout counter, its atomicity under parallel claims, and claims whose answer is lost after
the write (issue 10); plus two-way raw checks."""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import ReadTimeoutError
from botocore.httpsession import URLLib3Session

from functions.errors import AlreadyExists, StoreUnavailable
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
DELETED_COUNTER_ROUNDS = 10

StoreMaker = Callable[[], PinStore]


@pytest.fixture(autouse=True)
def moto_writes_each_item_atomically(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give moto's server what DynamoDB guarantees and this suite relies on.

    DynamoDB applies the writes to one item one at a time, each condition evaluated against
    the item as the previous write left it, and a strongly consistent read sees whole writes.
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
    moto 5 serves requests on threads and its UpdateItem reads the item, checks the condition
    and writes in separate steps: two opens of a missing counter could both pass
    `attribute_not_exists` (seen: 4 of 12 parallel claims granted, two of them "1"). One lock
    around its item operations restores DynamoDB's behaviour; the server is in this process.
    """
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    for name in ("get_item", "put_item", "update_item", "delete_item"):
        operation = getattr(DynamoDBBackend, name)

        def locked(*args: Any, _operation: Any = operation, **kwargs: Any) -> Any:
            with lock:
                return _operation(*args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, locked)


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


def test_replace_hash_changes_the_hash_it_was_given_and_nothing_else(store: PinStore) -> None:
    # verify_pin's rehash: on DynamoDB an UpdateItem naming only customer_id and pin_hash,
    # the one write its role may make to PinsTable (template.yaml).
    store.put(TARO)
    renewed = hash_pin("1234")
    store.replace_hash(TARO, renewed)
    assert store.get(TARO.customer_id) == PinRecord(TARO.customer_id, TARO.customer_number, renewed)
    assert store.find_by_number(TARO.customer_number) == store.get(TARO.customer_id)
    # The record read before holds the old hash: a credential changed since is kept.
    store.replace_hash(TARO, hash_pin("5555"))
    stored = store.get(TARO.customer_id)
    assert stored is not None and stored.pin_hash == renewed
    # And a credential that doesn't exist is not created.
    store.replace_hash(JANE, HASH)
    assert store.get(JANE.customer_id) is None


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


def test_sql_parallel_first_claims_on_a_deleted_counter_all_answer(
    sql_backend: SqlBackend,
) -> None:
    # An admin deleted the counter row: InnoDB keeps its key, delete-marked, until purged, and
    # each first claim inserting it again share-locks that key first. Claims racing there
    # deadlocked, and the server's victim answered `unavailable` (1 round in 4 of 12 claims).
    stores = [SqlPinStore(SqlDatabase(sql_backend.url)) for _ in range(PARALLEL)]
    try:
        for round_ in range(DELETED_COUNTER_ROUNDS):
            subject = f"cust-{round_:04d}"
            assert stores[0].claim_attempt(subject, T0, POLICY).granted
            sql_backend.execute("DELETE FROM pin_attempts WHERE subject = ?", [subject])
            claims = _in_parallel(
                PARALLEL, lambda i, s=subject: stores[i].claim_attempt(s, T0 + 1, POLICY)
            )
            assert sorted(c.window.failures for c in claims if c.granted) == [1, 2, 3]
    finally:
        for store in stores:
            store.database.close()


# --- answers lost after the write (issue 10) ---------------------------------------------


class LoseAnswers:
    """Lose the answers of a DynamoDB client's UpdateItems, as a read time-out does.

    Hooked on botocore's `before-send`: each UpdateItem is sent to moto's server here. Starting
    with the first one moto applies (HTTP 200), the next `count` answers are dropped and
    botocore is told the read timed out, so its own retry handler resends the request, exactly
    as when moto answers after `read_timeout`. `meanwhile` runs after the first dropped write
    reached the server and before botocore resends it.
    https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html
    """

    def __init__(self, client: Any, count: int = 1, meanwhile: Callable[[], Any] | None = None):
        self.count = count
        self.meanwhile = meanwhile
        self.sent: list[int] = []  # HTTP status of every UpdateItem that reached moto
        self.lost = 0
        self._session = URLLib3Session()
        client.meta.events.register("before-send.dynamodb.UpdateItem", self._send)

    def _send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        response = self._session.send(request)
        self.sent.append(response.status_code)
        if self.lost < self.count and (self.lost or response.status_code == 200):
            self.lost += 1
            if self.lost == 1 and self.meanwhile is not None:
                self.meanwhile()
            raise ReadTimeoutError(endpoint_url=request.url)
        return response


@pytest.fixture
def attempts_table(dynamodb_table: Callable[[str], str]) -> Callable[[], DynamoPinStore]:
    """Builds DynamoDB PIN stores on one pair of tables, each with its own client."""
    pins, attempts = dynamodb_table("PinsTable"), dynamodb_table("PinAttemptsTable")
    return lambda: DynamoPinStore(pins, attempts, client=new_dynamodb_client())


def test_dynamodb_a_resent_first_claim_counts_once(
    attempts_table: Callable[[], DynamoPinStore],
) -> None:
    store = attempts_table()
    lose = LoseAnswers(store.table.client)
    claim = store.claim_attempt("cust-0001", T0, POLICY)
    assert store.attempt_window("cust-0001") == AttemptWindow(1, T0)
    assert claim.granted and claim.window == AttemptWindow(1, T0)
    assert lose.lost == 1 and lose.sent[-1] == 400  # the resend was refused by its condition


def test_dynamodb_a_resent_claim_in_an_open_window_counts_once(
    attempts_table: Callable[[], DynamoPinStore],
) -> None:
    store = attempts_table()
    assert store.claim_attempt("cust-0001", T0, POLICY).granted
    lose = LoseAnswers(store.table.client)
    claim = store.claim_attempt("cust-0001", T0 + 1, POLICY)
    assert store.attempt_window("cust-0001") == AttemptWindow(2, T0)
    assert claim.granted and claim.window == AttemptWindow(2, T0)
    assert lose.lost == 1 and lose.sent[-1] == 400
    # The third check is still there to be made, and then the lock.
    assert store.claim_attempt("cust-0001", T0 + 2, POLICY).window == AttemptWindow(3, T0)
    assert not store.claim_attempt("cust-0001", T0 + 3, POLICY).granted


def test_dynamodb_a_claim_between_the_write_and_its_resend_is_counted_after_it(
    attempts_table: Callable[[], DynamoPinStore],
) -> None:
    store, other = attempts_table(), attempts_table()
    assert store.claim_attempt("cust-0001", T0, POLICY).granted
    between: list[Any] = []
    LoseAnswers(
        store.table.client,
        meanwhile=lambda: between.append(other.claim_attempt("cust-0001", T0 + 1, POLICY)),
    )
    claim = store.claim_attempt("cust-0001", T0 + 1, POLICY)
    # Ours was the second write, the other claim the third: each reports the count it made.
    assert claim.granted and claim.window == AttemptWindow(2, T0)
    assert between[0].granted and between[0].window == AttemptWindow(3, T0)
    assert store.attempt_window("cust-0001") == AttemptWindow(3, T0)
    assert not other.claim_attempt("cust-0001", T0 + 2, POLICY).granted


def test_dynamodb_a_claim_with_every_answer_lost_counts_once_and_is_not_granted(
    attempts_table: Callable[[], DynamoPinStore],
) -> None:
    store = attempts_table()
    lose = LoseAnswers(store.table.client, count=2)  # botocore makes 2 attempts (client.py)
    with pytest.raises(StoreUnavailable):
        store.claim_attempt("cust-0001", T0, POLICY)
    assert lose.lost == 2
    # Counted without a PIN being compared: the lockout errs towards refusing.
    assert store.attempt_window("cust-0001") == AttemptWindow(1, T0)
    assert store.claim_attempt("cust-0001", T0 + 1, POLICY).window == AttemptWindow(2, T0)


@dataclass
class DropAfterCommit:
    """Lose the answer to the first COMMIT: it reaches the server, then the connection drops.

    Wraps the driver connections a `SqlDatabase` opens; `error` is what the driver raises when
    its connection dies mid-statement, `close` whether the connection is then gone for good.
    """

    error: Callable[[], Exception]
    close: bool
    dropped: int = 0

    def wrap(self, connection: Any) -> Any:
        return _Wrapped(connection, lambda: _Cursor(self, connection, connection.cursor()))

    def commit(self, connection: Any, cursor: Any) -> None:
        cursor.execute("COMMIT")
        if not self.dropped:
            self.dropped += 1
            if self.close:
                connection.close()
            raise self.error()


class _Wrapped:
    def __init__(self, connection: Any, cursor: Callable[[], Any]) -> None:
        self._connection, self.cursor = connection, cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


class _Cursor:
    def __init__(self, drop: DropAfterCommit, connection: Any, cursor: Any) -> None:
        self._drop, self._connection, self._cursor = drop, connection, cursor

    def execute(self, sql: str, *params: Any) -> Any:
        if sql == "COMMIT":
            return self._drop.commit(self._connection, self._cursor)
        return self._cursor.execute(sql, *params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


def _drop_after_commit(backend: str) -> tuple[DropAfterCommit, type[Exception] | None]:
    """The drop each driver sees, and the error the claim then raises (None: it is resent)."""
    if backend == "mysql":
        import pymysql

        lost = partial(pymysql.err.OperationalError, 2013, "Lost connection to server")
        return DropAfterCommit(lost, close=True), None
    if backend == "postgresql":
        import psycopg

        closed = partial(psycopg.OperationalError, "server closed the connection unexpectedly")
        return DropAfterCommit(closed, close=True), None
    # SQLite has no connection to lose; an I/O error after COMMIT is the nearest thing, and
    # not a dropped connection: it reaches the caller, so no PIN is compared.
    io_error = partial(sqlite3.OperationalError, "disk I/O error")
    return DropAfterCommit(io_error, close=False), sqlite3.OperationalError


def test_sql_a_claim_whose_commit_answer_is_lost_counts_once(
    sql_backend: SqlBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = SqlDatabase(sql_backend.url)
    store = SqlPinStore(database)
    assert store.claim_attempt("cust-0001", T0, POLICY).granted
    drop, raised = _drop_after_commit(sql_backend.name)
    database.close()
    connect = database.dialect.connect
    monkeypatch.setattr(database.dialect, "connect", lambda timeouts: drop.wrap(connect(timeouts)))
    if raised is None:
        # The store claims again with the claim's token on a new connection, finds it counted
        # by the COMMIT whose answer was lost, and grants it with the count it made.
        claim = store.claim_attempt("cust-0001", T0 + 1, POLICY)
        assert claim.granted and claim.window == AttemptWindow(2, T0)
    else:
        with pytest.raises(raised):
            store.claim_attempt("cust-0001", T0 + 1, POLICY)
    assert drop.dropped == 1
    database.close()
    fresh = SqlPinStore(SqlDatabase(sql_backend.url))
    assert fresh.attempt_window("cust-0001") == AttemptWindow(2, T0)
    assert fresh.claim_attempt("cust-0001", T0 + 2, POLICY).window == AttemptWindow(3, T0)
    assert not fresh.claim_attempt("cust-0001", T0 + 3, POLICY).granted
    fresh.database.close()


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
    token = counter["Item"].pop("claims")["L"]  # the claim's own token, a uuid4
    assert [len(t["S"]) for t in token] == [32]
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
