"""What differs between SQLite, MariaDB/MySQL and PostgreSQL, and nothing else.

Each dialect knows how to open a connection with its driver (imported here, lazily: only the
driver the URL names is ever loaded, which keeps cold starts short), how to write its
placeholders, its upsert and CREATE TABLE, and which of its errors mean "try later"
(`StoreUnavailable`), "fix the configuration" (`ConfigurationError`), "the key is taken"
(`AlreadyExists`) or "the schema is older than the code" (`is_unmigrated`: a missing table or
column, answered as `StoreUnavailable` with `UNMIGRATED_ADVICE`).

SQL is written once with named placeholders (`:name`) and rendered per dialect by `render`.
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
import os
import re
import socket
import sys
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from functions.config import DATABASE_URL
from functions.errors import AlreadyExists, ConfigurationError, StoreError, StoreUnavailable
from functions.privacy import mask_text

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")

# The server chose the transaction as a deadlock's victim and rolled it back.
MYSQL_DEADLOCK = 1213  # ER_LOCK_DEADLOCK
POSTGRES_DEADLOCK = "40P01"  # deadlock_detected

# PyMySQL error numbers (pymysql.constants.ER / CR): client-side CR_* and server-side ER_*.
MYSQL_ERRORS: dict[int, type[StoreError]] = {
    2003: StoreUnavailable,  # CR_CONN_HOST_ERROR: can't connect (refused, timed out)
    2006: StoreUnavailable,  # CR_SERVER_GONE_ERROR
    2013: StoreUnavailable,  # CR_SERVER_LOST: lost connection during a query (read timeout)
    1040: StoreUnavailable,  # ER_CON_COUNT_ERROR: too many connections
    1205: StoreUnavailable,  # ER_LOCK_WAIT_TIMEOUT
    MYSQL_DEADLOCK: StoreUnavailable,
    1045: ConfigurationError,  # ER_ACCESS_DENIED_ERROR: wrong user or password
    1044: ConfigurationError,  # ER_DBACCESS_DENIED_ERROR
    1049: ConfigurationError,  # ER_BAD_DB_ERROR: unknown database
    1142: ConfigurationError,  # ER_TABLEACCESS_DENIED_ERROR
    1062: AlreadyExists,  # ER_DUP_ENTRY
}
# PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
POSTGRES_ERRORS: dict[str, type[StoreError]] = {
    "08000": StoreUnavailable,  # connection_exception
    "08001": StoreUnavailable,  # sqlclient_unable_to_establish_sqlconnection
    "08003": StoreUnavailable,  # connection_does_not_exist
    "08006": StoreUnavailable,  # connection_failure
    "53300": StoreUnavailable,  # too_many_connections
    "57014": StoreUnavailable,  # query_canceled (statement_timeout)
    "57P01": StoreUnavailable,  # admin_shutdown
    "57P03": StoreUnavailable,  # cannot_connect_now (starting up)
    "40001": StoreUnavailable,  # serialization_failure
    POSTGRES_DEADLOCK: StoreUnavailable,
    "28000": ConfigurationError,  # invalid_authorization_specification
    "28P01": ConfigurationError,  # invalid_password
    "3D000": ConfigurationError,  # invalid_catalog_name: unknown database
    "42501": ConfigurationError,  # insufficient_privilege
    "23505": AlreadyExists,  # unique_violation
}
# SQLite extended result code names (sqlite3.Error.sqlite_errorname, Python 3.11+).
SQLITE_ERRORS: dict[str, type[StoreError]] = {
    "SQLITE_BUSY": StoreUnavailable,  # another writer held the lock past the busy timeout
    "SQLITE_LOCKED": StoreUnavailable,
    "SQLITE_CANTOPEN": ConfigurationError,  # the file or its folder can't be opened
    "SQLITE_READONLY": ConfigurationError,
    "SQLITE_PERM": ConfigurationError,
    "SQLITE_NOTADB": ConfigurationError,  # the path is not an SQLite file
    "SQLITE_CONSTRAINT_PRIMARYKEY": AlreadyExists,
    "SQLITE_CONSTRAINT_UNIQUE": AlreadyExists,
}

# libpq reports a server's refusal at connect time as text only (no SQLSTATE reaches psycopg):
# these refusals are configuration (3D000, 28000, 28P01), not a server in trouble.
_POSTGRES_REFUSED_LOGIN = re.compile(
    r"FATAL:\s+(database \".*\" does not exist|role \".*\" does not exist"
    r"|password authentication failed|no pg_hba\.conf entry)"
)

# A table or column the code needs is missing: the database was not migrated to this version.
MYSQL_UNMIGRATED = {1146, 1054}  # ER_NO_SUCH_TABLE, ER_BAD_FIELD_ERROR
POSTGRES_UNMIGRATED = {"42P01", "42703"}  # undefined_table, undefined_column
_SQLITE_UNMIGRATED = re.compile(r"^no such (table|column)\b")
UNMIGRATED_ADVICE = (
    "the database schema is older than this code: run `ivr db migrate` against it "
    "(deploy/README.md, Migrations)"
)

_ADVICE: dict[type[StoreError], str] = {
    StoreUnavailable: "the database did not answer in time or refused; try again later",
    ConfigurationError: f"check {DATABASE_URL}: the URL, the database and its grants",
    AlreadyExists: "the key is already taken",
}


@dataclass(frozen=True)
class Timeouts:
    """Seconds: short enough that a failure still answers inside Connect's 3 s default.

    These are the ceilings. Inside an invocation `SqlDatabase` lowers `connect_s` to what is
    left of the call's budget (functions/deadline.py) and cuts any statement still running at
    the deadline (functions/stores/sql/watchdog.py); outside one (tests, `ivr seed`) a use of
    the connection may take `connect_s + statement_s` in all.
    """

    connect_s: float = 2.0
    statement_s: float = 2.0


@dataclass(frozen=True)
class Endpoint:
    """Where a server database lives, parsed from the URL."""

    host: str
    port: int
    user: str
    password: str
    database: str

    def describe(self) -> str:
        """For messages and logs: never the password."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


