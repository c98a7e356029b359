"""The CallbackStore contract on SQLite, MariaDB, PostgreSQL and DynamoDB (moto's server),
plus two-way checks against each backend's raw storage."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from functions.errors import NotFound
from functions.stores.callbacks import CallbackStore
from functions.stores.dynamodb.callbacks import STATUS_INDEX, DynamoCallbackStore
from functions.stores.sql import schema
from functions.stores.sql.callbacks import SqlCallbackStore
from functions.stores.sql.database import SqlDatabase
from models.callback import CallbackPurpose, CallbackRequest, CallbackStatus
from models.customer import Language
from tests.conftest import SqlBackend, StoreBackend

JST = datetime.timezone(datetime.timedelta(hours=9))
FIRST = CallbackRequest(
    contact_id="5ca32fbd-8f92-46af-92a5-6b0f970f0efe",
    phone_e164="+81312345678",
    requested_at=datetime.datetime(2026, 1, 5, 9, 30, 15, 123000, tzinfo=JST),
)
SECOND = CallbackRequest(
    contact_id="6db43fce-0000-46af-92a5-6b0f970f0eff",
    phone_e164="+12025550123",
    requested_at=datetime.datetime(2026, 1, 5, 0, 31, tzinfo=datetime.UTC),
    language=Language.EN,
)


@pytest.fixture
def store(store_backend: StoreBackend) -> CallbackStore:
    if store_backend.is_dynamodb:
        table = store_backend.table("CallbacksTable")
        return DynamoCallbackStore(table, client=store_backend.client)
    return SqlCallbackStore(store_backend.database())


def test_request_stores_and_returns_the_request(store: CallbackStore) -> None:
    assert store.request(FIRST) == FIRST
    assert store.get(FIRST.contact_id) == FIRST
    assert store.get(FIRST.contact_id).requested_at == FIRST.requested_at


def test_a_second_request_for_the_contact_returns_the_first(store: CallbackStore) -> None:
    store.request(FIRST)
    retry = FIRST.model_copy(
        update={
            "phone_e164": "+819012345678",
            "requested_at": FIRST.requested_at.replace(minute=59),
        }
    )
    assert store.request(retry) == FIRST
    assert store.get(FIRST.contact_id) == FIRST


def test_parallel_requests_for_one_contact_store_one(store: CallbackStore) -> None:
    variants = [FIRST.model_copy(update={"phone_e164": f"+8131234567{i}"}) for i in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(store.request, variants))
    stored = store.get(FIRST.contact_id)
    assert stored in variants
    assert answers == [stored] * len(variants)


def test_get_of_an_unknown_contact_raises_not_found(store: CallbackStore) -> None:
    store.request(FIRST)
    with pytest.raises(NotFound, match="no callback"):
        store.get("no-such-contact")


def test_pending_lists_oldest_first(store: CallbackStore) -> None:
    store.request(FIRST)  # 00:30:15 UTC
    store.request(SECOND)  # 00:31 UTC
    assert store.pending() == [FIRST, SECOND]
    assert store.pending(limit=1) == [FIRST]


def test_pending_of_an_empty_store_is_empty(store: CallbackStore) -> None:
    assert store.pending() == []


# --- two-way checks --------------------------------------------------------------------------


def test_sql_rows_written_by_the_store_read_back_with_the_driver(sql_backend: SqlBackend) -> None:
    database = SqlDatabase(sql_backend.url)
    SqlCallbackStore(database).request(FIRST)
    database.close()
    assert sql_backend.query("SELECT * FROM callbacks") == [
        (
            FIRST.contact_id,
            "+81312345678",
            "2026-01-05T00:30:15.123+00:00",
            "ja",
            "pending",
            "general",
        )
    ]


def test_sql_rows_written_with_the_driver_read_through_the_store(sql_backend: SqlBackend) -> None:
    database = SqlDatabase(sql_backend.url)
    store = SqlCallbackStore(database)
    assert store.pending() == []  # creates the table
    sql_backend.execute(
        # Without `purpose`, as a row booked before migration 3: it reads general.
        "INSERT INTO callbacks (contact_id, phone_e164, requested_at, language, status) "
        "VALUES (?, ?, ?, ?, ?)",
        ["raw-1", "+819012345678", "2026-01-05T01:00:00.000+00:00", "en", "done"],
    )
    found = store.get("raw-1")
    pending = store.pending()
    database.close()
    assert found == CallbackRequest(
        contact_id="raw-1",
        phone_e164="+819012345678",
        requested_at=datetime.datetime(2026, 1, 5, 1, tzinfo=datetime.UTC),
        language=Language.EN,
        status=CallbackStatus.DONE,
    )
    assert pending == []


def test_dynamodb_items_written_by_the_store_read_back_raw(
    dynamodb_client: Any, dynamodb_table: Callable[[str], str]
) -> None:
    table = dynamodb_table("CallbacksTable")
    DynamoCallbackStore(table, client=dynamodb_client).request(SECOND)
    item = dynamodb_client.get_item(TableName=table, Key={"contact_id": {"S": SECOND.contact_id}})[
        "Item"
    ]
    assert item == {
        "contact_id": {"S": SECOND.contact_id},
        "phone_e164": {"S": "+12025550123"},
        "requested_at": {"S": "2026-01-05T00:31:00.000+00:00"},
        "language": {"S": "en"},
        "status": {"S": "pending"},
        "purpose": {"S": "general"},
    }
    by_status = dynamodb_client.query(
        TableName=table,
        IndexName=STATUS_INDEX,
        KeyConditionExpression="#s = :p",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":p": {"S": "pending"}},
    )
    assert [i["contact_id"]["S"] for i in by_status["Items"]] == [SECOND.contact_id]


def test_dynamodb_items_written_raw_read_through_the_store(
    dynamodb_client: Any, dynamodb_table: Callable[[str], str]
) -> None:
    table = dynamodb_table("CallbacksTable")
    dynamodb_client.put_item(
        TableName=table,
        Item={
            "contact_id": {"S": "raw-1"},
            "phone_e164": {"S": "+819012345678"},
            "requested_at": {"S": "2026-01-05T01:00:00.000+00:00"},
            "language": {"S": "ja"},
            "status": {"S": "pending"},
            "agent_note": {"S": "an attribute the model doesn't know"},
        },
    )
    store = DynamoCallbackStore(table, client=dynamodb_client)
    expected = CallbackRequest(
        contact_id="raw-1",
        phone_e164="+819012345678",
        requested_at=datetime.datetime(2026, 1, 5, 1, tzinfo=datetime.UTC),
    )
    assert store.get("raw-1") == expected
    assert store.pending() == [expected]
    # The condition protects a record written by anyone, not only by the store.
    assert store.request(expected.model_copy(update={"phone_e164": "+81312345678"})) == expected


def test_migration_3_gives_callbacks_booked_before_it_the_general_purpose(
    sql_backend: SqlBackend,
) -> None:
    sql_backend.drop_tables()
    database = SqlDatabase(sql_backend.url)
    try:
        assert schema.migrate(database, up_to=2) == [1, 2]
        sql_backend.execute(
            "INSERT INTO callbacks VALUES (?, ?, ?, ?, ?)",
            ["old-1", "+819012345678", "2026-01-05T01:00:00.000+00:00", "ja", "pending"],
        )
        assert schema.migrate(database) == [3]
        store = SqlCallbackStore(database)
        assert store.get("old-1").purpose is CallbackPurpose.GENERAL
        store.request(FIRST.model_copy(update={"purpose": CallbackPurpose.ORDER}))
        assert store.get(FIRST.contact_id).purpose is CallbackPurpose.ORDER
    finally:
        database.close()
