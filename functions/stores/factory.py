"""The stores a container uses, built once from the environment and reused.

    IVR_STORE_BACKEND     "sql" (default) or "dynamodb"
    IVR_DATABASE_URL      the SQL database (default: the embedded SQLite file)
    IVR_DATABASE_SECRET_ARN, IVR_DATABASE_PROXY_HOST
                          without IVR_DATABASE_URL: the URL built from an RDS secret, with the
                          proxy as host (functions/stores/secret.py)
    IVR_CUSTOMERS_TABLE   the DynamoDB customers table (default "ivr-customers")

An explicit argument beats its variable. Stores and the SQL connection are cached per
container, keyed by what they were built from; `reset()` forgets them (tests).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from functions.config import (
    BUSINESS_TABLE,
    CALLBACKS_TABLE,
    CUSTOMERS_TABLE,
    DATABASE_PROXY_HOST,
    DATABASE_SECRET_ARN,
    DATABASE_URL,
    DEFAULT_BUSINESS_TABLE,
    DEFAULT_CALLBACKS_TABLE,
    DEFAULT_CUSTOMERS_TABLE,
    DEFAULT_ORDERS_TABLE,
    DEFAULT_PIN_ATTEMPTS_TABLE,
    DEFAULT_PINS_TABLE,
    DEFAULT_SQLITE_URL,
    DEFAULT_VERIFICATIONS_TABLE,
    ORDER_STORE_BACKEND,
    ORDERS_TABLE,
    PIN_ATTEMPTS_TABLE,
    PINS_TABLE,
    STORE_BACKEND,
    VERIFICATIONS_TABLE,
    env,
)
from functions.errors import ConfigurationError

# Ports only annotate here: importing them (and their models) would cost every function's cold
# start the record types of all the others.
if TYPE_CHECKING:
    from functions.stores.base import CustomerStore
    from functions.stores.business import BusinessStore
    from functions.stores.callbacks import CallbackStore
    from functions.stores.orders import OrderStore
    from functions.stores.pins import PinStore
    from functions.stores.sql.database import SqlDatabase
    from functions.stores.verifications import VerificationStore

T = TypeVar("T")

BACKENDS = ("sql", "dynamodb")

_cache: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()


def store_backend(backend: str | None = None) -> str:
    """The backend to use: `backend`, else IVR_STORE_BACKEND, else "sql"."""
    chosen = (backend or env(STORE_BACKEND, "sql")).strip().lower()
    if chosen not in BACKENDS:
        source = "backend argument" if backend else STORE_BACKEND
        raise ConfigurationError(f"{source} is {chosen!r}: set it to one of {', '.join(BACKENDS)}")
    return chosen


def database_url(url: str | None = None) -> str:
    """The SQL database URL: `url`, else IVR_DATABASE_URL, else the embedded SQLite file."""
    if url:
        return url
    configured = env(DATABASE_URL)
    if configured:
        return configured
    secret_arn = env(DATABASE_SECRET_ARN)
    if secret_arn:
        from functions.stores.secret import database_url_from_secret

        return database_url_from_secret(secret_arn, proxy_host=env(DATABASE_PROXY_HOST) or None)
    return DEFAULT_SQLITE_URL


def sql_database(url: str | None = None) -> SqlDatabase:
    """The container's `SqlDatabase` for this URL (one connection shared by every store)."""
    from functions.stores.sql.database import SqlDatabase

    resolved = database_url(url)
    return _cached(("sql_database", resolved), lambda: SqlDatabase(resolved))


def customer_store(
    backend: str | None = None,
    *,
    database_url: str | None = None,
    table_name: str | None = None,
) -> CustomerStore:
    """The container's customer store, built on first call from arguments or environment."""
    chosen = store_backend(backend)
    if chosen == "dynamodb":
        # Imported here: botocore is only paid for by containers that use DynamoDB.
        from functions.stores.dynamodb.customers import DynamoCustomerStore

        table = table_name or env(CUSTOMERS_TABLE, DEFAULT_CUSTOMERS_TABLE)
        return _cached(("customers", chosen, table), lambda: DynamoCustomerStore(table))
    from functions.stores.sql.customers import SqlCustomerStore

    database = sql_database(database_url)
    return _cached(("customers", chosen, id(database)), lambda: SqlCustomerStore(database))


