"""`Stores` of `StoreSettings.from_env()`: the backend chosen by the environment, unless an
explicit setting (`overridden`, what `ivr seed`'s options give) beats it; each store built once."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from functions.config import (
    CUSTOMERS_TABLE,
    DATABASE_SECRET_ARN,
    DATABASE_URL,
    STORE_BACKEND,
)
from functions.errors import ConfigurationError
from functions.stores import registry
from functions.stores.bundle import Stores, StoreSettings
from functions.stores.dynamodb.customers import DynamoCustomerStore
from functions.stores.sql.customers import SqlCustomerStore
from functions.stores.sql.schema import migrate
from models.customer import Customer

ROOT = Path(__file__).resolve().parents[2]
TARO = Customer(customer_id="cust-0001", phone_e164="+81312345678", first_name="Taro")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in (STORE_BACKEND, DATABASE_URL, DATABASE_SECRET_ARN, CUSTOMERS_TABLE):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture
def stores() -> Iterator[Stores]:
    """The stores a container builds from the environment the test set."""
    built = Stores(StoreSettings.from_env())
    yield built
    built.close()


def test_the_default_is_the_embedded_sqlite_file(stores: Stores, tmp_path: Path) -> None:
    store = stores.customers
    assert isinstance(store, SqlCustomerStore)
    migrate(stores.sql_database())
    store.put(TARO)
    assert (tmp_path / ".ivr" / "ivr.sqlite3").is_file()


def test_the_store_is_built_once_per_container(stores: Stores) -> None:
    assert stores.customers is stores.customers


def test_two_containers_share_no_store() -> None:
    first, second = Stores(StoreSettings.from_env()), Stores(StoreSettings.from_env())
    try:
        assert first.customers is not second.customers
        assert first.sql_database() is not second.sql_database()
    finally:
        first.close()
        second.close()


def test_close_forgets_the_built_stores(stores: Stores) -> None:
    first = stores.customers
    stores.close()
    assert stores.customers is not first


def test_the_database_url_variable_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stores: Stores
) -> None:
    monkeypatch.setenv(DATABASE_URL, f"sqlite:///{tmp_path}/from-env.sqlite3")
    migrate(stores.sql_database())
    stores.customers.put(TARO)
    assert (tmp_path / "from-env.sqlite3").is_file()


def test_an_explicit_url_beats_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(DATABASE_URL, f"sqlite:///{tmp_path}/from-env.sqlite3")
    explicit = f"sqlite:///{tmp_path}/explicit.sqlite3"
    stores = Stores(StoreSettings.from_env().overridden(database_url=explicit))
    migrate(stores.sql_database())
    stores.customers.put(TARO)
    stores.close()
    assert (tmp_path / "explicit.sqlite3").is_file()
    assert not (tmp_path / "from-env.sqlite3").exists()


def test_an_explicit_backend_beats_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STORE_BACKEND, "dynamodb")
    stores = Stores(StoreSettings.from_env().overridden("sql"))
    assert isinstance(stores.customers, SqlCustomerStore)
    stores.close()


def test_stores_of_one_database_share_its_connection(stores: Stores) -> None:
    store = stores.customers
    assert isinstance(store, SqlCustomerStore)
    assert store.database is stores.sql_database()


@pytest.mark.parametrize("value", ["oracle", "SQLite", "dynamo"])
def test_an_unknown_backend_names_the_variable_and_the_choices(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(STORE_BACKEND, value)
    with pytest.raises(ConfigurationError, match=STORE_BACKEND) as caught:
        Stores(StoreSettings.from_env()).get(registry.kind("customers"))
    assert "sql, dynamodb" in str(caught.value)


def test_dynamodb_from_the_environment_uses_the_table_variable(
    monkeypatch: pytest.MonkeyPatch, dynamodb_table: Callable[[str], str]
) -> None:
    table = dynamodb_table("CustomersTable")
    monkeypatch.setenv(STORE_BACKEND, "dynamodb")
    monkeypatch.setenv(CUSTOMERS_TABLE, table)
    stores = Stores(StoreSettings.from_env())
    store = stores.customers
    assert isinstance(store, DynamoCustomerStore)
    assert store.table.name == table
    store.put(TARO)  # through the stores' one client, on moto's server
    assert store.find_by_phone(TARO.phone_e164) == TARO
    assert store.table.client is stores.dynamodb_client() is stores.pins.table.client


def test_an_explicit_table_beats_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CUSTOMERS_TABLE, "from-env")
    settings = StoreSettings.from_env().overridden(
        "dynamodb", tables={"CustomersTable": "explicit"}
    )
    store = Stores(settings).customers
    assert isinstance(store, DynamoCustomerStore)
    assert store.table.name == "explicit"


def test_the_sqlite_backend_imports_no_other_driver(tmp_path: Path) -> None:
    # Cold start: a container on SQLite must not pay for PyMySQL, psycopg or boto3.
    code = (
        "import sys\n"
        "from functions.stores.bundle import Stores, StoreSettings\n"
        "from functions.stores.sql.schema import migrate\n"
        f"stores = Stores(StoreSettings(database_url='sqlite:///{tmp_path}/cold.sqlite3'))\n"
        "migrate(stores.sql_database())\n"
        "stores.customers.find_by_phone('+81312345678')\n"
        "print(sorted(m for m in ('pymysql', 'psycopg', 'boto3') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
