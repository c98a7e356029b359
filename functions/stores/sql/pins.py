"""`PinStore` on a SQL database (SQLite, MariaDB/MySQL, PostgreSQL).

    pins(customer_id PK, customer_number UNIQUE, pin_hash)
    pin_attempts(subject PK, failures, window_start)     window_start in epoch seconds

A PIN check is claimed in one transaction that holds the counter's row: SELECT ... FOR UPDATE
on MySQL and PostgreSQL, BEGIN IMMEDIATE on SQLite (`SqlDatabase.transaction`). Concurrent
claims on other connections wait for it, read the new count, and are refused once the limit
is reached. A row is created (empty) before the first claim, so there is always a row to lock:
locking a row that does not exist yet locks nothing on PostgreSQL and deadlocks two inserting
transactions on MySQL.

A claim is never counted twice, although the answer to its COMMIT can be lost (the connection
drops after the server committed): nothing resends the transaction. The drivers don't retry,
and `SqlDatabase` reopens a dead connection only at BEGIN, before anything is written, or for a
single statement, which here is idempotent (creating the empty row, resetting it). The lost
COMMIT reaches the caller as an error, so no PIN is compared for a claim that may have been
counted: the lockout errs towards refusing. Resending a claim would need a token of its own, as
the DynamoDB store has against botocore's retries (functions/stores/dynamodb/pins.py, issue 10).
"""

from __future__ import annotations

from functions.errors import AlreadyExists, StoreUnavailable
from functions.pins import AttemptWindow, LockoutPolicy
from functions.stores.pins import AttemptClaim, PinRecord, PinStore
from functions.stores.sql.store import SqlTables

PINS = "pins"
PINS_DDL = (
    "customer_id VARCHAR(64) NOT NULL PRIMARY KEY, "
    "customer_number VARCHAR(19) NOT NULL UNIQUE, "
    "pin_hash VARCHAR(255) NOT NULL"
)
_SELECT_PIN = "SELECT customer_id, customer_number, pin_hash FROM pins"
ATTEMPTS = "pin_attempts"
ATTEMPTS_DDL = (
    "subject VARCHAR(64) NOT NULL PRIMARY KEY, "
    "failures INTEGER NOT NULL, "
    "window_start BIGINT NOT NULL"
)
_SELECT_WINDOW = "SELECT failures, window_start FROM pin_attempts WHERE subject = :subject"


class SqlPinStore(SqlTables, PinStore):
    def _get(self, customer_id: str) -> PinRecord | None:
        self.database.ensure_table(PINS, PINS_DDL)
        row = self.database.fetch_one(f"{_SELECT_PIN} WHERE customer_id = :id", {"id": customer_id})
        return None if row is None else PinRecord(*(str(v) for v in row))

    def _find_by_number(self, customer_number: str) -> PinRecord | None:
        self.database.ensure_table(PINS, PINS_DDL)
        row = self.database.fetch_one(
            f"{_SELECT_PIN} WHERE customer_number = :number", {"number": customer_number}
        )
        return None if row is None else PinRecord(*(str(v) for v in row))

    def _put(self, record: PinRecord) -> None:
        self.database.ensure_table(PINS, PINS_DDL)
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
        self.database.ensure_table(PINS, PINS_DDL)
        self.database.execute(
            "UPDATE pins SET pin_hash = :new WHERE customer_id = :id AND pin_hash = :old",
            {"new": new_hash, "id": record.customer_id, "old": record.pin_hash},
        )

    def _claim_attempt(self, subject: str, now: int, policy: LockoutPolicy) -> AttemptClaim:
        self.database.ensure_table(ATTEMPTS, ATTEMPTS_DDL)
        for _ in range(2):
            with self.database.transaction() as tx:
                row = tx.fetch_one_for_update(_SELECT_WINDOW, {"subject": subject})
                if row is not None:
                    current = AttemptWindow(failures=int(row[0]), window_start=int(row[1]))
                    claimed = policy.claim(current, now)
                    if claimed is None:
                        return AttemptClaim(granted=False, window=current)
                    tx.execute(
                        "UPDATE pin_attempts SET failures = :failures, window_start = :start "
                        "WHERE subject = :subject",
                        {
                            "failures": claimed.failures,
                            "start": claimed.window_start,
                            "subject": subject,
                        },
                    )
                    return AttemptClaim(granted=True, window=claimed)
            self._create_counter(subject)
        raise StoreUnavailable(f"pin_attempts row for {subject!r} vanished twice; try again")

    def _create_counter(self, subject: str) -> None:
        try:
            self.database.execute(
                "INSERT INTO pin_attempts (subject, failures, window_start) "
                "VALUES (:subject, 0, 0)",
                {"subject": subject},
            )
        except Exception as exc:
            # A concurrent first claim created it: the row exists, which is all we need.
            if self.database.dialect.classify(exc) is not AlreadyExists:
                raise

    def _attempt_window(self, subject: str) -> AttemptWindow | None:
        self.database.ensure_table(ATTEMPTS, ATTEMPTS_DDL)
        row = self.database.fetch_one(_SELECT_WINDOW, {"subject": subject})
        return None if row is None else AttemptWindow(int(row[0]), int(row[1]))

    def _reset_attempts(self, subject: str) -> None:
        self.database.ensure_table(ATTEMPTS, ATTEMPTS_DDL)
        self.database.execute(
            "UPDATE pin_attempts SET failures = 0, window_start = 0 WHERE subject = :subject",
            {"subject": subject},
        )