class Dialect(ABC):
    name: str
    #: Appended to CREATE TABLE (MySQL's character set; nothing elsewhere).
    table_options: str = ""

    @abstractmethod
    def connect(self, timeouts: Timeouts) -> Any:
        """A new DB-API connection in autocommit mode."""

    @abstractmethod
    def describe(self) -> str:
        """Where the database is, for messages (no password)."""

    @abstractmethod
    def render(self, sql: str) -> str:
        """`sql` with `:name` placeholders in the driver's paramstyle."""

    @abstractmethod
    def upsert(self, table: str, key: str, columns: Sequence[str]) -> str:
        """INSERT of `columns` (named placeholders) that replaces the row with the same key."""

    @abstractmethod
    def classify(self, exc: Exception) -> type[StoreError] | None:
        """Which of our errors `exc` is, or None when it is not this driver's error."""

    def is_disconnect(self, exc: Exception) -> bool:
        """True when a reused connection has died (server restarted, idle time-out)."""
        return False

    def is_deadlock(self, exc: Exception) -> bool:
        """True when the server rolled this transaction back to break a deadlock."""
        return False

    @abstractmethod
    def is_unmigrated(self, exc: Exception) -> bool:
        """True when `exc` names a table or column the database lacks (run the migrations)."""

    def create_table(self, name: str, columns: str) -> str:
        """CREATE TABLE `name` unless it exists (functions/stores/sql/schema.py)."""
        return f"CREATE TABLE IF NOT EXISTS {name} ({columns}){self.table_options}"

    #: True when the connection is a network socket `interrupt` can cut (not SQLite's file).
    interruptible: bool = False

    def interrupt(self, connection: Any) -> None:
        """Wake whoever waits on `connection` now, from another thread; it then fails.

        Only a shutdown of the socket, never a close: the thread using the connection still
        owns it (and its file descriptor), and closes it when its statement fails.
        """
        return  # SQLite: no socket; its busy time-out bounds every wait

    def translate(self, exc: Exception) -> StoreError | None:
        kind = self.classify(exc)
        advice = _ADVICE.get(kind) if kind else None
        if self.is_unmigrated(exc):
            kind, advice = StoreUnavailable, UNMIGRATED_ADVICE
        if kind is None:
            return None
        detail = mask_text(str(exc).strip() or type(exc).__name__)
        return kind(f"{self.name} {self.describe()}: {detail} ({advice})")


def _pyformat(sql: str) -> str:
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def _on_conflict_upsert(table: str, key: str, columns: Sequence[str]) -> str:
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
    # Identifiers come from the stores' constants, never from input; values are bound.
    return (
        f"INSERT INTO {table} ({names}) VALUES ({values}) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
    )


