"""Vendor errors become `functions.errors` at the store's edge: every mapped code, and the real
failures (closed ports, missing tables and databases, dead connections)."""

from __future__ import annotations

import logging
import socket
import sqlite3
from collections.abc import Callable
from typing import Any

import pymysql
import pytest
from botocore.stub import Stubber
from pymysql.constants import CR, ER

from functions.errors import AlreadyExists, ConfigurationError, StoreError, StoreUnavailable
from functions.stores.dynamodb.client import new_dynamodb_client
from functions.stores.dynamodb.customers import DynamoCustomerStore
from functions.stores.dynamodb.table import ERROR_CODES
from functions.stores.sql.customers import SqlCustomerStore
from functions.stores.sql.database import SqlDatabase, parse_url
from functions.stores.sql.dialects import (
    MYSQL_DEADLOCK,
    MYSQL_ERRORS,
    POSTGRES_DEADLOCK,
    POSTGRES_ERRORS,
    SQLITE_ERRORS,
    Endpoint,
    MysqlDialect,
    PostgresDialect,
    SqliteDialect,
    is_loopback,
)
from functions.stores.sql.schema import migrate
from models.customer import Customer
from tests.conftest import SqlBackend

PHONE = "+81312345678"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


ENDPOINT = Endpoint("127.0.0.1", 1, "root", "", "x")


# --- every mapped code has a class, and is classified as mapped ------------------------------


@pytest.mark.parametrize(("code", "kind"), MYSQL_ERRORS.items())
def test_every_mapped_mysql_code_is_a_real_code_and_classified(
    code: int, kind: type[StoreError]
) -> None:
    known = {v for m in (ER, CR) for k, v in vars(m).items() if k.isupper()}
    assert code in known
    exc = pymysql.err.OperationalError(code, "message")
    assert MysqlDialect(ENDPOINT).classify(exc) is kind


@pytest.mark.parametrize(("state", "kind"), POSTGRES_ERRORS.items())
def test_every_mapped_sqlstate_is_a_real_sqlstate_and_classified(
    state: str, kind: type[StoreError]
) -> None:
    import psycopg

    exc = psycopg.errors.lookup(state)("message")  # KeyError for an unknown SQLSTATE
    assert PostgresDialect(ENDPOINT).classify(exc) is kind


@pytest.mark.parametrize(("name", "kind"), SQLITE_ERRORS.items())
def test_every_mapped_sqlite_code_is_a_real_code_and_classified(
    name: str, kind: type[StoreError]
) -> None:
    assert hasattr(sqlite3, name)
    exc = sqlite3.OperationalError("message")
    exc.sqlite_errorname = name
    assert SqliteDialect(":memory:").classify(exc) is kind


