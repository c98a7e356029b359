"""The SQL schema, in one place: an ordered list of migrations and the table that records them.

    schema_version(version PK, summary, applied_at)     one row per migration applied

`migrate(database)` applies the migrations a database lacks, in order, and records each one;
`ivr db migrate` and `ivr seed` run it (ivr/commands/db.py), never a request: a deployed
function runs no DDL. Against a database that lacks a table or column a store needs, a store
call fails with `StoreUnavailable` whose message says to run `ivr db migrate`
(dialects.py `UNMIGRATED_ADVICE`); the handler answers `unavailable` and the store's failure
log line carries that advice.

A migration is written once in portable SQL; what differs between SQLite, MariaDB/MySQL and
PostgreSQL (MySQL's table options, its DDL outside transactions) is the dialect's
(functions/stores/sql/dialects.py). Tables are created `IF NOT EXISTS`, so a database whose
tables an older version created on first use is adopted by migration 1 as it is, and two
`ivr db migrate` at once both succeed (the second finds the version row taken).

Never edit a migration that has shipped: append one. Column lengths follow the models
(models/*.py); E.164 is at most 15 digits after the "+".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from functions.errors import AlreadyExists

if TYPE_CHECKING:
    from functions.stores.sql.database import SqlDatabase

__all__ = [
    "LATEST",
    "MIGRATIONS",
    "VERSION_TABLE",
    "Column",
    "Migration",
    "Table",
    "applied",
    "migrate",
]

VERSION_TABLE = "schema_version"


@dataclass(frozen=True)
class Table:
    """A table to create: its column definitions, in SQL every dialect reads."""

    name: str
    columns: str


@dataclass(frozen=True)
class Column:
    """A column to add to an existing table, unless it is there already."""

    table: str
    name: str
    definition: str


@dataclass(frozen=True)
class Migration:
    """One step of the schema: tables to create, columns to add, then other statements.

    A step may run again, or twice at once: after a migrator died before recording the
    version, or while another `ivr db migrate` runs it. Tables are created IF NOT EXISTS and
    a column is added only when missing (`Column`, not an ALTER TABLE statement, which
    fails on the second run); write other statements so that a second run changes nothing.
    """

    version: int
    summary: str
    tables: tuple[Table, ...] = ()
    columns: tuple[Column, ...] = ()
    statements: tuple[str, ...] = ()


_VERSIONS = Table(
    VERSION_TABLE,
    "version INTEGER NOT NULL PRIMARY KEY, "
    "summary VARCHAR(200) NOT NULL, "
    "applied_at VARCHAR(32) NOT NULL",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "the stores' tables (customers, PINs, verifications, orders, business, callbacks)",
        tables=(
            Table(
                "customers",
                "customer_id VARCHAR(64) NOT NULL PRIMARY KEY, "
                "phone_e164 VARCHAR(16) NOT NULL UNIQUE, "
                "first_name VARCHAR(100) NOT NULL, "
                "last_name VARCHAR(100) NOT NULL DEFAULT '', "
                "preferred_language VARCHAR(8) NOT NULL, "
                "tier VARCHAR(16) NOT NULL",
            ),
            Table(
                "pins",
                "customer_id VARCHAR(64) NOT NULL PRIMARY KEY, "
                "customer_number VARCHAR(19) NOT NULL UNIQUE, "
                "pin_hash VARCHAR(255) NOT NULL",
            ),
            Table(
                "pin_attempts",
                "subject VARCHAR(64) NOT NULL PRIMARY KEY, "
                "failures INTEGER NOT NULL, "
                "window_start BIGINT NOT NULL",
            ),
            Table(
                "pin_verifications",
                "contact_key VARCHAR(128) NOT NULL PRIMARY KEY, "
                "customer_id VARCHAR(64) NOT NULL, "
                "expires_at BIGINT NOT NULL",
            ),
            Table(
                "orders",
                "order_number VARCHAR(10) NOT NULL PRIMARY KEY, "
                "customer_id VARCHAR(64) NOT NULL, "
                "status VARCHAR(16) NOT NULL, "
                "delivery_date DATE NULL",
            ),
            Table(
                "business_hours",
                "weekday SMALLINT NOT NULL PRIMARY KEY, "
                "opens_at VARCHAR(5) NULL, "
                "closes_at VARCHAR(5) NULL",
            ),
            Table(
                "business_closures",
                "closure_id VARCHAR(64) NOT NULL PRIMARY KEY, "
                "first_day VARCHAR(10) NOT NULL, "
                "last_day VARCHAR(10) NOT NULL, "
                "reason VARCHAR(200) NOT NULL DEFAULT '', "
                "announcement_ja VARCHAR(2000) NOT NULL DEFAULT '', "
                "announcement_en VARCHAR(2000) NOT NULL DEFAULT ''",
            ),
            Table(
                "business_emergency",
                "slot VARCHAR(16) NOT NULL PRIMARY KEY, "
                "text_ja VARCHAR(2000) NOT NULL DEFAULT '', "
                "text_en VARCHAR(2000) NOT NULL DEFAULT ''",
            ),
            Table(
                "callbacks",
                "contact_id VARCHAR(64) NOT NULL PRIMARY KEY, "
                "phone_e164 VARCHAR(16) NOT NULL, "
                "requested_at VARCHAR(32) NOT NULL, "
                "language VARCHAR(8) NOT NULL, "
                "status VARCHAR(16) NOT NULL",
            ),
        ),
    ),
    Migration(
        2,
        "PIN claim tokens: a claim resent after its COMMIT's answer was lost counts once",
        tables=(
            # One row per claim counted in a subject's current window (functions/stores/sql/
            # pins.py); a new window or a reset deletes the subject's rows, which the key's
            # prefix finds without an index of its own.
            Table(
                "pin_attempt_claims",
                "subject VARCHAR(64) NOT NULL, "
                "token VARCHAR(32) NOT NULL, "
                "failures INTEGER NOT NULL, "
                "window_start BIGINT NOT NULL, "
                "PRIMARY KEY (subject, token)",
            ),
        ),
    ),
    Migration(
        3,
        "callback purpose: what the caller wants to talk about, the outbound flow's greeting",
        # Rows booked before it are general: the default, as the DynamoDB items without it.
        columns=(Column("callbacks", "purpose", "VARCHAR(16) NOT NULL DEFAULT 'general'"),),
    ),
)

LATEST = MIGRATIONS[-1].version


def applied(database: SqlDatabase) -> set[int]:
    """The versions recorded in `database` (none when it has no version table yet)."""
    _create(database, _VERSIONS)
    return {int(row[0]) for row in database.fetch_all(f"SELECT version FROM {VERSION_TABLE}")}  # noqa: S608


def migrate(
    database: SqlDatabase,
    *,
    report: Callable[[Migration], None] = lambda _: None,
    now: Callable[[], datetime.datetime] = lambda: datetime.datetime.now(datetime.UTC),
    up_to: int = LATEST,
) -> list[int]:
    """Apply the migrations `database` lacks, in order, up to version `up_to` (a test of a
    later migration starts from the schema before it); the versions applied (maybe none).

    `report` is called before each one (the CLI prints it). A migration whose version row
    another migrator wrote meanwhile counts as applied by that one.
    """
    done = applied(database)
    ran: list[int] = []
    for migration in MIGRATIONS:
        if migration.version in done or migration.version > up_to:
            continue
        report(migration)
        for table in migration.tables:
            _create(database, table)
        for column in migration.columns:
            _add(database, column)
        for statement in migration.statements:
            database.execute(statement)
        try:
            database.execute(
                f"INSERT INTO {VERSION_TABLE} (version, summary, applied_at) "  # noqa: S608
                "VALUES (:version, :summary, :applied_at)",
                {
                    "version": migration.version,
                    "summary": migration.summary[:200],
                    "applied_at": now().isoformat(timespec="seconds"),
                },
            )
        except Exception as exc:
            if database.dialect.classify(exc) is not AlreadyExists:
                raise
            continue  # a concurrent `ivr db migrate` recorded it first
        ran.append(migration.version)
    return ran


def _create(database: SqlDatabase, table: Table) -> None:
    try:
        database.execute(database.dialect.create_table(table.name, table.columns))
    except Exception as exc:
        # PostgreSQL's IF NOT EXISTS can still lose a race on its catalog to a migrator
        # creating the same table (a unique violation on pg_type, or "type ... already
        # exists", DuplicateObject): the table then exists, which is all this step wants.
        if database.dialect.classify(exc) is not AlreadyExists and not _exists(database, table):
            raise


def _exists(database: SqlDatabase, table: Table) -> bool:
    return _answers(database, f"SELECT 1 FROM {table.name} WHERE 1 = 0")  # noqa: S608


def _answers(database: SqlDatabase, probe: str) -> bool:
    """Whether `probe` (a query of no rows) runs: the table or column it names exists."""
    try:
        database.fetch_all(probe)
    except Exception:
        return False
    return True


def _add(database: SqlDatabase, column: Column) -> None:
    if _has(database, column):
        return
    try:
        database.execute(f"ALTER TABLE {column.table} ADD COLUMN {column.name} {column.definition}")
    except Exception:
        # A concurrent migrator added it first ("duplicate column", worded differently by
        # each dialect): the column is there, which is all this step wants.
        if not _has(database, column):
            raise


def _has(database: SqlDatabase, column: Column) -> bool:
    return _answers(database, f"SELECT {column.name} FROM {column.table} WHERE 1 = 0")  # noqa: S608
