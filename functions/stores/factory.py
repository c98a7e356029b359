"""The stores a container uses, built once from the environment and reused: thin wrappers
over `Stores` (functions/stores/bundle.py), kept for the handlers that call them by name.

    IVR_STORE_BACKEND     "sql" (default) or "dynamodb"
    IVR_DATABASE_URL      the SQL database (default: the embedded SQLite file)
    IVR_DATABASE_SECRET_ARN, IVR_DATABASE_PROXY_HOST
                          without IVR_DATABASE_URL: the URL built from an RDS secret, with the
                          proxy as host (functions/stores/secret.py)
    IVR_*_TABLE           the DynamoDB tables (functions/stores/registry.py: names, defaults)

An explicit argument beats its variable. One `Stores` is cached per container and per
settings they were built from; `reset()` forgets them (tests).
"""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING

from functions.config import STORE_BACKEND
from functions.stores import registry
from functions.stores.bundle import BACKENDS, Stores, StoreSettings, check_backend

# Ports only annotate here: importing them (and their models) would cost every function's cold
# start the record types of all the others.
if TYPE_CHECKING:
    from functions.stores.business import BusinessStore
    from functions.stores.callbacks import CallbackStore
    from functions.stores.customers import CustomerStore
    from functions.stores.orders import OrderStore
    from functions.stores.pins import PinStore
    from functions.stores.sql.database import SqlDatabase
    from functions.stores.verifications import VerificationStore

__all__ = [
    "BACKENDS",
    "business_store",
    "callback_store",
    "customer_store",
    "database_url",
    "order_store",
    "pin_store",
    "reset",
    "sql_database",
    "store_backend",
    "stores",
    "verification_store",
]

_cache: dict[StoreSettings, Stores] = {}
_lock = threading.Lock()


def stores(
    backend: str | None = None,
    *,
    database_url: str | None = None,
    tables: dict[str, str | None] | None = None,
) -> Stores:
    """The container's `Stores` for the environment, with these arguments beating it."""
    settings = StoreSettings.from_env()
    if backend:
        # An explicit backend is every kind's, orders' own variable included.
        overrides = tuple((k.name, backend) for k in registry.KINDS if k.backend_variable)
        settings = settings.replace(
            backend=backend, backends=overrides, backend_source="backend argument"
        )
    if database_url:
        settings = settings.replace(database_url=database_url)
    if tables:
        settings = settings.with_tables(tables)
    with _lock:
        bundle = _cache.get(settings)
        if bundle is None:
            bundle = _cache[settings] = Stores(settings)
        return bundle


def store_backend(backend: str | None = None) -> str:
    """The backend to use: `backend`, else IVR_STORE_BACKEND, else "sql"."""
    if backend:
        return check_backend(backend, "backend argument")
    return check_backend(StoreSettings.from_env().backend, STORE_BACKEND)


def database_url(url: str | None = None) -> str:
    """The SQL database URL: `url`, else IVR_DATABASE_URL, else the secret's, else SQLite."""
    return url or StoreSettings.from_env().sql_url()


def sql_database(url: str | None = None) -> SqlDatabase:
    """The container's `SqlDatabase` for this URL (one connection shared by every store)."""
    return stores(database_url=url).sql_database()


def customer_store(
    backend: str | None = None, *, database_url: str | None = None, table_name: str | None = None
) -> CustomerStore:
    """The container's customer store, built on first call from arguments or environment."""
    tables = {"CustomersTable": table_name}
    return stores(backend, database_url=database_url, tables=tables).customers


def pin_store(
    backend: str | None = None,
    *,
    database_url: str | None = None,
    table_name: str | None = None,
    attempts_table: str | None = None,
) -> PinStore:
    """The container's PIN store (IVR_PINS_TABLE, IVR_PIN_ATTEMPTS_TABLE on DynamoDB)."""
    tables = {"PinsTable": table_name, "PinAttemptsTable": attempts_table}
    return stores(backend, database_url=database_url, tables=tables).pins


def verification_store(
    backend: str | None = None, *, database_url: str | None = None, table_name: str | None = None
) -> VerificationStore:
    """The container's verification store (IVR_VERIFICATIONS_TABLE on DynamoDB)."""
    tables = {"VerificationsTable": table_name}
    return stores(backend, database_url=database_url, tables=tables).verifications


def order_store(
    backend: str | None = None, *, database_url: str | None = None, table_name: str | None = None
) -> OrderStore:
    """The container's order store: `backend`, else IVR_ORDER_STORE_BACKEND, else
    IVR_STORE_BACKEND (orders may live in RDS while the rest is on DynamoDB)."""
    tables = {"OrdersTable": table_name}
    return stores(backend, database_url=database_url, tables=tables).orders


def business_store(
    backend: str | None = None, *, database_url: str | None = None, table_name: str | None = None
) -> BusinessStore:
    """The container's business settings store (IVR_BUSINESS_TABLE on DynamoDB)."""
    tables = {"BusinessTable": table_name}
    return stores(backend, database_url=database_url, tables=tables).business


def callback_store(
    backend: str | None = None, *, database_url: str | None = None, table_name: str | None = None
) -> CallbackStore:
    """The container's callback store (IVR_CALLBACKS_TABLE on DynamoDB)."""
    tables = {"CallbacksTable": table_name}
    return stores(backend, database_url=database_url, tables=tables).callbacks


def reset() -> None:
    """Forget every cached store, close SQL connections, drop cached AWS clients and secrets."""
    with _lock:
        cached = list(_cache.values())
        _cache.clear()
    for bundle in cached:
        bundle.close()
    secret = sys.modules.get("functions.stores.secret")
    if secret is not None:
        secret.reset()
    client = sys.modules.get("functions.stores.dynamodb.client")
    if client is not None:
        client.dynamodb_client.cache_clear()