@pytest.mark.parametrize(("code", "kind"), ERROR_CODES.items())
def test_every_mapped_dynamodb_code_is_translated(
    code: str, kind: type[StoreError], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    client = new_dynamodb_client()
    with Stubber(client) as stub:
        stub.add_client_error("get_item", service_error_code=code, http_status_code=400)
        with pytest.raises(kind, match="dynamodb table 'customers'") as caught:
            DynamoCustomerStore("customers", client=client).get("cust-0001")
    assert caught.value.__cause__ is not None  # raised from the vendor's error


def test_a_deadlock_victim_is_told_from_other_errors() -> None:
    import psycopg

    mysql, postgres = MysqlDialect(ENDPOINT), PostgresDialect(ENDPOINT)
    assert mysql.is_deadlock(pymysql.err.OperationalError(MYSQL_DEADLOCK, "Deadlock found"))
    assert not mysql.is_deadlock(pymysql.err.OperationalError(1205, "Lock wait timeout"))
    assert ER.LOCK_DEADLOCK == MYSQL_DEADLOCK
    deadlock = psycopg.errors.lookup(POSTGRES_DEADLOCK)
    assert postgres.is_deadlock(deadlock("deadlock detected"))
    assert not postgres.is_deadlock(psycopg.errors.lookup("23505")("duplicate key"))
    assert not SqliteDialect(":memory:").is_deadlock(sqlite3.OperationalError("locked"))


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("10.0.0.5", False),
        ("db.cluster-abc.ap-northeast-1.rds.amazonaws.com", False),
        ("localhost.example.com", False),
    ],
)
def test_only_this_machine_is_reached_without_tls(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_errors_that_are_not_the_vendors_propagate_untouched() -> None:
    assert MysqlDialect(ENDPOINT).classify(ValueError("x")) is None
    assert PostgresDialect(ENDPOINT).classify(ValueError("x")) is None
    assert SqliteDialect(":memory:").classify(ValueError("x")) is None


def test_a_translated_message_masks_phone_numbers() -> None:
    exc = pymysql.err.IntegrityError(1062, f"Duplicate entry '{PHONE}' for key 'phone_e164'")
    translated = MysqlDialect(ENDPOINT).translate(exc)
    assert isinstance(translated, AlreadyExists)
    assert PHONE not in str(translated)
    assert "+81*******78" in str(translated)


# --- real failures ------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["mysql", "postgresql"])
def test_a_closed_sql_port_is_store_unavailable(scheme: str) -> None:
    store = SqlCustomerStore(SqlDatabase(f"{scheme}://root@127.0.0.1:{closed_port()}/ivr"))
    with pytest.raises(StoreUnavailable, match="try again later") as caught:
        store.find_by_phone(PHONE)
    assert caught.value.__cause__ is not None
    assert PHONE not in str(caught.value)


def test_a_closed_dynamodb_port_is_store_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    store = DynamoCustomerStore("customers", client_factory=new_dynamodb_client)
    with pytest.raises(StoreUnavailable, match="try again later"):
        store.find_by_phone(PHONE)


def test_a_missing_dynamodb_table_is_a_configuration_error(dynamodb_client: Any) -> None:
    store = DynamoCustomerStore("no-such-table", client=dynamodb_client)
    with pytest.raises(ConfigurationError, match="IVR_CUSTOMERS_TABLE"):
        store.get("cust-0001")


def test_a_dynamodb_table_without_the_phone_index_is_a_configuration_error(
    dynamodb_client: Any, dynamodb_table: Callable[[str], str]
) -> None:
    name = dynamodb_table("CustomersTable")
    dynamodb_client.delete_table(TableName=name)
    dynamodb_client.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "customer_id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "customer_id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    with pytest.raises(StoreError):
        DynamoCustomerStore(name, client=dynamodb_client).find_by_phone(PHONE)


@pytest.mark.service
@pytest.mark.parametrize("server", ["mysql", "postgresql"])
def test_an_unknown_database_is_a_configuration_error(
    server: str, request: pytest.FixtureRequest
) -> None:
    url: str = request.getfixturevalue(f"{server}_url")
    missing = url.rsplit("/", 1)[0] + "/ivr_no_such_database"
    with pytest.raises(ConfigurationError, match="IVR_DATABASE_URL"):
        SqlCustomerStore(SqlDatabase(missing)).find_by_phone(PHONE)


def test_an_sqlite_path_that_is_a_folder_is_a_configuration_error(tmp_path: Any) -> None:
    (tmp_path / "db").mkdir()
    with pytest.raises(ConfigurationError):
        SqlCustomerStore(SqlDatabase(f"sqlite:///{tmp_path / 'db'}")).get("cust-0001")


def test_an_sqlite_file_that_is_not_a_database_is_a_configuration_error(tmp_path: Any) -> None:
    (tmp_path / "ivr.sqlite3").write_bytes(b"not a database, " * 100)
    with pytest.raises(ConfigurationError, match=r"NOTADB|not a database"):
        SqlCustomerStore(SqlDatabase(f"sqlite:///{tmp_path / 'ivr.sqlite3'}")).get("c")


@pytest.mark.service
@pytest.mark.parametrize("server", ["mysql", "postgresql"])
def test_a_connection_killed_by_the_server_is_reopened(
    server: str, request: pytest.FixtureRequest
) -> None:
    backend: SqlBackend = request.getfixturevalue(f"{server}_backend")
    database = SqlDatabase(backend.url)
    store = SqlCustomerStore(database)
    store.put(Customer(customer_id="cust-0001", phone_e164=PHONE, first_name="Taro"))
    own_id = "SELECT CONNECTION_ID()" if server == "mysql" else "SELECT pg_backend_pid()"
    before = database.fetch_one(own_id)
    assert before is not None
    if server == "mysql":
        backend.execute(f"KILL {int(before[0])}")
    else:
        backend.execute("SELECT pg_terminate_backend(?)", [before[0]])
    assert store.get("cust-0001").first_name == "Taro"
    assert database.fetch_one(own_id) != before
    database.close()


# --- URLs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("oracle://x@h/db", "must start with"),
        ("/var/ivr.sqlite3", "bare path"),
        ("sqlite://", "sqlite:///relative"),
        ("sqlite:///", "sqlite:///relative"),
        ("mysql://root@127.0.0.1:3306/", "must name a host and a database"),
        ("postgresql://root@:5432/ivr", "must name a host and a database"),
        ("mysql://root@127.0.0.1:99999/ivr", "invalid port"),
    ],
)
def test_an_unusable_url_is_a_configuration_error_naming_the_variable(
    url: str, message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message) as caught:
        parse_url(url)
    assert "IVR_DATABASE_URL" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "name", "described"),
    [
        ("sqlite:///.ivr/ivr.sqlite3", "sqlite", ".ivr/ivr.sqlite3"),
        ("sqlite:////tmp/ivr.sqlite3", "sqlite", "/tmp/ivr.sqlite3"),
        ("mysql://app:s%40cret@db.local/ivr", "mysql", "app@db.local:3306/ivr"),
        ("mariadb://app@db.local:3307/ivr", "mysql", "app@db.local:3307/ivr"),
        ("postgres://app:pw@db.local/ivr", "postgresql", "app@db.local:5432/ivr"),
    ],
)
def test_urls_name_their_dialect_and_never_show_the_password(
    url: str, name: str, described: str
) -> None:
    dialect = parse_url(url)
    assert (dialect.name, dialect.describe()) == (name, described)