class SqliteDialect(Dialect):
    name = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path

    def describe(self) -> str:
        return self.path

    def connect(self, timeouts: Timeouts) -> Any:
        import sqlite3

        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot create the folder of SQLite file {self.path}: {exc.strerror}; "
                    "set IVR_DATABASE_URL to a writable path"
                ) from exc
        # isolation_level=None: autocommit, like the other dialects; `timeout` is how long a
        # writer waits for another process's lock before SQLITE_BUSY.
        return sqlite3.connect(
            self.path, timeout=timeouts.statement_s, isolation_level=None, check_same_thread=False
        )

    def render(self, sql: str) -> str:
        return sql  # sqlite3 reads :name natively

    def upsert(self, table: str, key: str, columns: Sequence[str]) -> str:
        return _on_conflict_upsert(table, key, columns)

    def classify(self, exc: Exception) -> type[StoreError] | None:
        import sqlite3

        if not isinstance(exc, sqlite3.Error):
            return None
        name = getattr(exc, "sqlite_errorname", "") or ""
        # An extended code (SQLITE_BUSY_SNAPSHOT) falls back on its primary (SQLITE_BUSY).
        primary = "_".join(name.split("_")[:2])
        return SQLITE_ERRORS.get(name) or SQLITE_ERRORS.get(primary)

    def is_unmigrated(self, exc: Exception) -> bool:
        import sqlite3

        # sqlite3 reports both as a bare SQLITE_ERROR: only the message tells them apart.
        return isinstance(exc, sqlite3.OperationalError) and bool(
            _SQLITE_UNMIGRATED.match(str(exc))
        )


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine (localhost, 127.0.0.0/8, ::1)."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: resolved by the driver, may be anywhere


def _mysql_code(exc: Exception) -> int | None:
    """The error number of a PyMySQL error; None for any other exception."""
    pymysql = sys.modules.get("pymysql")
    if pymysql is None or not isinstance(exc, pymysql.err.MySQLError):
        return None
    code = exc.args[0] if exc.args else None
    return code if isinstance(code, int) else None


def _sqlstate(exc: Exception) -> str | None:
    """The SQLSTATE of a psycopg error; None for any other exception, or when it has none."""
    psycopg = sys.modules.get("psycopg")
    if psycopg is None or not isinstance(exc, psycopg.Error):
        return None
    state: str | None = getattr(exc, "sqlstate", None)
    return state


