"""A PIN check whose write is applied but whose answer is lost counts once (issue 10).

Each backend's real server (MariaDB, PostgreSQL, DynamoDB on moto's server) sits behind
tests/faults/proxy.py, which lets the claim's write through and then resets the connection
instead of forwarding the server's answer: for SQL the answer to the claim's COMMIT, for
DynamoDB the answer to its UpdateItem. The server has counted the check; the client has not
heard of it. What follows is each backend's own recovery, unmodified:

    SQL        the store claims again on a new connection with the claim's token, finds it
               written by the lost COMMIT and grants the claim (functions/stores/sql/pins.py)
    DynamoDB   botocore resends the UpdateItem (its retry on a closed connection); the resend
               fails its token condition and the store reads the claim as granted
               (functions/stores/dynamodb/pins.py)

The caller hears the wrong PIN with the attempts that are really left, and the failure counter
holds the checks made, never one more. Reproduce with

    .venv/bin/pytest -q -p no:cacheprovider tests/faults/test_lost_answers.py
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from functions.pins import AttemptWindow, LockoutPolicy, hash_pin
from functions.stores.dynamodb.client import new_dynamodb_client
from functions.stores.dynamodb.pins import DynamoPinStore
from functions.stores.dynamodb.verifications import DynamoVerificationStore
from functions.stores.pins import PinRecord, PinStore
from functions.stores.sql.database import SqlDatabase
from functions.stores.sql.pins import SqlPinStore
from functions.stores.sql.verifications import SqlVerificationStore
from functions.stores.verifications import VerificationStore
from functions.verify_pin import Claimant, verify
from tests.conftest import SqlBackend
from tests.faults.proxy import FaultProxy
from tests.faults.test_failover import _through

pytestmark = pytest.mark.service

POLICY = LockoutPolicy(max_failures=3, window_s=900)
T0 = 1_800_000_000
TARO = PinRecord(customer_id="cust-0001", customer_number="20260019", pin_hash=hash_pin("1234"))
CLAIMANT = Claimant(TARO.customer_id, TARO)
# The bytes of the request whose answer is lost: the claim's COMMIT, the claim's UpdateItem
# (botocore names the operation in the X-Amz-Target header).
WRITE_MARKER = {
    "mysql": b"COMMIT",
    "postgresql": b"COMMIT",
    "dynamodb": b"DynamoDB_20120810.UpdateItem",
}


@dataclass
class Line:
    """The PIN and verification stores of one container, their server behind `proxy`."""

    backend: str
    proxy: FaultProxy
    pins: PinStore
    verifications: VerificationStore
    direct: PinStore  # the same data, not through the proxy: what the server holds

    def wrong_pin(self, now: int) -> tuple[str, str]:
        answer = verify("9999", CLAIMANT, "contact-1", self.pins, self.verifications, now, POLICY)
        return answer.verified, answer.attempts_left


@pytest.fixture(params=["mysql", "postgresql", "dynamodb"])
def line(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Line]:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    if request.param == "dynamodb":
        endpoint = urlsplit(request.getfixturevalue("moto_server"))
        table: Callable[[str], str] = request.getfixturevalue("dynamodb_table")
        pins, attempts, verified = (
            table("PinsTable"),
            table("PinAttemptsTable"),
            table("VerificationsTable"),
        )
        direct_client = new_dynamodb_client()
        proxy = FaultProxy(endpoint.hostname or "127.0.0.1", endpoint.port or 80)
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{proxy.port}")
        client = new_dynamodb_client()
        yield Line(
            "dynamodb",
            proxy,
            DynamoPinStore(pins, attempts, client=client),
            DynamoVerificationStore(verified, client=client),
            DynamoPinStore(pins, attempts, client=direct_client),
        )
        proxy.close()
        return
    backend: SqlBackend = request.getfixturevalue(f"{request.param}_backend")
    parts = urlsplit(backend.url)
    proxy = FaultProxy(parts.hostname or "127.0.0.1", parts.port or 0)
    database, direct = SqlDatabase(_through(backend.url, proxy)), SqlDatabase(backend.url)
    try:
        yield Line(
            request.param,
            proxy,
            SqlPinStore(database),
            SqlVerificationStore(database),
            SqlPinStore(direct),
        )
    finally:
        database.close()  # while the proxy can still carry its goodbye
        direct.close()
        proxy.close()


def test_a_wrong_pin_whose_claim_answer_is_lost_is_counted_once(line: Line) -> None:
    line.direct.put(TARO)
    assert line.wrong_pin(T0) == ("false", "2")
    line.proxy.lose_reply_to(WRITE_MARKER[line.backend])
    # The second check: its claim is written, its answer lost, the claim resent.
    assert line.wrong_pin(T0 + 1) == ("false", "1")
    assert line.proxy.replies_lost == 1
    assert line.direct.attempt_window(TARO.customer_id) == AttemptWindow(2, T0)
    # The third check is still the caller's to make; then the lock.
    assert line.wrong_pin(T0 + 2) == ("false", "0")
    assert line.wrong_pin(T0 + 3) == ("false", "0")
    assert line.direct.attempt_window(TARO.customer_id) == AttemptWindow(3, T0)


def test_the_first_claim_of_a_window_whose_answer_is_lost_is_counted_once(line: Line) -> None:
    # The claim that creates the counter (SQL: the row is inserted, then claimed).
    line.direct.put(TARO)
    line.proxy.lose_reply_to(WRITE_MARKER[line.backend])
    assert line.wrong_pin(T0) == ("false", "2")
    assert line.proxy.replies_lost == 1
    assert line.direct.attempt_window(TARO.customer_id) == AttemptWindow(1, T0)
