"""The SQL store's URL from an RDS secret: Secrets Manager on moto's server, PostgreSQL for real."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from functions.config import (
    DATABASE_PROXY_HOST,
    DATABASE_SECRET_ARN,
    DATABASE_URL,
    ORDER_STORE_BACKEND,
    STORE_BACKEND,
)
from functions.errors import ConfigurationError, StoreUnavailable
from functions.stores.bundle import Stores, StoreSettings
from functions.stores.secret import database_url_from_secret
from functions.stores.sql.database import parse_url
from models.order import Order, OrderStatus
from tests.conftest import migrated
from tests.containers import close_stores, environment_stores

MakeSecret = Callable[[Any], str]


@pytest.fixture
def make_secret(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[MakeSecret]:
    """make_secret(value) -> the ARN of a new secret holding `value` (JSON unless a str)."""
    import boto3

    # The fixture points only DynamoDB at moto; Powertools' boto3 client reads this one.
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto_server)
    for name in (DATABASE_URL, DATABASE_SECRET_ARN, DATABASE_PROXY_HOST, STORE_BACKEND):
        monkeypatch.delenv(name, raising=False)
    close_stores()
    client = boto3.client("secretsmanager")

    def make(value: Any) -> str:
        text = value if isinstance(value, str) else json.dumps(value)
        name = f"ivr-db-{uuid.uuid4().hex[:8]}"
        return client.create_secret(Name=name, SecretString=text)["ARN"]

    yield make
    close_stores()


def _rds_secret(**overrides: Any) -> dict[str, Any]:
    secret = {
        "engine": "postgres",
        "username": "ivr app",
        "password": "p@ss:w/rd",
        "host": "db.abc.ap-northeast-1.rds.amazonaws.com",
        "port": 5432,
        "dbname": "ivr",
    }
    return secret | overrides


def test_the_url_quotes_the_credentials_and_parses_back(make_secret: MakeSecret) -> None:
    url = database_url_from_secret(make_secret(_rds_secret()))
    assert url.startswith("postgresql://")
    endpoint = parse_url(url).endpoint  # type: ignore[attr-defined]
    assert (endpoint.user, endpoint.password) == ("ivr app", "p@ss:w/rd")
    assert (endpoint.host, endpoint.port, endpoint.database) == (
        "db.abc.ap-northeast-1.rds.amazonaws.com",
        5432,
        "ivr",
    )


def test_the_proxy_host_replaces_the_secrets_host(make_secret: MakeSecret) -> None:
    arn = make_secret(_rds_secret(engine="mariadb", port="3306"))
    url = database_url_from_secret(arn, proxy_host="ivr.proxy-xyz.rds.amazonaws.com")
    parts = urlsplit(url)
    assert (parts.scheme, parts.hostname, parts.port) == (
        "mysql",
        "ivr.proxy-xyz.rds.amazonaws.com",
        3306,
    )


@pytest.mark.parametrize(
    "secret",
    [
        _rds_secret(engine="oracle"),
        {k: v for k, v in _rds_secret().items() if k != "dbname"},
        _rds_secret(port="five"),
        "not json at all",
        '["a", "list"]',
    ],
    ids=["engine", "no-dbname", "port", "not-json", "not-an-object"],
)
def test_a_malformed_secret_names_the_fields_it_needs(make_secret: MakeSecret, secret: Any) -> None:
    arn = make_secret(secret)
    with pytest.raises(ConfigurationError, match="engine, username, password, port, dbname"):
        database_url_from_secret(arn)


def test_a_missing_secret_is_a_configuration_error(make_secret: MakeSecret) -> None:
    missing = make_secret(_rds_secret()).rsplit(":", 1)[0] + ":absent-AbCdEf"
    with pytest.raises(
        ConfigurationError, match=f"{DATABASE_SECRET_ARN}.*ResourceNotFoundException"
    ):
        database_url_from_secret(missing)


def test_an_unreachable_secrets_manager_is_unavailable(
    make_secret: MakeSecret, monkeypatch: pytest.MonkeyPatch
) -> None:
    arn = make_secret(_rds_secret())
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:9")
    close_stores()
    with pytest.raises(StoreUnavailable, match="Secrets Manager unreachable"):
        database_url_from_secret(arn)


def test_the_order_store_works_through_a_secret_pointing_at_postgresql(
    make_secret: MakeSecret, postgresql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Migrated here: run alone, no earlier test has migrated the session's database.
    real = urlsplit(migrated(postgresql_url))
    arn = make_secret(
        {
            "engine": "postgres",
            "username": real.username,
            "password": real.password or "",
            "host": "instance-behind-the-proxy.invalid",
            "port": real.port or 5432,
            "dbname": real.path.lstrip("/"),
        }
    )
    monkeypatch.setenv(DATABASE_SECRET_ARN, arn)
    monkeypatch.setenv(DATABASE_PROXY_HOST, real.hostname or "127.0.0.1")
    monkeypatch.setenv(ORDER_STORE_BACKEND, "sql")
    store = environment_stores().orders
    assert "postgresql" in store.describe()
    order = Order(
        order_number=f"9{uuid.uuid4().int % 10**9:09d}",
        customer_id="cust-secret",
        status=OrderStatus.SHIPPED,
    )
    store.put(order)
    assert store.find(order.order_number) == order


def test_an_explicit_database_url_wins_over_the_secret(
    make_secret: MakeSecret, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv(DATABASE_SECRET_ARN, make_secret(_rds_secret()))
    monkeypatch.setenv(DATABASE_URL, f"sqlite:///{tmp_path}/orders.sqlite3")
    url = StoreSettings.from_env().sql_url()
    assert url.startswith("sqlite:///")
    assert url.endswith("orders.sqlite3")


def test_each_stores_reads_the_secret_through_its_own_provider(
    make_secret: MakeSecret, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The provider (and the secret it keeps for SECRET_MAX_AGE_SECONDS) is the container's:
    # two containers, two providers; nothing of it is left in a module.
    monkeypatch.setenv(DATABASE_SECRET_ARN, make_secret(_rds_secret()))
    first, second = Stores(StoreSettings.from_env()), Stores(StoreSettings.from_env())
    assert first.secrets() is first.secrets()
    assert first.secrets() is not second.secrets()
    url = StoreSettings.from_env().sql_url(first.secrets)
    assert urlsplit(url).hostname == "db.abc.ap-northeast-1.rds.amazonaws.com"