class MysqlDialect(Dialect):
    name = "mysql"
    # utf8mb4 for names in any script; _bin so ids compare exactly, as on the other stores.
    table_options = " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    def describe(self) -> str:
        return self.endpoint.describe()

    def connect(self, timeouts: Timeouts) -> Any:
        pymysql = _import_driver("pymysql", "mysql")
        e = self.endpoint
        return pymysql.connect(
            host=e.host,
            port=e.port,
            user=e.user,
            password=e.password,
            database=e.database,
            charset="utf8mb4",
            autocommit=True,
            # Socket time-outs (PyMySQL sets them with socket.settimeout): connect_timeout on
            # the TCP connect, read_timeout on every read, the handshake's included, and
            # write_timeout on every send. https://pymysql.readthedocs.io/en/latest/modules/connections.html
            connect_timeout=max(0.05, timeouts.connect_s),
            read_timeout=timeouts.statement_s,
            write_timeout=timeouts.statement_s,
            # PyMySQL 1.2 tries TLS unless told not to, building a context per connection that
            # loads the system CA store (~20 ms of CPU) to verify nothing. Traffic to a
            # loopback address never leaves the machine: no TLS there. Elsewhere its default.
            ssl_disabled=True if is_loopback(e.host) else None,
        )

    def render(self, sql: str) -> str:
        return _pyformat(sql)

    def upsert(self, table: str, key: str, columns: Sequence[str]) -> str:
        # VALUES(col), not the 8.0.19 row alias: MariaDB knows only VALUES().
        names = ", ".join(columns)
        values = ", ".join(f":{c}" for c in columns)
        updates = ", ".join(f"{c} = VALUES({c})" for c in columns if c != key)
        return (
            f"INSERT INTO {table} ({names}) VALUES ({values}) "  # noqa: S608 - see above
            f"ON DUPLICATE KEY UPDATE {updates}"
        )

    def classify(self, exc: Exception) -> type[StoreError] | None:
        pymysql = sys.modules.get("pymysql")
        if pymysql is None or not isinstance(exc, pymysql.err.MySQLError):
            return None
        code = _mysql_code(exc)
        if code in MYSQL_ERRORS:
            return MYSQL_ERRORS[code]
        if isinstance(exc, pymysql.err.OperationalError | pymysql.err.InterfaceError):
            return StoreUnavailable
        return None

    def is_unmigrated(self, exc: Exception) -> bool:
        return _mysql_code(exc) in MYSQL_UNMIGRATED

    def is_deadlock(self, exc: Exception) -> bool:
        return _mysql_code(exc) == MYSQL_DEADLOCK

    def is_disconnect(self, exc: Exception) -> bool:
        pymysql = sys.modules.get("pymysql")
        if pymysql is None:
            return False
        if isinstance(exc, pymysql.err.InterfaceError):  # "(0, '')": the socket is closed
            return True
        return isinstance(exc, pymysql.err.OperationalError) and exc.args[:1] in [
            (2006,),
            (2013,),
            (4031,),  # ER_CLIENT_INTERACTION_TIMEOUT: idle connection closed by the server
        ]

    interruptible = True

    def interrupt(self, connection: Any) -> None:
        # PyMySQL keeps its socket in `_sock` (None once closed) and has no public accessor;
        # its read then returns b"" and raises OperationalError 2013 (CR_SERVER_LOST).
        sock = getattr(connection, "_sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class PostgresDialect(Dialect):
    name = "postgresql"

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    def describe(self) -> str:
        return self.endpoint.describe()

    def connect(self, timeouts: Timeouts) -> Any:
        psycopg = _import_driver("psycopg", "postgresql")
        e = self.endpoint
        return psycopg.connect(
            host=e.host,
            port=e.port,
            user=e.user,
            password=e.password or None,
            dbname=e.database,
            autocommit=True,
            # libpq reads whole seconds and treats anything under 2 as 2 (psycopg enforces the
            # same in Python: conninfo.timeout_from_conninfo); the only bound on a connect to
            # a server that accepts and never answers, as no socket exists yet to interrupt.
            connect_timeout=max(2, math.ceil(timeouts.connect_s)),
            # Server side only: a statement the server is slow on. A silent network is the
            # watchdog's (functions/stores/sql/watchdog.py).
            options=f"-c statement_timeout={int(timeouts.statement_s * 1000)}",
            # A peer that vanished (failover, a dropped NAT entry) while the connection sat
            # idle between invocations, or that stops acknowledging what we send: the kernel
            # drops the connection instead of retransmitting for ~15 minutes, so the next call
            # finds it dead and reconnects. libpq parameters keepalives*, tcp_user_timeout:
            # https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=5,
            keepalives_count=3,
            tcp_user_timeout=int((timeouts.connect_s + timeouts.statement_s) * 1000),
        )

    def render(self, sql: str) -> str:
        return _pyformat(sql)

    def upsert(self, table: str, key: str, columns: Sequence[str]) -> str:
        return _on_conflict_upsert(table, key, columns)

    def classify(self, exc: Exception) -> type[StoreError] | None:
        psycopg = sys.modules.get("psycopg")
        if psycopg is None or not isinstance(exc, psycopg.Error):
            return None
        state = _sqlstate(exc)
        if state in POSTGRES_ERRORS:
            return POSTGRES_ERRORS[state]
        if state and state[:2] in ("08", "53", "57"):  # connection, resources, intervention
            return StoreUnavailable
        if state is None and _POSTGRES_REFUSED_LOGIN.search(str(exc)):
            return ConfigurationError
        if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
            return StoreUnavailable  # refused or timed out before the server said anything
        return None

    def is_unmigrated(self, exc: Exception) -> bool:
        return _sqlstate(exc) in POSTGRES_UNMIGRATED

    def is_deadlock(self, exc: Exception) -> bool:
        return _sqlstate(exc) == POSTGRES_DEADLOCK

    def is_disconnect(self, exc: Exception) -> bool:
        psycopg = sys.modules.get("psycopg")
        if psycopg is None or not isinstance(
            exc, psycopg.OperationalError | psycopg.InterfaceError
        ):
            return False
        state = getattr(exc, "sqlstate", None)
        return state is None or state[:2] in ("08", "57")

    interruptible = True

    def interrupt(self, connection: Any) -> None:
        # `Connection.fileno()` is libpq's socket (PQsocket); shutting it down makes psycopg's
        # wait see end-of-file, and libpq reports "server closed the connection unexpectedly"
        # (OperationalError, no SQLSTATE). https://www.psycopg.org/psycopg3/docs/api/connections.html
        try:
            fd = connection.fileno()
        except Exception:  # already closed: nothing waits on it
            return
        # A duplicate descriptor: shutdown acts on the socket both share, and closing ours
        # leaves psycopg's descriptor open for it to close.
        with contextlib.suppress(OSError), socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)


def _import_driver(module: str, extra: str) -> Any:
    try:
        return __import__(module)
    except ImportError as exc:
        raise ConfigurationError(
            f"the {extra} driver ({module}) is not installed: install connect-ivr[{extra}]"
        ) from exc
