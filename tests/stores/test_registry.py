"""The store registry and the `Stores` bundle: one declaration per record type, matching
template.yaml and the ports; stores built lazily from settings, importing only what they use."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from functions.config import ORDER_STORE_BACKEND, ORDERS_TABLE, PINS_TABLE, STORE_BACKEND
from functions.errors import ConfigurationError
from functions.stores import registry
from functions.stores.bundle import Stores, StoreSettings
from functions.stores.dynamodb.orders import DynamoOrderStore
from functions.stores.sql.orders import SqlOrderStore
from functions.stores.sql.schema import MIGRATIONS
from ivr.template import load_template
from tests.conftest import migrated

ROOT = Path(__file__).resolve().parents[2]


def test_every_template_table_is_declared_once() -> None:
    template = load_template(ROOT / "template.yaml")
    tables = {
        logical_id
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::DynamoDB::Table"
    }
    declared = [table.logical_id for table in registry.TABLES]
    assert sorted(declared) == sorted(tables)
    assert len({table.variable for table in registry.TABLES}) == len(declared)


@pytest.mark.parametrize("kind", registry.KINDS, ids=lambda k: k.name)
def test_each_declaration_names_a_port_and_two_implementations_of_it(
    kind: registry.StoreKind,
) -> None:
    port = registry.load(kind.port)
    for backend in ("sql", "dynamodb"):
        assert issubclass(registry.load(kind.implementation(backend)), port)


def test_every_sql_table_a_store_describes_is_created_by_a_migration(tmp_path: Path) -> None:
    created = {table.name for migration in MIGRATIONS for table in migration.tables}
    stores = Stores(StoreSettings(database_url=migrated(f"sqlite:///{tmp_path}/ivr.sqlite3")))
    try:
        for kind in registry.KINDS:
            described = stores.get(kind).vendor.tables
            assert set(described) <= created, kind.name
    finally:
        stores.close()


def test_settings_from_the_environment() -> None:
    settings = StoreSettings.from_env(
        {
            STORE_BACKEND: "dynamodb",
            ORDER_STORE_BACKEND: "sql",
            PINS_TABLE: "my-pins",
            ORDERS_TABLE: " ",  # blank: the default
        }
    )
    assert settings.backend_of(registry.kind("customers")) == "dynamodb"
    assert settings.backend_of(registry.kind("orders")) == "sql"
    pins, attempts = registry.kind("pins").tables
    assert (settings.table(pins), settings.table(attempts)) == ("my-pins", "ivr-pin-attempts")
    assert settings.table(registry.kind("orders").tables[0]) == "ivr-orders"


def test_a_kind_backend_variable_that_is_no_backend_is_named() -> None:
    settings = StoreSettings.from_env({ORDER_STORE_BACKEND: "rds"})
    with pytest.raises(ConfigurationError, match=ORDER_STORE_BACKEND):
        settings.backend_of(registry.kind("orders"))


def test_stores_are_built_once_and_share_one_database(tmp_path: Path) -> None:
    stores = Stores(StoreSettings(database_url=f"sqlite:///{tmp_path}/ivr.sqlite3"))
    try:
        assert stores.orders is stores.orders
        assert isinstance(stores.orders, SqlOrderStore)
        assert stores.orders.database is stores.pins.database is stores.sql_database()
    finally:
        stores.close()


def test_orders_may_live_on_another_backend(
    moto_server: str, dynamodb_client: object, dynamodb_table: Callable[[str], str]
) -> None:
    settings = StoreSettings(
        backend="sql",
        backends=(("orders", "dynamodb"),),
        tables=(("OrdersTable", dynamodb_table("OrdersTable")),),
    )
    stores = Stores(settings, dynamodb_client=dynamodb_client)  # type: ignore[arg-type]
    assert isinstance(stores.orders, DynamoOrderStore)
    assert stores.orders.table.client is dynamodb_client
    assert stores.orders.find("A000000000") is None


@pytest.mark.parametrize(
    ("backend", "attribute", "imported", "not_imported"),
    [
        ("sql", "orders", "functions.stores.sql.orders", "functions.stores.customers"),
        ("dynamodb", "customers", "functions.stores.dynamodb.customers", "functions.stores.sql"),
        ("dynamodb", "customers", "botocore", "functions.stores.pins"),
    ],
)
def test_a_store_imports_only_its_own_implementation(
    backend: str, attribute: str, imported: str, not_imported: str, tmp_path: Path
) -> None:
    # Cold start: a function pays for the stores it uses, not for the others'.
    code = (
        "import sys\n"
        "from functions.stores.bundle import StoreSettings, Stores\n"
        f"stores = Stores(StoreSettings(backend={backend!r}, "
        f"database_url='sqlite:///{tmp_path}/cold.sqlite3'))\n"
        f"stores.{attribute}\n"
        f"print({imported!r} in sys.modules, "
        f"any(m == {not_imported!r} or m.startswith({not_imported!r} + '.') "
        "for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1"},
    )
    assert result.stdout.split() == ["True", "False"]


class _Recording(dict[str, str]):
    """An environment that remembers which variables were read."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        self.read.add(key)
        return super().get(key, default)


def test_a_store_reads_only_its_own_variables() -> None:
    # What a function reads is what template.yaml must set for it (tests/artifacts).
    environ = _Recording({STORE_BACKEND: "dynamodb", "IVR_CUSTOMERS_TABLE": "c"})
    stores = Stores(StoreSettings.from_env(environ))
    assert environ.read == {STORE_BACKEND}
    assert stores.customers.table.name == "c"  # type: ignore[attr-defined]
    assert environ.read == {STORE_BACKEND, "IVR_CUSTOMERS_TABLE"}
    assert stores.orders.table.name == "ivr-orders"  # type: ignore[attr-defined]
    assert environ.read == {STORE_BACKEND, "IVR_CUSTOMERS_TABLE", ORDER_STORE_BACKEND, ORDERS_TABLE}
