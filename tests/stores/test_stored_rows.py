"""Stored rows outside their model's bounds, written raw on every backend, read through the
stores: valid fields kept, invalid ones defaulted or the row refused, logged by field name and
kind only, counted as `stored_row_invalid` (functions/stores/rows.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aws_lambda_powertools import Metrics

from functions import observability
from functions.errors import InvalidRecord
from functions.stores.customers import CustomerStore
from functions.stores.dynamodb.customers import DynamoCustomerStore
from functions.stores.dynamodb.orders import DynamoOrderStore
from functions.stores.dynamodb.pins import DynamoPinStore
from functions.stores.orders import OrderStore
from functions.stores.rows import STORED_ROW_INVALID
from functions.stores.sql.customers import SqlCustomerStore
from functions.stores.sql.orders import SqlOrderStore
from models.customer import Language, Tier
from models.order import OrderStatus
from tests.conftest import StoreBackend
from tests.log_scan import captured_lines

PHONE = "+81312345679"
LONG_NAME = "Diamondo" * 13  # 104 characters: one over the model's 100 is enough
CUSTOMER_COLUMNS = (
    "customer_id",
    "phone_e164",
    "first_name",
    "last_name",
    "preferred_language",
    "tier",
)


@dataclass
class Counted:
    """The metrics the stores added, read from Powertools' metric set (one per process,
    shared by every `Metrics`; emptied before and after the test)."""

    metrics: Metrics

    @property
    def added(self) -> list[str]:
        return [name for name, metric in self.metrics.metric_set.items() for _ in metric["Value"]]


@pytest.fixture
def metrics() -> Iterator[Counted]:
    shared = observability.metrics()
    shared.clear_metrics()
    yield Counted(shared)
    shared.clear_metrics()


@pytest.fixture
def logs() -> Iterator[list[str]]:
    with captured_lines() as lines:
        yield lines


@dataclass
class Customers:
    store: CustomerStore
    backend: StoreBackend
    table: str = ""

    def write_raw(self, row: dict[str, Any]) -> None:
        """One row as an admin's tool would write it, bypassing the model."""
        if self.backend.is_dynamodb:
            item = {k: v if isinstance(v, dict) else {"S": v} for k, v in row.items()}
            self.backend.client.put_item(TableName=self.table, Item=item)
            return
        assert self.backend.sql is not None
        self.store.find_by_phone(PHONE)  # creates the table
        values = [row.get(c, "") for c in CUSTOMER_COLUMNS]
        self.backend.sql.execute(
            f"INSERT INTO customers ({', '.join(CUSTOMER_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
            values,
        )


@pytest.fixture
def customers(store_backend: StoreBackend) -> Customers:
    if store_backend.is_dynamodb:
        table = store_backend.table("CustomersTable")
        return Customers(
            DynamoCustomerStore(table, client=store_backend.client), store_backend, table
        )
    return Customers(SqlCustomerStore(store_backend.database()), store_backend)


def _row(**changes: Any) -> dict[str, Any]:
    row = {
        "customer_id": "cust-9",
        "phone_e164": PHONE,
        "first_name": "Taro",
        "last_name": "Yamada",
        "preferred_language": "en",
        "tier": "gold",
    }
    row.update(changes)
    return row


@pytest.mark.parametrize(
    ("changes", "kept", "problems"),
    [
        ({"tier": "diamond"}, {"tier": Tier.STANDARD, "first_name": "Taro"}, {"tier": "enum"}),
        (
            {"preferred_language": "xx", "first_name": ""},
            {"preferred_language": Language.JA, "first_name": "", "tier": Tier.GOLD},
            {"preferred_language": "enum", "first_name": "string_too_short"},
        ),
    ],
)
def test_invalid_fields_are_defaulted_and_the_rest_kept(
    customers: Customers,
    metrics: Counted,
    logs: list[str],
    changes: dict[str, Any],
    kept: dict[str, Any],
    problems: dict[str, str],
) -> None:
    customers.write_raw(_row(**changes))
    found = customers.store.find_by_phone(PHONE)
    assert found is not None
    assert found.customer_id == "cust-9" and found.last_name == "Yamada"
    assert {name: getattr(found, name) for name in kept} == kept
    assert customers.store.get("cust-9") == found
    assert metrics.added == [STORED_ROW_INVALID] * 2
    warnings = [line for line in logs if "outside its model's bounds" in line]
    assert len(warnings) == 2
    for name, kind in problems.items():
        assert f'"{name}":"{kind}"' in warnings[0].replace(" ", "")
    for value in changes.values():
        if value:
            assert value not in warnings[0]


