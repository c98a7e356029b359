"""The SQL schema's migrations on SQLite, MariaDB and PostgreSQL: applied in order and once,
safe when two migrators race, adopting tables an older version made, and what a store says
against a database nobody migrated (`ivr db migrate`)."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import pytest

from functions.errors import StoreUnavailable
from functions.pins import LockoutPolicy
from functions.stores.sql.customers import SqlCustomerStore
from functions.stores.sql.database import SqlDatabase
from functions.stores.sql.pins import SqlPinStore
from functions.stores.sql.schema import LATEST, MIGRATIONS, VERSION_TABLE, applied, migrate
from ivr.cli import main
from models.customer import Customer
from tests.conftest import SqlBackend
from tests.containers import close_stores

EVENTS = Path(__file__).resolve().parents[1] / "events"
SCHEMA_TABLES = {VERSION_TABLE} | {t.name for m in MIGRATIONS for t in m.tables}
TARO = Customer(customer_id="cust-0001", phone_e164="+81312345678", first_name="Taro")


@pytest.fixture
def empty(sql_backend: SqlBackend) -> SqlBackend:
    """The backend's database with no table at all (the fixtures migrate it)."""
    sql_backend.drop_tables()
    return sql_backend


def test_migrate_creates_every_table_once_and_records_each_version(empty: SqlBackend) -> None:
    database = SqlDatabase(empty.url)
    try:
        assert migrate(database) == [m.version for m in MIGRATIONS]
        assert set(empty.tables()) == SCHEMA_TABLES
        assert migrate(database) == []  # nothing left to do
        assert applied(database) == set(range(1, LATEST + 1))
    finally:
        database.close()
    assert sorted(row[0] for row in empty.query(f"SELECT version FROM {VERSION_TABLE}")) == list(
        range(1, LATEST + 1)
    )


def test_concurrent_migrators_all_succeed(empty: SqlBackend) -> None:
    # Several `ivr db migrate` (or `ivr seed`) at once, each on its own connection.
    racers = 4
    start = threading.Barrier(racers)
    errors: list[BaseException] = []
    ran: list[list[int]] = []

    def run() -> None:
        database = SqlDatabase(empty.url)
        try:
            start.wait()
            ran.append(migrate(database))
        except BaseException as exc:  # collected, asserted below
            errors.append(exc)
        finally:
            database.close()

    threads = [threading.Thread(target=run) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(empty.tables()) == SCHEMA_TABLES
    # Each version was recorded by exactly one of them.
    assert sorted(v for versions in ran for v in versions) == [m.version for m in MIGRATIONS]


def test_tables_an_older_version_created_are_adopted_with_their_rows(empty: SqlBackend) -> None:
    # Before migrations, stores created their tables on first use, with migration 1's columns.
    customers = next(t for t in MIGRATIONS[0].tables if t.name == "customers")
    empty.execute(f"CREATE TABLE customers ({customers.columns})")
    empty.execute(
        "INSERT INTO customers (customer_id, phone_e164, first_name, last_name, "
        "preferred_language, tier) VALUES (?, ?, ?, ?, ?, ?)",
        ["cust-0001", "+81312345678", "Taro", "", "ja", "standard"],
    )
    database = SqlDatabase(empty.url)
    try:
        migrate(database)
        assert SqlCustomerStore(database).get("cust-0001") == TARO
    finally:
        database.close()


def test_a_store_on_an_unmigrated_database_is_unavailable_and_says_to_migrate(
    empty: SqlBackend, caplog: pytest.LogCaptureFixture
) -> None:
    database = SqlDatabase(empty.url)
    try:
        with caplog.at_level(logging.WARNING), pytest.raises(StoreUnavailable) as caught:
            SqlCustomerStore(database).find_by_phone(TARO.phone_e164)
        assert "run `ivr db migrate`" in str(caught.value)
        # The one log line an admin sees says the same, with the number masked.
        logged = [r.__dict__ for r in caplog.records if getattr(r, "store_operation", None)]
        assert len(logged) == 1 and "ivr db migrate" in logged[0]["error"]
        assert logged[0]["phone"] == "+81*******78"
        # No request creates a table: the database is as it was.
        assert empty.tables() == []
    finally:
        database.close()


def test_a_database_behind_by_one_migration_says_to_migrate(empty: SqlBackend) -> None:
    # Migration 1 only: the PIN store's claim tokens (migration 2) are missing.
    database = SqlDatabase(empty.url)
    try:
        for table in MIGRATIONS[0].tables:
            database.execute(database.dialect.create_table(table.name, table.columns))
        store = SqlPinStore(database)
        with pytest.raises(StoreUnavailable, match="ivr db migrate"):
            store.claim_attempt("cust-0001", 1_800_000_000, LockoutPolicy())
    finally:
        database.close()


def test_ivr_db_status_and_migrate(empty: SqlBackend, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "status", "--database-url", empty.url]) == 1
    assert f"pending    1  {MIGRATIONS[0].summary}" in capsys.readouterr().out
    assert main(["db", "migrate", "--database-url", empty.url]) == 0
    out = capsys.readouterr().out
    assert f"migrate    {LATEST}  {MIGRATIONS[-1].summary}" in out
    assert f"applied {len(MIGRATIONS)} migrations (schema version {LATEST})" in out
    assert main(["db", "migrate", "--database-url", empty.url]) == 0
    assert f"up to date (schema version {LATEST})" in capsys.readouterr().out
    assert main(["db", "status", "--database-url", empty.url]) == 0
    assert f"{len(MIGRATIONS)} applied, 0 pending" in capsys.readouterr().out


def test_ivr_db_migrate_names_a_database_it_cannot_reach(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["db", "migrate", "--database-url", "mysql://root@127.0.0.1:1/ivr"]) == 2
    assert "ivr db: " in capsys.readouterr().err


def test_a_deployed_function_on_an_unmigrated_database_answers_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from functions import identify_caller
    from tests.containers import invoke_in_environment

    url = f"sqlite:///{tmp_path / 'ivr.sqlite3'}"
    monkeypatch.setenv("IVR_STORE_BACKEND", "sql")
    monkeypatch.setenv("IVR_DATABASE_URL", url)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    event = json.loads((EVENTS / "known_caller.json").read_text(encoding="utf-8"))
    close_stores()
    try:
        with caplog.at_level(logging.WARNING):
            answer = invoke_in_environment(identify_caller.handler, event)
        assert answer["status"] == "unavailable"
        assert any("ivr db migrate" in str(getattr(r, "error", "")) for r in caplog.records)
        # Once the admin has run it, the same call is answered.
        assert main(["db", "migrate", "--database-url", url]) == 0
        close_stores()
        answer = invoke_in_environment(identify_caller.handler, event)
        assert (answer["status"], answer["customerFound"]) == ("ok", "false")
    finally:
        close_stores()
