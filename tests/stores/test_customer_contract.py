"""The CustomerStore contract, written once and run on SQLite, MariaDB, PostgreSQL and DynamoDB
(moto's server), plus two-way checks against each backend's raw storage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from functions.errors import AlreadyExists, NotFound
from functions.stores.customers import CustomerStore
from functions.stores.dynamodb.customers import PHONE_INDEX, DynamoCustomerStore
from functions.stores.sql.customers import SqlCustomerStore
from functions.stores.sql.database import SqlDatabase
from models.customer import Customer, Language, Tier
from tests.conftest import SqlBackend, StoreBackend

TARO = Customer(
    customer_id="cust-0001",
    phone_e164="+81312345678",
    first_name="Taro",
    last_name="Yamada",
    preferred_language=Language.JA,
    tier=Tier.GOLD,
)
JANE = Customer(
    customer_id="cust-0002",
    phone_e164="+12025550123",
    first_name="Jane",
    last_name="Doe",
    preferred_language=Language.EN,
    tier=Tier.PLATINUM,
)


@pytest.fixture
def store(store_backend: StoreBackend) -> CustomerStore:
    if store_backend.is_dynamodb:
        table = store_backend.table("CustomersTable")
        return DynamoCustomerStore(table, client=store_backend.client)
    return SqlCustomerStore(store_backend.database())


def test_put_then_get_returns_the_same_customer(store: CustomerStore) -> None:
    store.put(TARO)
    assert store.get(TARO.customer_id) == TARO


def test_find_by_phone_finds_the_customer_with_that_number(store: CustomerStore) -> None:
    store.put(TARO)
    store.put(JANE)
    assert store.find_by_phone(JANE.phone_e164) == JANE
    assert store.find_by_phone(TARO.phone_e164) == TARO


def test_find_by_phone_of_an_unknown_number_is_none(store: CustomerStore) -> None:
    store.put(TARO)
    assert store.find_by_phone("+819012345678") is None


def test_find_by_phone_on_an_empty_store_is_none(store: CustomerStore) -> None:
    assert store.find_by_phone(TARO.phone_e164) is None


def test_get_of_a_missing_id_raises_not_found(store: CustomerStore) -> None:
    store.put(TARO)
    with pytest.raises(NotFound, match="cust-9999"):
        store.get("cust-9999")


def test_put_of_an_existing_id_replaces_every_field(store: CustomerStore) -> None:
    store.put(TARO)
    moved = TARO.model_copy(
        update={
            "phone_e164": "+819012345678",
            "first_name": "Taroo",
            "last_name": "",
            "preferred_language": Language.EN,
            "tier": Tier.STANDARD,
        }
    )
    store.put(moved)
    assert store.get(TARO.customer_id) == moved
    assert store.find_by_phone("+819012345678") == moved
    assert store.find_by_phone(TARO.phone_e164) is None


def test_put_is_idempotent(store: CustomerStore) -> None:
    store.put(TARO)
    store.put(TARO)
    assert store.get(TARO.customer_id) == TARO


def test_unicode_names_survive_the_round_trip(store: CustomerStore) -> None:
    hanako = TARO.model_copy(update={"first_name": "花子", "last_name": "日本語🎌"})
    store.put(hanako)
    assert store.get(hanako.customer_id).last_name == "日本語🎌"
    assert store.find_by_phone(hanako.phone_e164) == hanako


def test_ids_are_compared_exactly(store: CustomerStore) -> None:
    store.put(TARO)
    with pytest.raises(NotFound):
        store.get(TARO.customer_id.upper())


def test_a_number_taken_by_another_customer_is_refused(store: CustomerStore) -> None:
    store.put(TARO)
    thief = JANE.model_copy(update={"phone_e164": TARO.phone_e164})
    with pytest.raises(AlreadyExists, match="cust-0001") as caught:
        store.put(thief)
    assert TARO.phone_e164 not in str(caught.value)  # masked
    assert store.get(TARO.customer_id) == TARO
    with pytest.raises(NotFound):
        store.get(JANE.customer_id)


# --- two-way checks: the store against each backend's raw storage ----------------------------


def test_sql_rows_written_by_the_store_read_back_with_the_driver(sql_backend: SqlBackend) -> None:
    database = SqlDatabase(sql_backend.url)
    SqlCustomerStore(database).put(JANE)
    database.close()
    rows = sql_backend.query(
        "SELECT customer_id, phone_e164, first_name, last_name, preferred_language, tier "
        "FROM customers WHERE phone_e164 = ?",
        [JANE.phone_e164],
    )
    assert rows == [("cust-0002", "+12025550123", "Jane", "Doe", "en", "platinum")]


def test_sql_rows_written_with_the_driver_read_through_the_store(sql_backend: SqlBackend) -> None:
    database = SqlDatabase(sql_backend.url)
    store = SqlCustomerStore(database)
    assert store.find_by_phone(TARO.phone_e164) is None  # creates the table
    sql_backend.execute(
        "INSERT INTO customers (customer_id, phone_e164, first_name, last_name, "
        "preferred_language, tier) VALUES (?, ?, ?, ?, ?, ?)",
        ["raw-1", "+819012345678", "次郎", "", "ja", "standard"],
    )
    found = store.find_by_phone("+819012345678")
    database.close()
    assert found == Customer(customer_id="raw-1", phone_e164="+819012345678", first_name="次郎")


def test_sql_schema_creation_is_idempotent_across_processes(sql_backend: SqlBackend) -> None:
    first, second = SqlDatabase(sql_backend.url), SqlDatabase(sql_backend.url)
    SqlCustomerStore(first).put(TARO)
    SqlCustomerStore(second).put(JANE)  # its own CREATE TABLE IF NOT EXISTS finds the table
    first.close()
    second.close()
    assert sql_backend.tables().count("customers") == 1
    assert len(sql_backend.query("SELECT customer_id FROM customers")) == 2


def test_dynamodb_items_written_by_the_store_read_back_raw(
    dynamodb_client: Any, dynamodb_table: Callable[[str], str]
) -> None:
    table = dynamodb_table("CustomersTable")
    DynamoCustomerStore(table, client=dynamodb_client).put(JANE)
    item = dynamodb_client.get_item(TableName=table, Key={"customer_id": {"S": "cust-0002"}})
    assert item["Item"] == {
        "customer_id": {"S": "cust-0002"},
        "phone_e164": {"S": "+12025550123"},
        "first_name": {"S": "Jane"},
        "last_name": {"S": "Doe"},
        "preferred_language": {"S": "en"},
        "tier": {"S": "platinum"},
    }
    by_phone = dynamodb_client.query(
        TableName=table,
        IndexName=PHONE_INDEX,
        KeyConditionExpression="phone_e164 = :p",
        ExpressionAttributeValues={":p": {"S": "+12025550123"}},
    )
    assert [i["customer_id"]["S"] for i in by_phone["Items"]] == ["cust-0002"]


def test_dynamodb_items_written_raw_read_through_the_store(
    dynamodb_client: Any, dynamodb_table: Callable[[str], str]
) -> None:
    table = dynamodb_table("CustomersTable")
    dynamodb_client.put_item(
        TableName=table,
        Item={
            "customer_id": {"S": "raw-1"},
            "phone_e164": {"S": "+819012345678"},
            "first_name": {"S": "次郎"},
            "preferred_language": {"S": "en"},
            "tier": {"S": "gold"},
            "notes": {"S": "an attribute the model doesn't know"},
        },
    )
    store = DynamoCustomerStore(table, client=dynamodb_client)
    expected = Customer(
        customer_id="raw-1",
        phone_e164="+819012345678",
        first_name="次郎",
        preferred_language=Language.EN,
        tier=Tier.GOLD,
    )
    assert store.find_by_phone("+819012345678") == expected
    assert store.get("raw-1") == expected