def test_an_over_long_name_is_blanked_not_truncated(
    customers: Customers, metrics: Counted, logs: list[str]
) -> None:
    if customers.backend.name in ("mysql", "postgresql"):
        pytest.skip("the column's VARCHAR(100) refuses the row on this backend")
    customers.write_raw(_row(first_name=LONG_NAME, tier="diamond"))
    found = customers.store.find_by_phone(PHONE)
    assert found is not None
    assert (found.first_name, found.tier, found.last_name) == ("", Tier.STANDARD, "Yamada")
    assert metrics.added == [STORED_ROW_INVALID]
    assert all("Diamondo" not in line for line in logs)


def test_a_row_without_a_usable_id_is_refused_by_field_name(
    customers: Customers, metrics: Counted, logs: list[str]
) -> None:
    # DynamoDB keys can't be empty; one over the model's 64 characters can't be used either.
    bad_id = "x" * 65 if customers.backend.is_dynamodb else ""
    customers.write_raw(_row(customer_id=bad_id, first_name="Diamondo"))
    with pytest.raises(InvalidRecord, match="customer_id") as refused:
        customers.store.find_by_phone(PHONE)
    assert "Diamondo" not in str(refused.value)
    assert metrics.added == [STORED_ROW_INVALID]
    assert any('"repair":"refused"' in line.replace(" ", "") for line in logs)


def test_a_dynamodb_attribute_of_the_wrong_type_is_defaulted(
    customers: Customers, metrics: Counted
) -> None:
    if not customers.backend.is_dynamodb:
        pytest.skip("SQL columns have one type")
    customers.write_raw(_row(tier={"N": "3"}, last_name={"NULL": True}))
    found = customers.store.find_by_phone(PHONE)
    assert found is not None
    assert (found.tier, found.last_name, found.first_name) == (Tier.STANDARD, "", "Taro")


# --- orders and PINs ---------------------------------------------------------------------


@pytest.fixture
def orders(store_backend: StoreBackend) -> tuple[OrderStore, StoreBackend, str]:
    if store_backend.is_dynamodb:
        table = store_backend.table("OrdersTable")
        return DynamoOrderStore(table, client=store_backend.client), store_backend, table
    return SqlOrderStore(store_backend.database()), store_backend, ""


def _write_order(where: tuple[OrderStore, StoreBackend, str], status: str, date: str) -> None:
    store, backend, table = where
    if backend.is_dynamodb:
        item = {
            "order_number": {"S": "1234567897"},
            "customer_id": {"S": "cust-9"},
            "status": {"S": status},
            "delivery_date": {"S": date},
        }
        backend.client.put_item(TableName=table, Item=item)
        return
    assert backend.sql is not None
    store.find("0000000000")  # creates the table
    backend.sql.execute(
        "INSERT INTO orders (order_number, customer_id, status, delivery_date) VALUES (?, ?, ?, ?)",
        ["1234567897", "cust-9", status, date],
    )


def test_an_order_with_an_unreadable_date_is_read_without_one(
    orders: tuple[OrderStore, StoreBackend, str], metrics: Counted
) -> None:
    if orders[1].name in ("mysql", "postgresql"):
        pytest.skip("the DATE column refuses the row on this backend")
    _write_order(orders, "shipped", "2026-13-45")
    found = orders[0].find("1234567897")
    assert found is not None
    assert (found.status, found.delivery_date) == (OrderStatus.SHIPPED, None)
    assert metrics.added == [STORED_ROW_INVALID]


def test_an_order_with_an_unknown_status_is_refused(
    orders: tuple[OrderStore, StoreBackend, str], metrics: Counted
) -> None:
    _write_order(orders, "returned", "2026-12-01")
    with pytest.raises(InvalidRecord, match="status"):
        orders[0].find("1234567897")
    assert metrics.added == [STORED_ROW_INVALID]


def test_a_dynamodb_credential_without_a_hash_matches_no_pin(
    store_backend: StoreBackend, metrics: Counted
) -> None:
    if not store_backend.is_dynamodb:
        pytest.skip("SQL columns are NOT NULL strings")
    pins = DynamoPinStore(
        store_backend.table("PinsTable"),
        store_backend.table("PinAttemptsTable"),
        client=store_backend.client,
    )
    item = {"customer_id": {"S": "cust-9"}, "customer_number": {"S": "12345674"}}
    store_backend.client.put_item(TableName=pins.table.name, Item=item)
    record = pins.get("cust-9")
    assert record is not None and record.pin_hash == ""
    store_backend.client.put_item(TableName=pins.table.name, Item={"customer_id": {"S": "c-2"}})
    with pytest.raises(InvalidRecord, match="customer_number"):
        pins.get("c-2")
    assert metrics.added == [STORED_ROW_INVALID] * 2
