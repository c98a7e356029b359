"""One SQL database, named by a URL, with one connection reused for the container's life.

    sqlite:///relative/path.sqlite3     sqlite:////absolute/path.sqlite3     sqlite:///:memory:
    mysql://user:pass@host:3306/db      (also mariadb://, mysql+pymysql://; PyMySQL)
    postgresql://user:pass@host:5432/db (also postgres://, postgresql+psycopg://; psycopg 3)

The connection is opened on first use (so importing costs nothing and only the driver the URL
names is imported), kept across invocations, and re-opened once when a reused connection turns
out to have died. No use of it outlives the invocation's deadline, and one that failed or was
cut is closed, so a database that went silent (failover, a dropped NAT entry) costs the calls
made while it was away, never the first one after it is back (tests/faults/).

Re-opening resends a single statement, which the server may already have run before the
connection died: every statement the stores send alone is safe to run twice (upserts, deletes,
updates conditional on the old value; an INSERT run twice fails on its key, which its store
reads as "already there"). A transaction is never resent here; the one store that must retry
one, the PIN claim, does so with a token (functions/stores/sql/pins.py, issue 10).

Every statement is parameterized. No request creates a table: the schema is the migrations'
(functions/stores/sql/schema.py, run by `ivr db migrate` and `ivr seed`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from functions import deadline
from functions.config import DATABASE_URL
from functions.errors import ConfigurationError, StoreError, StoreUnavailable
from functions.stores.sql.dialects import (
    Dialect,
    Endpoint,
    MysqlDialect,
    PostgresDialect,
    SqliteDialect,
    Timeouts,
)
from functions.stores.sql.watchdog import Watchdog

_SCHEMES: dict[str, str] = {
    "sqlite": "sqlite",
    "mysql": "mysql",
    "mariadb": "mysql",
    "mysql+pymysql": "mysql",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "postgresql+psycopg": "postgresql",
}
_DEFAULT_PORTS = {"mysql": 3306, "postgresql": 5432}

Params = Mapping[str, Any]

# How each dialect opens a transaction that will write. SQLite's BEGIN IMMEDIATE takes the
# write lock at once, so a second writer waits (busy timeout) instead of failing at COMMIT;
# MySQL and PostgreSQL lock the rows a SELECT ... FOR UPDATE reads.
_BEGIN_WRITE = {"sqlite": "BEGIN IMMEDIATE", "mysql": "START TRANSACTION", "postgresql": "BEGIN"}
# SQLite has no row locks (and no FOR UPDATE): BEGIN IMMEDIATE already holds the database.
_FOR_UPDATE = {"sqlite": "", "mysql": " FOR UPDATE", "postgresql": " FOR UPDATE"}
_BUSY_ADVICE = "the database did not answer in time; try again later"
# Kept back from the deadline so the store's failure reaches the handler, which answers with
# what it knows (identify_caller's caller fields), before the runtime answers a bare timeout.
_ANSWER_RESERVE_S = 0.05


def parse_url(url: str) -> Dialect:
    """The dialect and address a database URL names; `ConfigurationError` when it is unusable."""
    scheme, sep, rest = url.strip().partition("://")
    kind = _SCHEMES.get(scheme.lower()) if sep else None
    if kind is None:
        raise ConfigurationError(
            f"{DATABASE_URL} must start with sqlite:///, mysql:// or postgresql://, "
            f"not {scheme + sep if sep else 'a bare path'!r}"
        )
    if kind == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise ConfigurationError(
                f"{DATABASE_URL}: write sqlite:///relative/path or sqlite:////absolute/path"
            )
        return SqliteDialect(rest[1:])
    parts = urlsplit(url.strip())
    database = parts.path.lstrip("/")
    try:
        port = parts.port or _DEFAULT_PORTS[kind]
    except ValueError as exc:
        raise ConfigurationError(f"{DATABASE_URL} has an invalid port") from exc
    if not parts.hostname or not database:
        raise ConfigurationError(
            f"{DATABASE_URL} must name a host and a database: {kind}://user:pass@host:port/db"
        )
    endpoint = Endpoint(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        database=unquote(database),
    )
    return MysqlDialect(endpoint) if kind == "mysql" else PostgresDialect(endpoint)


class SqlDatabase:
    """A database URL turned into a lazily opened, reused, self-healing connection.

    Every use of the connection is bounded by the invocation's deadline (functions/deadline.py;
    without one, `Timeouts.connect_s + statement_s`): waiting for the lock, connecting, and
    the statements themselves, which the watchdog cuts at the deadline. A connection that
    failed, timed out or was cut is closed and never used again; the next use opens another.
    """

    def __init__(self, url: str, *, timeouts: Timeouts | None = None) -> None:
        self.dialect = parse_url(url)
        self.timeouts = timeouts or Timeouts()
        self._connection: Any = None
        # This database's own: its thread starts with the first statement under a deadline
        # and stops when the database is closed.
        self._watchdog = Watchdog()
        # One container runs one invocation at a time, but the runtime's deadline runs the
        # handler in a worker thread; a lock keeps two statements off one connection. It is
        # only ever waited for within the waiter's budget (`_hold`).
        self._lock = threading.RLock()
        # Guards `_connection` against the watchdog and a waiter that gives up (`_cut`,
        # `_abandon`): a socket is shut down only while no one can close it, so never a
        # descriptor number the system has since given to another socket.
        self._state = threading.Lock()
        self._depth = 0  # nesting of `_hold` on the thread that owns `_lock`
        self._hold_id = 0  # which hold the armed watchdog belongs to
        self._cut_off = False  # the current hold's deadline passed and its socket was cut
        self._owner: int | None = None  # the thread holding `_lock`, for `_hold`'s pre-connect

    @property
    def backend(self) -> str:
        return self.dialect.name

    def describe(self) -> str:
        return f"{self.dialect.name} {self.dialect.describe()}"

    def fetch_one(self, sql: str, params: Params | None = None) -> tuple[Any, ...] | None:
        rows = self._run(sql, params or {}, fetch=True)
        return rows[0] if rows else None

    def fetch_all(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        return self._run(sql, params or {}, fetch=True)

    def execute(self, sql: str, params: Params | None = None) -> None:
        self._run(sql, params or {}, fetch=False)

    def upsert(self, table: str, key: str, row: Mapping[str, Any]) -> None:
        """Insert `row`, or replace the row with the same `key`, in one statement."""
        self.execute(self.dialect.upsert(table, key, list(row)), row)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Statements in one write transaction: committed at the end, rolled back on error.

        Read the rows you will change with `Transaction.fetch_one_for_update`: concurrent
        transactions on other connections then wait for this one, whatever the dialect.
        A transaction still open at the deadline has its connection cut, so the server rolls
        it back.
        """
        with self._hold():
            cursor, connection = self._begin()
            try:
                yield Transaction(self, cursor)
                cursor.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(Exception):
                    cursor.execute("ROLLBACK")
                if not isinstance(exc, Exception) or self._spoilt(exc):
                    self._discard(connection)
                raise
            finally:
                with contextlib.suppress(Exception):  # a cut connection may refuse even this
                    cursor.close()

    def _begin(self) -> tuple[Any, Any]:
        begin = _BEGIN_WRITE[self.dialect.name]
        reused = self._connection is not None
        try:
            return self._cursor_after(begin)
        except Exception as exc:
            if not self._may_retry(exc, reused):
                raise
        # The kept connection died between invocations: open a new one, once.
        return self._cursor_after(begin)

    def _cursor_after(self, statement: str) -> tuple[Any, Any]:
        connection = self._connected()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(statement)
            except BaseException:
                with contextlib.suppress(Exception):
                    cursor.close()
                raise
        except Exception as exc:
            if self._spoilt(exc):
                self._discard(connection)
            raise
        return cursor, connection

    def close(self) -> None:
        """Close the connection; one still in use past the wait's budget is cut instead."""
        if not self._lock.acquire(timeout=self._wait_s()):
            self._abandon()
            return
        try:
            with self._state:
                connection, self._connection = self._connection, None
                if connection is not None:
                    # Closing a dead connection may fail; it is gone either way.
                    with contextlib.suppress(Exception):
                        connection.close()
            self._watchdog.close()  # no statement runs now: no alarm is needed
        finally:
            self._lock.release()

    def _run(self, sql: str, params: Params, *, fetch: bool) -> list[tuple[Any, ...]]:
        rendered = self.dialect.render(sql)
        with self._hold():
            reused = self._connection is not None
            try:
                return self._on_connection(rendered, params, fetch)
            except StoreError:
                raise
            except Exception as exc:
                if not self._may_retry(exc, reused):
                    raise
            # The kept connection died between invocations: open a new one, once.
            return self._on_connection(rendered, params, fetch)

    def _on_connection(self, sql: str, params: Params, fetch: bool) -> list[tuple[Any, ...]]:
        connection = self._connected()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(sql, dict(params))
                return [tuple(row) for row in cursor.fetchall()] if fetch else []
            finally:
                cursor.close()
        except Exception as exc:
            if self._spoilt(exc):
                self._discard(connection)
            raise

    # --- bounds: the lock, the connect, the deadline ---------------------------------------

    def _wait_s(self) -> float:
        """How long this use may take: the invocation's remaining budget, or the ceilings."""
        current = deadline.current()
        if current is None:  # outside an invocation (tests, ivr seed): the ceilings alone
            return self.timeouts.connect_s + self.timeouts.statement_s
        return max(0.0, current.remaining() - _ANSWER_RESERVE_S)

    @contextlib.contextmanager
    def _hold(self) -> Iterator[None]:
        """The connection for this thread, within the budget, cut when the deadline passes."""
        if self._owner != threading.get_ident():
            self._connect_unlocked()
        wait = self._wait_s()
        if wait <= 0 and deadline.current() is not None:
            # The flow has had (or is getting) its answer: a statement started now, a write
            # above all, would change what it was told (a late body, tests/test_late_body.py).
            raise StoreUnavailable(
                f"{self.describe()}: the call's deadline has passed; nothing was run "
                f"({_BUSY_ADVICE})"
            )
        if not self._lock.acquire(timeout=wait):
            # Another use is stuck past its own deadline: cut it loose, so that the next call
            # opens a fresh connection instead of waiting behind it too.
            self._abandon()
            raise StoreUnavailable(
                f"{self.describe()}: the connection was still busy after {wait:.2f} s "
                f"({_BUSY_ADVICE})"
            )
        outermost = self._depth == 0
        self._depth += 1
        self._owner = threading.get_ident()
        alarm = None
        try:
            if outermost:
                with self._state:
                    self._hold_id += 1
                    self._cut_off = False
                if self.dialect.interruptible:
                    at = time.monotonic() + wait
                    alarm = self._watchdog.arm(at, functools.partial(self._cut, self._hold_id))
            yield
        finally:
            if alarm is not None:
                self._watchdog.disarm(alarm)
            self._depth -= 1
            if outermost:
                self._owner = None
                with self._state:
                    self._hold_id += 1  # an alarm already on its way finds it is too late
            self._lock.release()

    def _connect_unlocked(self) -> None:
        """Open the connection before taking the lock when none is kept.

        A connect can't be cut (there is no socket yet to interrupt) and psycopg waits at
        least 2 s for a server that accepts and never answers (libpq's floor). Made under the
        lock, that connect would hold back every call behind it, the first one after the
        database is back included; made here, it costs only the call that began it. Two
        callers racing keep the first connection and close the other.
        """
        if self._connection is not None or self._wait_s() <= 0:
            return  # kept, or no time: `_connected` under the lock says so
        self._keep(self._open())  # a failure is the caller's, as under the lock

    def _connected(self) -> Any:
        """The kept connection, or a new one whose connect fits what is left of the budget."""
        if self._connection is not None:
            return self._connection
        if self._cut_off or self._wait_s() <= 0:
            raise StoreUnavailable(f"{self.describe()}: no time left to connect ({_BUSY_ADVICE})")
        self._keep(self._open())
        return self._connection

    def _keep(self, connection: Any) -> None:
        """Keep `connection` unless another caller's arrived first; close the one not kept."""
        with self._state:
            if self._connection is None:
                self._connection, connection = connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()

    def _open(self) -> Any:
        """A new connection whose connect fits what is left of the budget."""
        left = self._wait_s()
        timeouts = dataclasses.replace(self.timeouts, connect_s=min(self.timeouts.connect_s, left))
        return self.dialect.connect(timeouts)

    def _cut(self, hold_id: int) -> None:
        """The watchdog: the hold `hold_id` passed its deadline; wake its driver."""
        with self._state:
            if hold_id != self._hold_id:
                return  # that hold ended in time
            self._cut_off = True
            if self._connection is not None:
                self.dialect.interrupt(self._connection)

    def _abandon(self) -> None:
        """Give the connection up to whoever holds it, cut; the next use opens another."""
        with self._state:
            connection, self._connection = self._connection, None
            if connection is not None:
                self.dialect.interrupt(connection)

    def _discard(self, connection: Any) -> None:
        """Close `connection` (the holder's own) after a failure; never use it again."""
        with self._state:
            if self._connection is connection:
                self._connection = None
            with contextlib.suppress(Exception):
                connection.close()

    def _spoilt(self, exc: Exception) -> bool:
        """True when the connection `exc` came from can't be trusted with another statement."""
        return (
            self._cut_off
            or self.dialect.is_disconnect(exc)
            or self.dialect.classify(exc) is StoreUnavailable
        )

    def _may_retry(self, exc: Exception, reused: bool) -> bool:
        """Reopen once only for a connection kept from before that had died, not one we cut."""
        return (
            reused and not self._cut_off and self.dialect.is_disconnect(exc) and self._wait_s() > 0
        )


class Transaction:
    """The statements of one `SqlDatabase.transaction()`, on its connection."""

    def __init__(self, database: SqlDatabase, cursor: Any) -> None:
        self._dialect = database.dialect
        self._cursor = cursor

    def fetch_one_for_update(
        self, sql: str, params: Params | None = None
    ) -> tuple[Any, ...] | None:
        """The first row of a SELECT, locked until the transaction ends."""
        return self.fetch_one(sql + _FOR_UPDATE[self._dialect.name], params)

    def fetch_one(self, sql: str, params: Params | None = None) -> tuple[Any, ...] | None:
        self._cursor.execute(self._dialect.render(sql), dict(params or {}))
        row = self._cursor.fetchone()
        return None if row is None else tuple(row)

    def execute(self, sql: str, params: Params | None = None) -> None:
        self._cursor.execute(self._dialect.render(sql), dict(params or {}))
