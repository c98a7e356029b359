"""`ivr seed` through `ivr.cli.main`: on SQLite and on DynamoDB (moto's server)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from functions.config import CUSTOMERS_TABLE, DATABASE_URL, STORE_BACKEND
from functions.stores import factory
from functions.stores.dynamodb.customers import DynamoCustomerStore
from functions.stores.sql.customers import SqlCustomerStore
from functions.stores.sql.database import SqlDatabase
from ivr.cli import main
from ivr.sample_data import SAMPLE_CUSTOMERS
from models.customer import Language, Tier


@pytest.fixture(autouse=True)
def fresh_factory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in (STORE_BACKEND, DATABASE_URL, CUSTOMERS_TABLE):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    factory.reset()
    yield
    factory.reset()


def test_the_sample_covers_the_demo_caller_languages_and_tiers() -> None:
    by_phone = {c.phone_e164: c for c in SAMPLE_CUSTOMERS}
    taro = by_phone["+81312345678"]
    assert (taro.first_name, taro.preferred_language, taro.tier) == ("Taro", "ja", "gold")
    assert "+819012345678" in by_phone
    assert {c.preferred_language for c in SAMPLE_CUSTOMERS} == set(Language)
    assert {c.tier for c in SAMPLE_CUSTOMERS} == set(Tier)
    assert any(c.phone_e164.startswith("+1") for c in SAMPLE_CUSTOMERS)
    assert len({c.customer_id for c in SAMPLE_CUSTOMERS}) == len(SAMPLE_CUSTOMERS)
    assert len(by_phone) == len(SAMPLE_CUSTOMERS)


def test_seed_writes_every_sample_customer_to_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/seeded.sqlite3"
    assert main(["seed", "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert sum(line.startswith("created ") for line in out.splitlines()) == len(SAMPLE_CUSTOMERS)
    assert "+81312345678" not in out  # numbers are masked
    assert f"{len(SAMPLE_CUSTOMERS)} created, 0 updated, 0 unchanged" in out
    database = SqlDatabase(url)
    store = SqlCustomerStore(database)
    assert [store.get(c.customer_id) for c in SAMPLE_CUSTOMERS] == list(SAMPLE_CUSTOMERS)
    database.close()


def test_seed_defaults_to_the_embedded_sqlite_file(tmp_path: Path) -> None:
    assert main(["seed"]) == 0
    assert (tmp_path / ".ivr" / "ivr.sqlite3").is_file()


def test_seeding_twice_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/seeded.sqlite3"
    main(["seed", "--database-url", url])
    capsys.readouterr()
    assert main(["seed", "--database-url", url]) == 0
    assert f"0 created, 0 updated, {len(SAMPLE_CUSTOMERS)} unchanged" in capsys.readouterr().out


def test_seed_restores_an_edited_customer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/seeded.sqlite3"
    main(["seed", "--database-url", url])
    database = SqlDatabase(url)
    store = SqlCustomerStore(database)
    taro = SAMPLE_CUSTOMERS[0]
    store.put(taro.model_copy(update={"tier": Tier.STANDARD}))
    capsys.readouterr()
    main(["seed", "--database-url", url])
    assert "1 updated" in capsys.readouterr().out
    assert store.get(taro.customer_id) == taro
    database.close()


def test_seed_creates_the_dynamodb_table_and_fills_it(
    moto_server: str, dynamodb_client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    table = "seeded-customers"
    argv = ["seed", "--backend", "dynamodb", "--table", table, "--create-table"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"created   table {table}" in out
    assert f"into dynamodb table {table}" in out
    store = DynamoCustomerStore(table, client=dynamodb_client)
    assert store.find_by_phone("+81312345678") == SAMPLE_CUSTOMERS[0]
    factory.reset()
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"exists    table {table}" in out
    assert f"{len(SAMPLE_CUSTOMERS)} unchanged" in out
    dynamodb_client.delete_table(TableName=table)


def test_seed_into_an_existing_table_named_by_the_environment(
    monkeypatch: pytest.MonkeyPatch,
    dynamodb_client: Any,
    dynamodb_table: Callable[[str], str],
) -> None:
    table = dynamodb_table("CustomersTable")
    monkeypatch.setenv(STORE_BACKEND, "dynamodb")
    monkeypatch.setenv(CUSTOMERS_TABLE, table)
    assert main(["seed"]) == 0
    store = DynamoCustomerStore(table, client=dynamodb_client)
    assert store.get("cust-0003").first_name == "Jane"


def test_seed_into_a_missing_table_says_to_create_it(
    moto_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed", "--backend", "dynamodb", "--table", "absent"]) == 2
    last_line = capsys.readouterr().err.splitlines()[-1]  # after the store's JSON log line
    assert last_line.startswith("ivr seed: dynamodb table 'absent'")
    assert "IVR_CUSTOMERS_TABLE" in last_line
    assert "--create-table" in last_line


def test_a_bad_database_url_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed", "--database-url", "oracle://db/ivr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "IVR_DATABASE_URL" in err