def pin_store(
    backend: str | None = None,
    *,
    database_url: str | None = None,
    table_name: str | None = None,
    attempts_table: str | None = None,
) -> PinStore:
    """The container's PIN store (IVR_PINS_TABLE, IVR_PIN_ATTEMPTS_TABLE on DynamoDB)."""
    chosen = store_backend(backend)
    if chosen == "dynamodb":
        from functions.stores.dynamodb.pins import DynamoPinStore

        table = table_name or env(PINS_TABLE, DEFAULT_PINS_TABLE)
        attempts = attempts_table or env(PIN_ATTEMPTS_TABLE, DEFAULT_PIN_ATTEMPTS_TABLE)
        return _cached(("pins", chosen, table, attempts), lambda: DynamoPinStore(table, attempts))
    from functions.stores.sql.pins import SqlPinStore

    database = sql_database(database_url)
    return _cached(("pins", chosen, id(database)), lambda: SqlPinStore(database))


def verification_store(
    backend: str | None = None, *, database_url: str | None = None, table_name: str | None = None
) -> VerificationStore:
    """The container's verification store (IVR_VERIFICATIONS_TABLE on DynamoDB)."""
    chosen = store_backend(backend)
    if chosen == "dynamodb":
        from functions.stores.dynamodb.verifications import DynamoVerificationStore

        table = table_name or env(VERIFICATIONS_TABLE, DEFAULT_VERIFICATIONS_TABLE)
        return _cached(("verifications", chosen, table), lambda: DynamoVerificationStore(table))
    from functions.stores.sql.verifications import SqlVerificationStore

    database = sql_database(database_url)
    return _cached(("verifications", chosen, id(database)), lambda: SqlVerificationStore(database))


def order_store(
    backend: str | None = None, *, database_url: str | None = None, table_name: str | None = None
) -> OrderStore:
    """The container's order store: `backend`, else IVR_ORDER_STORE_BACKEND, else
    IVR_STORE_BACKEND (orders may live in RDS while the rest is on DynamoDB)."""
    chosen = store_backend(backend or env(ORDER_STORE_BACKEND) or None)
    if chosen == "dynamodb":
        from functions.stores.dynamodb.orders import DynamoOrderStore

        table = table_name or env(ORDERS_TABLE, DEFAULT_ORDERS_TABLE)
        return _cached(("orders", chosen, table), lambda: DynamoOrderStore(table))
    from functions.stores.sql.orders import SqlOrderStore

    database = sql_database(database_url)
    return _cached(("orders", chosen, id(database)), lambda: SqlOrderStore(database))


def business_store(
    backend: str | None = None, *, database_url: str | None = None, table_name: str | None = None
) -> BusinessStore:
    """The container's business settings store (IVR_BUSINESS_TABLE on DynamoDB)."""
    chosen = store_backend(backend)
    if chosen == "dynamodb":
        from functions.stores.dynamodb.business import DynamoBusinessStore

        table = table_name or env(BUSINESS_TABLE, DEFAULT_BUSINESS_TABLE)
        return _cached(("business", chosen, table), lambda: DynamoBusinessStore(table))
    from functions.stores.sql.business import SqlBusinessStore

    database = sql_database(database_url)
    return _cached(("business", chosen, id(database)), lambda: SqlBusinessStore(database))


def callback_store(
    backend: str | None = None, *, database_url: str | None = None, table_name: str | None = None
) -> CallbackStore:
    """The container's callback store (IVR_CALLBACKS_TABLE on DynamoDB)."""
    chosen = store_backend(backend)
    if chosen == "dynamodb":
        from functions.stores.dynamodb.callbacks import DynamoCallbackStore

        table = table_name or env(CALLBACKS_TABLE, DEFAULT_CALLBACKS_TABLE)
        return _cached(("callbacks", chosen, table), lambda: DynamoCallbackStore(table))
    from functions.stores.sql.callbacks import SqlCallbackStore

    database = sql_database(database_url)
    return _cached(("callbacks", chosen, id(database)), lambda: SqlCallbackStore(database))


def reset() -> None:
    """Forget every cached store, close SQL connections, drop cached AWS clients and secrets."""
    with _lock:
        cached = list(_cache.values())
        _cache.clear()
    for value in cached:
        close = getattr(value, "close", None)
        if callable(close):
            close()
    secret = sys.modules.get("functions.stores.secret")
    if secret is not None:
        secret.reset()
    client = sys.modules.get("functions.stores.dynamodb.client")
    if client is not None:
        client.dynamodb_client.cache_clear()


def _cached(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    with _lock:
        if key not in _cache:
            _cache[key] = build()
        value: T = _cache[key]
        return value