def test_url_passwords_are_unquoted() -> None:
    dialect = parse_url("mysql://app:s%40cret@db.local/ivr")
    assert isinstance(dialect, MysqlDialect)
    assert dialect.endpoint.password == "s@cret"


def test_sqlite_creates_the_folder_of_a_relative_path(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    database = SqlDatabase("sqlite:///nested/dir/ivr.sqlite3")
    migrate(database)
    assert SqlCustomerStore(database).find_by_phone(PHONE) is None
    database.close()
    assert (tmp_path / "nested" / "dir" / "ivr.sqlite3").is_file()


def test_a_failure_is_logged_once_with_the_number_masked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = SqlCustomerStore(SqlDatabase(f"mysql://root@127.0.0.1:{closed_port()}/ivr"))
    with caplog.at_level(logging.WARNING), pytest.raises(StoreUnavailable):
        store.find_by_phone(PHONE)
    failures = [r for r in caplog.records if getattr(r, "store_operation", None)]
    assert len(failures) == 1
    logged = failures[0].__dict__
    assert (logged["store_backend"], logged["error_type"]) == ("mysql", "StoreUnavailable")
    assert logged["phone"] == "+81*******78"
    assert all(PHONE not in str(value) for value in logged.values())


def test_client_retries_fit_a_three_second_deadline() -> None:
    from functions.stores.dynamodb.client import client_config

    config = client_config()
    assert config.retries == {"total_max_attempts": 2, "mode": "legacy"}
    assert config.connect_timeout + config.read_timeout <= 2
