"""`ivr seed` through `ivr.cli.main`: on SQLite and on DynamoDB (moto's server).

Besides the customers: business settings, PINs (checked with functions/pins.py, as verify_pin
does) and orders.
"""

from __future__ import annotations

import datetime
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from functions.config import (
    CUSTOMERS_TABLE,
    DATABASE_SECRET_ARN,
    DATABASE_URL,
    ORDER_STORE_BACKEND,
    STORE_BACKEND,
)
from functions.pins import verify_pin_hash
from functions.stores import registry
from functions.stores.business import BusinessStore
from functions.stores.dynamodb.business import DynamoBusinessStore
from functions.stores.dynamodb.customers import DynamoCustomerStore
from functions.stores.dynamodb.orders import DynamoOrderStore
from functions.stores.dynamodb.pins import DynamoPinStore
from functions.stores.orders import OrderStore
from functions.stores.pins import PinStore
from functions.stores.sql.business import SqlBusinessStore
from functions.stores.sql.customers import SqlCustomerStore
from functions.stores.sql.database import SqlDatabase
from functions.stores.sql.orders import SqlOrderStore
from functions.stores.sql.pins import SqlPinStore
from ivr.cli import main
from ivr.data_dir import DATA_DIR
from ivr.sample_data import SAMPLE_CUSTOMERS
from ivr.seeding.business import sample_closure
from ivr.seeding.orders import sample_credentials, sample_orders
from models.customer import Language, Tier
from tests.containers import close_stores

# The variable naming each table besides the customers', by template.yaml logical id.
OTHER_TABLES = {
    table.logical_id: table.variable
    for table in registry.TABLES
    if table.logical_id != "CustomersTable"
}
# Luhn over 2026001 gives check digit 4 (ivr/seeding/orders.py), the number the demo caller keys.
TARO_NUMBER, TARO_PIN = "20260014", "1234"


@pytest.fixture(autouse=True)
def fresh_factory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in (
        STORE_BACKEND,
        DATABASE_URL,
        DATABASE_SECRET_ARN,
        ORDER_STORE_BACKEND,
        CUSTOMERS_TABLE,
        *OTHER_TABLES.values(),
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    close_stores()
    yield
    close_stores()


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


def assert_pins_orders_and_business_are_there(
    pins: PinStore, orders: OrderStore, business: BusinessStore
) -> None:
    taro = SAMPLE_CUSTOMERS[0]
    record = pins.find_by_number(TARO_NUMBER)
    assert record is not None and record.customer_id == taro.customer_id
    assert verify_pin_hash(TARO_PIN, record.pin_hash)
    assert not verify_pin_hash("9999", record.pin_hash)
    for credential in sample_credentials():
        found = pins.get(credential.customer_id)
        assert found is not None and verify_pin_hash(credential.pin, found.pin_hash)
    expected = sample_orders(datetime.date.today())
    assert [orders.find(o.order_number) for o in expected] == list(expected)
    closure = sample_closure(datetime.date.today())
    assert closure.closure_id in {c.closure_id for c in business.settings().closures}


def test_seed_writes_pins_orders_and_business_settings_to_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/seeded.sqlite3"
    assert main(["seed", "--database-url", url]) == 0
    out = capsys.readouterr().out
    written = len(sample_credentials()) + len(sample_orders(datetime.date.today()))
    path = url.removeprefix("sqlite:///")
    pins = f"sqlite {path} (tables pins, pin_attempts, pin_attempt_claims)"
    assert f"PINs and orders into {pins} and sqlite {path} (table orders): {written} created" in out
    assert "seeded business settings in sqlite" in out
    # An empty database is migrated first, as `ivr db migrate` does.
    assert out.startswith("migrate    1  ")
    assert TARO_PIN not in out.replace(TARO_NUMBER, "")
    database = SqlDatabase(url)
    assert_pins_orders_and_business_are_there(
        SqlPinStore(database), SqlOrderStore(database), SqlBusinessStore(database)
    )
    database.close()


def test_seeding_pins_and_orders_twice_keeps_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/seeded.sqlite3"
    main(["seed", "--database-url", url])
    database = SqlDatabase(url)
    first_hash = SqlPinStore(database).get(SAMPLE_CUSTOMERS[0].customer_id)
    capsys.readouterr()
    assert main(["seed", "--database-url", url]) == 0
    written = len(sample_credentials()) + len(sample_orders(datetime.date.today()))
    assert f"0 created, 0 updated, {written} unchanged" in capsys.readouterr().out
    # Unchanged means untouched: the PIN keeps its salt.
    assert SqlPinStore(database).get(SAMPLE_CUSTOMERS[0].customer_id) == first_hash
    database.close()


def test_seed_defaults_to_the_embedded_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATA_DIR)  # tests/conftest.py's, so no test writes the checkout's .ivr/
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")  # the project root
    (tmp_path / "deeper").mkdir()
    os.chdir(tmp_path / "deeper")  # the cwd fixture puts it back
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


def test_seed_creates_every_dynamodb_table_and_fills_them(
    moto_server: str,
    dynamodb_client: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    suffix = uuid.uuid4().hex[:8]
    table = f"seeded-customers-{suffix}"
    others = {logical_id: f"seeded-{logical_id}-{suffix}" for logical_id in OTHER_TABLES}
    for logical_id, variable in OTHER_TABLES.items():
        monkeypatch.setenv(variable, others[logical_id])
    argv = ["seed", "--backend", "dynamodb", "--table", table, "--create-table"]
    try:
        assert main(argv) == 0
        out = capsys.readouterr().out
        for name in (table, *others.values()):
            assert f"created   table {name}" in out
        assert f"into dynamodb table {table}" in out
        store = DynamoCustomerStore(table, client=dynamodb_client)
        assert store.find_by_phone("+81312345678") == SAMPLE_CUSTOMERS[0]
        assert_pins_orders_and_business_are_there(
            DynamoPinStore(others["PinsTable"], others["PinAttemptsTable"], client=dynamodb_client),
            DynamoOrderStore(others["OrdersTable"], client=dynamodb_client),
            DynamoBusinessStore(others["BusinessTable"], client=dynamodb_client),
        )
        close_stores()
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert f"exists    table {table}" in out
        assert f"exists    table {others['OrdersTable']}" in out
        assert f"{len(SAMPLE_CUSTOMERS)} unchanged" in out
        written = len(sample_credentials()) + len(sample_orders(datetime.date.today()))
        assert f"0 created, 0 updated, {written} unchanged" in out
    finally:
        for name in (table, *others.values()):
            dynamodb_client.delete_table(TableName=name)


def test_seed_into_an_existing_table_named_by_the_environment(
    monkeypatch: pytest.MonkeyPatch,
    dynamodb_client: Any,
    dynamodb_table: Callable[[str], str],
) -> None:
    table = dynamodb_table("CustomersTable")
    for logical_id, variable in OTHER_TABLES.items():
        monkeypatch.setenv(variable, dynamodb_table(logical_id))
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
