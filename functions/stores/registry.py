"""Every store, declared once: its port, its SQL and DynamoDB implementations, its tables.

A `StoreKind` is one record type. Implementations are named as "module:Class" strings and
imported only when a store of that kind is built on that backend, so a function's cold start
pays for the stores it uses and nothing else (importing a port pulls in its models, a DynamoDB
implementation botocore). Adding a record type is one `StoreKind` here, one port module, one
implementation per backend, one migration (functions/stores/sql/schema.py) and one table in
template.yaml; `ivr seed --create-table`, `Stores` and the tests read the rest from here.

`TemplateTable` pairs each DynamoDB table with the environment variable that names it, its
default name, and the template.yaml resource that defines it: the one place that mapping is
written (functions/config.py names the variables; ivr/commands/seed.py and the artifact tests
read the pairs from `TABLES`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from functions.config import (
    BUSINESS_TABLE,
    CALLBACKS_TABLE,
    CUSTOMERS_TABLE,
    ORDER_STORE_BACKEND,
    ORDERS_TABLE,
    PIN_ATTEMPTS_TABLE,
    PINS_TABLE,
    VERIFICATIONS_TABLE,
)

__all__ = ["KINDS", "TABLES", "StoreKind", "TemplateTable", "kind", "load"]


@dataclass(frozen=True)
class TemplateTable:
    """One DynamoDB table: the variable naming it, its default name, its template resource."""

    variable: str
    default: str
    logical_id: str


@dataclass(frozen=True)
class StoreKind:
    """One record type's store. `tables` are passed to the DynamoDB class in this order."""

    name: str
    port: str
    sql: str
    dynamodb: str
    tables: tuple[TemplateTable, ...]
    #: A variable that picks this kind's backend instead of IVR_STORE_BACKEND, if any.
    backend_variable: str | None = None

    def implementation(self, backend: str) -> str:
        return self.dynamodb if backend == "dynamodb" else self.sql


CUSTOMERS = TemplateTable(CUSTOMERS_TABLE, "ivr-customers", "CustomersTable")
BUSINESS = TemplateTable(BUSINESS_TABLE, "ivr-business", "BusinessTable")
CALLBACKS = TemplateTable(CALLBACKS_TABLE, "ivr-callbacks", "CallbacksTable")
PINS = TemplateTable(PINS_TABLE, "ivr-pins", "PinsTable")
PIN_ATTEMPTS = TemplateTable(PIN_ATTEMPTS_TABLE, "ivr-pin-attempts", "PinAttemptsTable")
VERIFICATIONS = TemplateTable(VERIFICATIONS_TABLE, "ivr-verifications", "VerificationsTable")
ORDERS = TemplateTable(ORDERS_TABLE, "ivr-orders", "OrdersTable")


def _declare(
    name: str, port: str, *tables: TemplateTable, backend_variable: str | None = None
) -> StoreKind:
    """`name`'s store, its modules named for its records: functions/stores/<name>.py holds the
    port `port`, sql/<name>.py `Sql<port>`, dynamodb/<name>.py `Dynamo<port>`."""
    stores = "functions.stores"
    return StoreKind(
        name,
        port=f"{stores}.{name}:{port}",
        sql=f"{stores}.sql.{name}:Sql{port}",
        dynamodb=f"{stores}.dynamodb.{name}:Dynamo{port}",
        tables=tables,
        backend_variable=backend_variable,
    )


KINDS: tuple[StoreKind, ...] = (
    _declare("customers", "CustomerStore", CUSTOMERS),
    _declare("pins", "PinStore", PINS, PIN_ATTEMPTS),
    _declare("verifications", "VerificationStore", VERIFICATIONS),
    # Orders may live in RDS while the rest is on DynamoDB.
    _declare("orders", "OrderStore", ORDERS, backend_variable=ORDER_STORE_BACKEND),
    _declare("business", "BusinessStore", BUSINESS),
    _declare("callbacks", "CallbackStore", CALLBACKS),
)

#: Every DynamoDB table of template.yaml, in declaration order.
TABLES: tuple[TemplateTable, ...] = tuple(table for k in KINDS for table in k.tables)

_BY_NAME = {k.name: k for k in KINDS}


def kind(name: str) -> StoreKind:
    """The declaration named `name` ("customers", "pins", ...)."""
    return _BY_NAME[name]


def load(path: str) -> Any:
    """The class a "module:Class" string names, importing its module now."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)
