"""`Stores`: one container's stores, each built on first use from `StoreSettings`.

    stores = Stores(StoreSettings.from_env())      # once, at init
    stores.customers.find_by_phone(...)            # CustomerStore, built now, then reused
    stores.pins / .verifications / .orders / .business / .callbacks
    stores.get(registry.kind("orders"))            # the same, by declaration
    stores.sql_database()                          # the one SqlDatabase every SQL store shares
    stores.close()                                 # close the connection (tests, shutdown)

Only the implementation a store uses is imported, when it is first built (functions/stores/
registry.py), so a function pays at cold start for its own stores alone. Nothing here reads the
environment but the `StoreSettings` that `from_env` made; tests build `StoreSettings(...)`.
Those read each variable when a store first needs it, never before: a function reads the
variables of the stores it uses, which are exactly what template.yaml sets for it
(tests/artifacts checks both ways).

The SQL URL is resolved at each `sql_database()` call: with IVR_DATABASE_SECRET_ARN it comes
from Secrets Manager, cached for SECRET_MAX_AGE_SECONDS by these stores' secrets provider
(functions/stores/secret.py), so a rotated password gives a new URL, a new connection and new
SQL stores within that time.

A `Stores` owns what its stores share: the SQL connection of each URL, the one DynamoDB client
and the secrets provider, each built on first use; `close()` releases them. Nothing of it lives
in a module: two `Stores` (two tests, two containers) share nothing.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from functions.config import (
    DATABASE_PROXY_HOST,
    DATABASE_SECRET_ARN,
    DATABASE_URL,
    DEFAULT_SQLITE_URL,
    STORE_BACKEND,
)
from functions.errors import ConfigurationError
from functions.stores import registry
from functions.stores.registry import StoreKind, TemplateTable

# Ports only annotate here: importing them (and their models) would cost every function's cold
# start the record types of all the others.
if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider
    from mypy_boto3_dynamodb import DynamoDBClient

    from functions.stores.business import BusinessStore
    from functions.stores.callbacks import CallbackStore
    from functions.stores.customers import CustomerStore
    from functions.stores.orders import OrderStore
    from functions.stores.pins import PinStore
    from functions.stores.sql.database import SqlDatabase
    from functions.stores.verifications import VerificationStore

__all__ = ["BACKENDS", "StoreSettings", "Stores", "check_backend"]

P = TypeVar("P")

BACKENDS = ("sql", "dynamodb")


def check_backend(value: str, source: str) -> str:
    """`value` as a backend name; `ConfigurationError` naming `source` when it is none."""
    chosen = value.strip().lower()
    if chosen not in BACKENDS:
        raise ConfigurationError(f"{source} is {chosen!r}: set it to one of {', '.join(BACKENDS)}")
    return chosen


@dataclass(frozen=True)
class StoreSettings:
    """Where the stores live (immutable, hashable).

    backend        "sql" or "dynamodb" for every kind, unless `backends` names the kind
    backends       (kind name, backend) pairs, e.g. (("orders", "sql"),)
    database_url   the SQL URL; None: from the secret, else the embedded SQLite file
    tables         (logical id, table name) pairs; a table not named takes its default
    environ        where a setting left out above is read, when it is needed: the variables
                   of functions/config.py (`from_env`); empty for settings built by hand
    """

    backend: str = "sql"
    backends: tuple[tuple[str, str], ...] = ()
    database_url: str | None = None
    database_secret_arn: str | None = None
    database_proxy_host: str | None = None
    tables: tuple[tuple[str, str], ...] = ()
    #: Where `backend` came from, for the error when it is not a backend.
    backend_source: str = STORE_BACKEND
    environ: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> StoreSettings:
        """The settings the IVR_* variables describe (functions/config.py, README.md)."""
        source = os.environ if environ is None else environ
        return cls(backend=source.get(STORE_BACKEND, "").strip() or "sql", environ=source)

    def read(self, name: str) -> str | None:
        """The variable `name` of `environ`, None when unset or blank."""
        return self.environ.get(name, "").strip() or None

    def replace(self, **changes: Any) -> StoreSettings:
        return dataclasses.replace(self, **changes)

    def overridden(
        self,
        backend: str | None = None,
        *,
        database_url: str | None = None,
        tables: Mapping[str, str | None] | None = None,
    ) -> StoreSettings:
        """These settings with what a command line gave beating them: `backend` for every
        kind (orders' own variable included), `database_url`, table names by logical id."""
        settings = self
        if backend:
            overrides = tuple((k.name, backend) for k in registry.KINDS if k.backend_variable)
            settings = settings.replace(
                backend=backend, backends=overrides, backend_source="backend argument"
            )
        if database_url:
            settings = settings.replace(database_url=database_url)
        return settings.with_tables(tables) if tables else settings

    def with_tables(self, names: Mapping[str, str | None]) -> StoreSettings:
        """These settings with the tables `names` gives (logical id -> name; None: keep)."""
        chosen = dict(self.tables)
        chosen.update({logical_id: name for logical_id, name in names.items() if name})
        return self.replace(tables=tuple(sorted(chosen.items())))

    def backend_of(self, kind: StoreKind) -> str:
        """The backend `kind` lives on; `ConfigurationError` when the setting is no backend."""
        explicit = dict(self.backends).get(kind.name)
        if explicit:
            return check_backend(explicit, self.backend_source)
        configured = self.read(kind.backend_variable) if kind.backend_variable else None
        if configured and kind.backend_variable:
            return check_backend(configured, kind.backend_variable)
        return check_backend(self.backend, self.backend_source)

    def table(self, table: TemplateTable) -> str:
        named = dict(self.tables).get(table.logical_id) or self.read(table.variable)
        return named or table.default

    def sql_url(self, secrets: Callable[[], SecretsProvider] | None = None) -> str:
        """The SQL database URL: the explicit one, else the secret's (read through the provider
        `secrets` gives, else a new one), else embedded SQLite."""
        url = self.database_url or self.read(DATABASE_URL)
        if url:
            return url
        secret_arn = self.database_secret_arn or self.read(DATABASE_SECRET_ARN)
        if secret_arn:
            from functions.stores.secret import database_url_from_secret

            proxy_host = self.database_proxy_host or self.read(DATABASE_PROXY_HOST)
            provider = secrets() if secrets is not None else None
            return database_url_from_secret(secret_arn, proxy_host=proxy_host, provider=provider)
        return DEFAULT_SQLITE_URL


class _Kind(Generic[P]):
    """`stores.<name>`: the store of the registry's kind `name`, typed as its port `P`."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, stores: Stores, owner: type[Stores]) -> P:
        store: P = stores.get(registry.kind(self.name))
        return store


class Stores:
    """A container's stores, built lazily from `settings` and kept for its life."""

    def __init__(
        self,
        settings: StoreSettings | None = None,
        *,
        dynamodb_client: DynamoDBClient | None = None,
    ) -> None:
        self.settings = settings or StoreSettings()
        self._dynamodb_client = dynamodb_client
        self._secrets: SecretsProvider | None = None
        self._built: dict[tuple[Any, ...], Any] = {}
        self._databases: dict[str, SqlDatabase] = {}
        self._lock = threading.RLock()

    @classmethod
    def from_env(cls) -> Stores:
        return cls(StoreSettings.from_env())

    customers: _Kind[CustomerStore] = _Kind("customers")
    pins: _Kind[PinStore] = _Kind("pins")
    verifications: _Kind[VerificationStore] = _Kind("verifications")
    orders: _Kind[OrderStore] = _Kind("orders")
    business: _Kind[BusinessStore] = _Kind("business")
    callbacks: _Kind[CallbackStore] = _Kind("callbacks")

    def get(self, kind: StoreKind) -> Any:
        """`kind`'s store on its backend, built on first call (its module imported then)."""
        backend = self.settings.backend_of(kind)
        if backend == "dynamodb":
            tables = tuple(self.settings.table(t) for t in kind.tables)
            return self._cached((kind.name, backend, tables), lambda: self._dynamo(kind, tables))
        database = self.sql_database()
        return self._cached(
            (kind.name, backend, id(database)), lambda: registry.load(kind.sql)(database)
        )

    def dynamodb_client(self) -> DynamoDBClient:
        """The DynamoDB client every DynamoDB store of these stores shares: the one given,
        else one built on first call (functions/stores/dynamodb/client.py)."""
        with self._lock:
            if self._dynamodb_client is None:
                from functions.stores.dynamodb.client import new_dynamodb_client

                self._dynamodb_client = new_dynamodb_client()
            return self._dynamodb_client

    def built_dynamodb_client(self) -> DynamoDBClient | None:
        """The DynamoDB client if one was given or built, else None (nothing is built)."""
        with self._lock:
            return self._dynamodb_client

    def secrets(self) -> SecretsProvider:
        """The Secrets Manager provider these stores read the database secret through, built
        on first call; it keeps the secret for SECRET_MAX_AGE_SECONDS."""
        with self._lock:
            if self._secrets is None:
                from functions.stores.secret import new_secrets_provider

                self._secrets = new_secrets_provider()
            return self._secrets

    def sql_database(self) -> SqlDatabase:
        """The SqlDatabase of the settings' URL: one connection every SQL store shares."""
        url = self.settings.sql_url(self.secrets)
        with self._lock:
            database = self._databases.get(url)
            if database is None:
                from functions.stores.sql.database import SqlDatabase

                database = self._databases[url] = SqlDatabase(url)
            return database

    def close(self) -> None:
        """Close every SQL connection and forget the stores (the next use builds them again);
        the DynamoDB client and the secrets provider are kept."""
        with self._lock:
            databases = list(self._databases.values())
            self._databases.clear()
            self._built.clear()
        for database in databases:
            database.close()

    def _dynamo(self, kind: StoreKind, tables: tuple[str, ...]) -> Any:
        # The shared client, built when the store first calls DynamoDB (not when it is built).
        return registry.load(kind.dynamodb)(*tables, client_factory=self.dynamodb_client)

    def _cached(self, key: tuple[Any, ...], build: Any) -> Any:
        with self._lock:
            if key not in self._built:
                self._built[key] = build()
            return self._built[key]
