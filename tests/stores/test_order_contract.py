"""The OrderStore and VerificationStore contracts on SQLite, MariaDB, PostgreSQL and DynamoDB
(moto's server), plus two-way raw checks."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from functions.stores.dynamodb.orders import DynamoOrderStore
from functions.stores.dynamodb.verifications import DynamoVerificationStore
from functions.stores.orders import OrderStore
from functions.stores.sql.database import SqlDatabase
from functions.stores.sql.orders import SqlOrderStore
from functions.stores.sql.verifications import SqlVerificationStore
from functions.stores.verifications import VerificationStore
from models.order import Order, OrderStatus
from tests.conftest import SqlBackend, StoreBackend

T0 = 1_800_000_000
SHIPPED = Order(
    order_number="7000100015",
    customer_id="cust-0001",
    status=OrderStatus.SHIPPED,
    delivery_date=datetime.date(2026, 12, 3),
)
CANCELLED = Order(order_number="7000200013", customer_id="cust-0002", status=OrderStatus.CANCELLED)


@pytest.fixture
def stores(store_backend: StoreBackend) -> tuple[OrderStore, VerificationStore]:
    if store_backend.is_dynamodb:
        client = store_backend.client
        return (
            DynamoOrderStore(store_backend.table("OrdersTable"), client=client),
            DynamoVerificationStore(store_backend.table("VerificationsTable"), client=client),
        )
    database = store_backend.database()
    return SqlOrderStore(database), SqlVerificationStore(database)


@pytest.fixture
def orders(stores: tuple[OrderStore, VerificationStore]) -> OrderStore:
    return stores[0]


@pytest.fixture
def verifications(stores: tuple[OrderStore, VerificationStore]) -> VerificationStore:
    return stores[1]


def test_put_then_find_returns_the_same_order(orders: OrderStore) -> None:
    orders.put(SHIPPED)
    orders.put(CANCELLED)
    assert orders.find(SHIPPED.order_number) == SHIPPED
    assert orders.find(CANCELLED.order_number) == CANCELLED  # no date survives as None


def test_an_unknown_number_is_none(orders: OrderStore) -> None:
    orders.put(SHIPPED)
    assert orders.find("7000100023") is None


def test_put_replaces_the_order(orders: OrderStore) -> None:
    orders.put(SHIPPED)
    delivered = SHIPPED.model_copy(
        update={"status": OrderStatus.DELIVERED, "delivery_date": datetime.date(2026, 12, 1)}
    )
    orders.put(delivered)
    assert orders.find(SHIPPED.order_number) == delivered


def test_an_injection_string_is_just_a_number_that_is_not_there(orders: OrderStore) -> None:
    orders.put(SHIPPED)
    assert orders.find("1' OR '1'='1") is None


def test_a_verification_holds_until_it_expires(verifications: VerificationStore) -> None:
    verifications.record("contact-1", "cust-0001", T0 + 600)
    assert verifications.verified_customer("contact-1", T0) == "cust-0001"
    assert verifications.verified_customer("contact-1", T0 + 599) == "cust-0001"
    assert verifications.verified_customer("contact-1", T0 + 600) is None


def test_verifications_are_per_contact_and_replaced(verifications: VerificationStore) -> None:
    verifications.record("contact-1", "cust-0001", T0 + 600)
    assert verifications.verified_customer("contact-2", T0) is None
    verifications.record("contact-1", "cust-0002", T0 + 900)
    assert verifications.verified_customer("contact-1", T0 + 700) == "cust-0002"


# --- two-way checks --------------------------------------------------------------------------


def test_sql_rows_written_by_the_store_read_back_raw(sql_backend: SqlBackend) -> None:
    database = SqlDatabase(sql_backend.url)
    SqlOrderStore(database).put(SHIPPED)
    SqlVerificationStore(database).record("contact-1", "cust-0001", T0)
    database.close()
    rows = sql_backend.query("SELECT order_number, customer_id, status, delivery_date FROM orders")
    assert [(n, c, s, str(d)) for n, c, s, d in rows] == [
        ("7000100015", "cust-0001", "shipped", "2026-12-03")
    ]
    assert sql_backend.query(
        "SELECT contact_key, customer_id, expires_at FROM pin_verifications"
    ) == [("contact-1", "cust-0001", T0)]


def test_sql_rows_written_raw_read_through_the_store(sql_backend: SqlBackend) -> None:
    database = SqlDatabase(sql_backend.url)
    orders, verifications = SqlOrderStore(database), SqlVerificationStore(database)
    assert orders.find("0") is None  # creates the tables
    assert verifications.verified_customer("x", T0) is None
    sql_backend.execute(
        "INSERT INTO orders (order_number, customer_id, status, delivery_date) VALUES (?, ?, ?, ?)",
        ["1234567897", "raw-1", "processing", "2027-01-31"],
    )
    sql_backend.execute(
        "INSERT INTO pin_verifications (contact_key, customer_id, expires_at) VALUES (?, ?, ?)",
        ["contact-9", "raw-1", T0 + 5],
    )
    assert orders.find("1234567897") == Order(
        order_number="1234567897",
        customer_id="raw-1",
        status=OrderStatus.PROCESSING,
        delivery_date=datetime.date(2027, 1, 31),
    )
    assert verifications.verified_customer("contact-9", T0) == "raw-1"
    database.close()


def test_dynamodb_items_written_by_the_store_read_back_raw(
    dynamodb_client: Any, dynamodb_table: Callable[[str], str]
) -> None:
    table, verified = dynamodb_table("OrdersTable"), dynamodb_table("VerificationsTable")
    DynamoOrderStore(table, client=dynamodb_client).put(SHIPPED)
    DynamoOrderStore(table, client=dynamodb_client).put(CANCELLED)
    DynamoVerificationStore(verified, client=dynamodb_client).record("c-1", "cust-0001", T0)
    get = dynamodb_client.get_item
    assert get(TableName=table, Key={"order_number": {"S": "7000100015"}})["Item"] == {
        "order_number": {"S": "7000100015"},
        "customer_id": {"S": "cust-0001"},
        "status": {"S": "shipped"},
        "delivery_date": {"S": "2026-12-03"},
    }
    cancelled = get(TableName=table, Key={"order_number": {"S": "7000200013"}})["Item"]
    assert "delivery_date" not in cancelled
    assert get(TableName=verified, Key={"contact_key": {"S": "c-1"}})["Item"] == {
        "contact_key": {"S": "c-1"},
        "customer_id": {"S": "cust-0001"},
        "expires_at": {"N": str(T0)},
    }


def test_dynamodb_items_written_raw_read_through_the_store(
    dynamodb_client: Any, dynamodb_table: Callable[[str], str]
) -> None:
    table, verified = dynamodb_table("OrdersTable"), dynamodb_table("VerificationsTable")
    dynamodb_client.put_item(
        TableName=table,
        Item={
            "order_number": {"S": "1234567897"},
            "customer_id": {"S": "raw-1"},
            "status": {"S": "delivered"},
            "delivery_date": {"S": "2027-01-31"},
            "carrier": {"S": "an attribute we do not model"},
        },
    )
    dynamodb_client.put_item(
        TableName=verified,
        Item={
            "contact_key": {"S": "c-9"},
            "customer_id": {"S": "raw-1"},
            "expires_at": {"N": str(T0 + 5)},
        },
    )
    found = DynamoOrderStore(table, client=dynamodb_client).find("1234567897")
    assert found == Order(
        order_number="1234567897",
        customer_id="raw-1",
        status=OrderStatus.DELIVERED,
        delivery_date=datetime.date(2027, 1, 31),
    )
    store = DynamoVerificationStore(verified, client=dynamodb_client)
    assert store.verified_customer("c-9", T0) == "raw-1"
