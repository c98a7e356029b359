"""`PinStore` on a SQL database (SQLite, MariaDB/MySQL, PostgreSQL).

    pins(customer_id PK, customer_number UNIQUE, pin_hash)
    pin_attempts(subject PK, failures, window_start)     window_start in epoch seconds
    pin_attempt_claims(subject, token, failures, window_start; PK subject, token)

A PIN check is claimed in one transaction that holds the counter's row: SELECT ... FOR UPDATE
on MySQL and PostgreSQL, BEGIN IMMEDIATE on SQLite (`SqlDatabase.transaction`). Concurrent
claims on other connections wait for it, read the new count, and are refused once the limit
is reached. A row is created (empty) before the first claim, so there is always a row to lock:
locking a row that does not exist yet locks nothing on PostgreSQL and deadlocks two inserting
transactions on MySQL. Creating it can still deadlock on InnoDB when the key was deleted and not
yet purged (each inserter share-locks it first): the server rolls one transaction back whole,
and that claim is made again (`_DEADLOCK_RETRIES`), counting nothing twice.

A claim is never counted twice, although the answer to its COMMIT can be lost (the connection
drops after the server committed). Each claim carries a token of its own (a uuid4), written in
the same transaction as the count it made, to pin_attempt_claims (migration 2,
functions/stores/sql/schema.py). When the connection dies during the claim, the store claims
once more with the same token on a new connection: if the first COMMIT was applied, the token
is there and the claim is granted with the count it made, counting nothing; if not, nothing
was written and the claim is counted now, once. The DynamoDB store does the same against
botocore's resends (functions/stores/dynamodb/pins.py, issue 10). pin_attempt_claims holds at
most `max_failures` rows per subject: a new window or a reset deletes the old ones.
When the second try fails as well, the error reaches the caller and no PIN is compared for a
claim that may have been counted: the lockout errs towards refusing.

Tables are migration 1's and 2's; no request creates one.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from functions.errors import AlreadyExists, StoreUnavailable
from functions.pins import AttemptWindow, LockoutPolicy
from functions.stores.pins import AttemptClaim, PinRecord, PinStore
from functions.stores.sql.store import SqlTables

if TYPE_CHECKING:
    from functions.stores.sql.database import SqlDatabase, Transaction

PINS = "pins"
_SELECT_PIN = "SELECT customer_id, customer_number, pin_hash FROM pins"
ATTEMPTS = "pin_attempts"
CLAIMS = "pin_attempt_claims"
_SELECT_WINDOW = "SELECT failures, window_start FROM pin_attempts WHERE subject = :subject"
# How many times a claim the server rolled back to break a deadlock is made again; each try
# still ends by the call's deadline (SqlDatabase).
_DEADLOCK_RETRIES = 3
_SELECT_CLAIM = (
    "SELECT failures, window_start FROM pin_attempt_claims "
    "WHERE subject = :subject AND token = :token"
)


class SqlPinStore(PinStore):
    def __init__(self, database: SqlDatabase) -> None:
        super().__init__(SqlTables(database, (PINS, ATTEMPTS, CLAIMS)))
        self.database = database

    def _get(self, customer_id: str) -> PinRecord | None:
        row = self.database.fetch_one(f"{_SELECT_PIN} WHERE customer_id = :id", {"id": customer_id})
        return None if row is None else PinRecord(*(str(v) for v in row))

    def _find_by_number(self, customer_number: str) -> PinRecord | None:
        row = self.database.fetch_one(
            f"{_SELECT_PIN} WHERE customer_number = :number", {"number": customer_number}
        )
        return None if row is None else PinRecord(*(str(v) for v in row))

    def _put(self, record: PinRecord) -> None:
        self.database.upsert(
            PINS,
            "customer_id",
            {
                "customer_id": record.customer_id,
                "customer_number": record.customer_number,
                "pin_hash": record.pin_hash,
            },
        )

    def _replace_hash(self, record: PinRecord, new_hash: str) -> None:
        self.database.execute(
            "UPDATE pins SET pin_hash = :new WHERE customer_id = :id AND pin_hash = :old",
            {"new": new_hash, "id": record.customer_id, "old": record.pin_hash},
        )

    def _claim_attempt(self, subject: str, now: int, policy: LockoutPolicy) -> AttemptClaim:
        token = uuid.uuid4().hex
        try:
            return self._claim(subject, token, now, policy)
        except Exception as exc:
            if not self.database.dialect.is_disconnect(exc):
                raise
        # The connection died mid-claim, perhaps after the server committed it: the same claim
        # again finds its token (counted, granted) or counts it now. SqlDatabase opens a new
        # connection within what is left of the deadline, or says there is no time left.
        return self._claim(subject, token, now, policy)

    def _claim(self, subject: str, token: str, now: int, policy: LockoutPolicy) -> AttemptClaim:
        created = deadlocks = 0
        while True:
            try:
                claim = self._claim_in_transaction(subject, token, now, policy)
            except Exception as exc:
                # The server broke a deadlock by rolling this claim back whole (InnoDB: first
                # claims inserting the counter while others lock it): nothing was counted, so
                # the same claim, token and all, is simply made again.
                if not self.database.dialect.is_deadlock(exc):
                    raise
                deadlocks += 1
                if deadlocks > _DEADLOCK_RETRIES:
                    raise
                continue
            if claim is not None:
                return claim
            created += 1
            if created > 1:
                raise StoreUnavailable(f"pin_attempts row for {subject!r} vanished twice")
            self._create_counter(subject)

    def _claim_in_transaction(
        self, subject: str, token: str, now: int, policy: LockoutPolicy
    ) -> AttemptClaim | None:
        """The claim, made in one transaction holding the counter's row; None: no row yet."""
        with self.database.transaction() as tx:
            row = tx.fetch_one_for_update(_SELECT_WINDOW, {"subject": subject})
            if row is None:
                return None
            mine = tx.fetch_one(_SELECT_CLAIM, {"subject": subject, "token": token})
            if mine is not None:  # counted by a COMMIT whose answer was lost
                return AttemptClaim(granted=True, window=AttemptWindow(*map(int, mine)))
            current = AttemptWindow(failures=int(row[0]), window_start=int(row[1]))
            claimed = policy.claim(current, now)
            if claimed is None:
                return AttemptClaim(granted=False, window=current)
            self._count(tx, subject, token, claimed)
            return AttemptClaim(granted=True, window=claimed)

    @staticmethod
    def _count(tx: Transaction, subject: str, token: str, claimed: AttemptWindow) -> None:
        """Write the claimed window and the claim's token, in the claim's transaction."""
        values = {
            "subject": subject,
            "token": token,
            "failures": claimed.failures,
            "start": claimed.window_start,
        }
        tx.execute(
            "UPDATE pin_attempts SET failures = :failures, window_start = :start "
            "WHERE subject = :subject",
            values,
        )
        if claimed.failures == 1:  # a new window: the old one's tokens can't be resent into it
            tx.execute("DELETE FROM pin_attempt_claims WHERE subject = :subject", values)
        tx.execute(
            "INSERT INTO pin_attempt_claims (subject, token, failures, window_start) "
            "VALUES (:subject, :token, :failures, :start)",
            values,
        )

    def _create_counter(self, subject: str) -> None:
        try:
            self.database.execute(
                "INSERT INTO pin_attempts (subject, failures, window_start) "
                "VALUES (:subject, 0, 0)",
                {"subject": subject},
            )
        except Exception as exc:
            # A concurrent first claim created it: the row exists, which is all we need. Two
            # first claims inserting at once can also deadlock on InnoDB (both share-lock the
            # key of a deleted, not yet purged row, then both want it exclusively): the server
            # lets the other insert, and the claim that follows waits for its row.
            dialect = self.database.dialect
            if dialect.classify(exc) is not AlreadyExists and not dialect.is_deadlock(exc):
                raise

    def _attempt_window(self, subject: str) -> AttemptWindow | None:
        row = self.database.fetch_one(_SELECT_WINDOW, {"subject": subject})
        return None if row is None else AttemptWindow(int(row[0]), int(row[1]))

    def _reset_attempts(self, subject: str) -> None:
        with self.database.transaction() as tx:
            tx.execute(
                "UPDATE pin_attempts SET failures = 0, window_start = 0 WHERE subject = :subject",
                {"subject": subject},
            )
            tx.execute(
                "DELETE FROM pin_attempt_claims WHERE subject = :subject", {"subject": subject}
            )
