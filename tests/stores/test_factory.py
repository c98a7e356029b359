"""`customer_store()`: the backend chosen by arguments, else the environment; cached."""

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
from functions.stores import factory
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
    factory.reset()
    yield
    factory.reset()


def test_the_default_is_the_embedded_sqlite_file(tmp_path: Path) -> None:
    store = factory.customer_store()
    assert isinstance(store, SqlCustomerStore)
    migrate(factory.sql_database())
    store.put(TARO)
    assert (tmp_path / ".ivr" / "ivr.sqlite3").is_file()


def test_the_store_is_built_once_per_container() -> None:
    assert factory.customer_store() is factory.customer_store()


def test_reset_forgets_the_cached_store() -> None:
    first = factory.customer_store()
    factory.reset()
    assert factory.customer_store() is not first


def test_the_database_url_variable_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DATABASE_URL, f"sqlite:///{tmp_path}/from-env.sqlite3")
    migrate(factory.sql_database())
    factory.customer_store().put(TARO)
    assert (tmp_path / "from-env.sqlite3").is_file()


def test_an_explicit_url_beats_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(DATABASE_URL, f"sqlite:///{tmp_path}/from-env.sqlite3")
    explicit = f"sqlite:///{tmp_path}/explicit.sqlite3"
    migrate(factory.sql_database(explicit))
    factory.customer_store(database_url=explicit).put(TARO)
    assert (tmp_path / "explicit.sqlite3").is_file()
    assert not (tmp_path / "from-env.sqlite3").exists()


def test_an_explicit_backend_beats_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STORE_BACKEND, "dynamodb")
    assert isinstance(factory.customer_store("sql"), SqlCustomerStore)


def test_stores_of_one_database_share_its_connection() -> None:
    store = factory.customer_store()
    assert isinstance(store, SqlCustomerStore)
    assert store.database is factory.sql_database()


@pytest.mark.parametrize("value", ["oracle", "SQLite", "dynamo"])
def test_an_unknown_backend_names_the_variable_and_the_choices(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(STORE_BACKEND, value)
    with pytest.raises(ConfigurationError, match=STORE_BACKEND) as caught:
        factory.customer_store()
    assert "sql, dynamodb" in str(caught.value)


def test_dynamodb_from_the_environment_uses_the_table_variable(
    monkeypatch: pytest.MonkeyPatch, dynamodb_table: Callable[[str], str]
) -> None:
    table = dynamodb_table("CustomersTable")
    monkeypatch.setenv(STORE_BACKEND, "dynamodb")
    monkeypatch.setenv(CUSTOMERS_TABLE, table)
    store = factory.customer_store()
    assert isinstance(store, DynamoCustomerStore)
    assert store.table.name == table
    store.put(TARO)  # through the container's cached client, on moto's server
    assert store.find_by_phone(TARO.phone_e164) == TARO


def test_an_explicit_table_beats_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CUSTOMERS_TABLE, "from-env")
    store = factory.customer_store("dynamodb", table_name="explicit")
    assert isinstance(store, DynamoCustomerStore)
    assert store.table.name == "explicit"


def test_the_sqlite_backend_imports_no_other_driver(tmp_path: Path) -> None:
    # Cold start: a container on SQLite must not pay for PyMySQL, psycopg or boto3.
    code = (
        "import sys\n"
        "from functions.stores.factory import customer_store, sql_database\n"
        "from functions.stores.sql.schema import migrate\n"
        f"url = 'sqlite:///{tmp_path}/cold.sqlite3'\n"
        "migrate(sql_database(url))\n"
        "customer_store(database_url=url).find_by_phone('+81312345678')\n"
        "print(sorted(m for m in ('pymysql', 'psycopg', 'boto3') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
