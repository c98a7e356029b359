"""One SQL database, named by a URL, with one connection reused for the container's life.

    sqlite:///relative/path.sqlite3     sqlite:////absolute/path.sqlite3     sqlite:///:memory:
    mysql://user:pass@host:3306/db      (also mariadb://, mysql+pymysql://; PyMySQL)
    postgresql://user:pass@host:5432/db (also postgres://, postgresql+psycopg://; psycopg 3)

The connection is opened on first use (so importing costs nothing and only the driver the URL
names is imported), kept across invocations, and re-opened once when a reused connection turns
out to have died. Every statement is parameterized; tables are created on first use with
`CREATE TABLE IF NOT EXISTS`, which is safe when two containers do it at once.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from functions.config import DATABASE_URL
from functions.errors import ConfigurationError, StoreError
from functions.stores.sql.dialects import (
    Dialect,
    Endpoint,
    MysqlDialect,
    PostgresDialect,
    SqliteDialect,
    Timeouts,
)

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
    """A database URL turned into a lazily opened, reused, self-healing connection."""

    def __init__(self, url: str, *, timeouts: Timeouts | None = None) -> None:
        self.dialect = parse_url(url)
        self.timeouts = timeouts or Timeouts()
        self._connection: Any = None
        self._schemas: set[str] = set()
        # One container runs one invocation at a time, but the runtime's deadline runs the
        # handler in a worker thread; a lock keeps two statements off one connection.
        self._lock = threading.RLock()

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

    def ensure_table(self, name: str, columns_ddl: str) -> None:
        """Create `name` unless it exists: once per container, safe against a concurrent twin."""
        if name in self._schemas:
            return
        ddl = f"CREATE TABLE IF NOT EXISTS {name} ({columns_ddl}){self.dialect.table_options}"
        try:
            self.execute(ddl)
        except Exception:
            # PostgreSQL's IF NOT EXISTS can still lose a race on its catalog (unique
            # violation on pg_type) when another process creates the table at the same
            # moment; the table then exists, which is all we wanted.
            self.execute(f"SELECT 1 FROM {name} WHERE 1 = 0")  # noqa: S608 - name is ours
        self._schemas.add(name)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Statements in one write transaction: committed at the end, rolled back on error.

        Read the rows you will change with `Transaction.fetch_one_for_update`: concurrent
        transactions on other connections then wait for this one, whatever the dialect.
        """
        with self._lock:
            cursor = self._begin()
            try:
                yield Transaction(self, cursor)
            except BaseException:
                with contextlib.suppress(Exception):
                    cursor.execute("ROLLBACK")
                raise
            else:
                cursor.execute("COMMIT")
            finally:
                cursor.close()

    def _begin(self) -> Any:
        begin = _BEGIN_WRITE[self.dialect.name]
        reused = self._connection is not None
        try:
            return self._cursor_after(begin)
        except Exception as exc:
            if not (reused and self.dialect.is_disconnect(exc)):
                raise
        # The kept connection died between invocations: open a new one, once.
        self.close()
        return self._cursor_after(begin)

    def _cursor_after(self, statement: str) -> Any:
        if self._connection is None:
            self._connection = self.dialect.connect(self.timeouts)
        cursor = self._connection.cursor()
        try:
            cursor.execute(statement)
        except BaseException:
            cursor.close()
            raise
        return cursor

    def close(self) -> None:
        with self._lock:
            connection, self._connection = self._connection, None
            if connection is not None:
                # Closing a dead connection may fail; it is gone either way.
                with contextlib.suppress(Exception):
                    connection.close()

    def _run(self, sql: str, params: Params, *, fetch: bool) -> list[tuple[Any, ...]]:
        rendered = self.dialect.render(sql)
        with self._lock:
            reused = self._connection is not None
            try:
                return self._on_connection(rendered, params, fetch)
            except StoreError:
                raise
            except Exception as exc:
                if not (reused and self.dialect.is_disconnect(exc)):
                    raise
            # The kept connection died between invocations: open a new one, once.
            self.close()
            return self._on_connection(rendered, params, fetch)

    def _on_connection(self, sql: str, params: Params, fetch: bool) -> list[tuple[Any, ...]]:
        if self._connection is None:
            self._connection = self.dialect.connect(self.timeouts)
        cursor = self._connection.cursor()
        try:
            cursor.execute(sql, dict(params))
            return [tuple(row) for row in cursor.fetchall()] if fetch else []
        finally:
            cursor.close()


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
