"""The BusinessStore contract on SQLite, MariaDB, PostgreSQL and DynamoDB (moto's server),
plus two-way checks against each backend's raw storage."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from functions.stores.business import BusinessStore
from functions.stores.dynamodb.business import DynamoBusinessStore
from functions.stores.sql.business import SqlBusinessStore
from functions.stores.sql.database import SqlDatabase
from models.business_status import (
    DEFAULT_HOURS,
    Announcement,
    BusinessSettings,
    OpeningHours,
    SpecialClosure,
)
from tests.conftest import SqlBackend, StoreBackend

YEAR_END = SpecialClosure(
    closure_id="year-end-2026",
    first_day=datetime.date(2026, 12, 29),
    last_day=datetime.date(2027, 1, 3),
    reason="年末年始",
    announcement=Announcement(ja="年末年始は休業です。", en="Closed for the New Year."),
)
MOVE = SpecialClosure(
    closure_id="office-move",
    first_day=datetime.date(2026, 3, 2),
    last_day=datetime.date(2026, 3, 2),
)
EMERGENCY = Announcement(ja="地震のため受付を停止しています。", en="Closed: earthquake. 🙏")
TEN_TO_TWO = OpeningHours(opens=datetime.time(10), closes=datetime.time(14, 30))


@pytest.fixture
def store(store_backend: StoreBackend) -> BusinessStore:
    if store_backend.is_dynamodb:
        table = store_backend.table("BusinessTable")
        return DynamoBusinessStore(table, client=store_backend.client)
    return SqlBusinessStore(store_backend.database())


def test_an_empty_store_has_the_default_settings(store: BusinessStore) -> None:
    assert store.settings() == BusinessSettings()
    assert store.settings().hours == DEFAULT_HOURS


def test_hours_set_per_weekday_replace_only_that_day(store: BusinessStore) -> None:
    store.set_hours(7, TEN_TO_TWO)
    store.set_hours(3, None)
    hours = store.settings().hours
    assert hours[7] == TEN_TO_TWO
    assert hours[3] is None
    assert {d: hours[d] for d in (1, 2, 4, 5, 6)} == {d: DEFAULT_HOURS[d] for d in (1, 2, 4, 5, 6)}


def test_hours_set_twice_keep_the_last(store: BusinessStore) -> None:
    store.set_hours(1, None)
    store.set_hours(1, TEN_TO_TWO)
    assert store.settings().hours[1] == TEN_TO_TWO


def test_closures_round_trip_in_date_order(store: BusinessStore) -> None:
    store.put_closure(YEAR_END)
    store.put_closure(MOVE)
    assert store.settings().closures == (MOVE, YEAR_END)


def test_a_closure_put_again_is_replaced_and_deleted_is_gone(store: BusinessStore) -> None:
    store.put_closure(YEAR_END)
    longer = YEAR_END.model_copy(update={"last_day": datetime.date(2027, 1, 5)})
    store.put_closure(longer)
    assert store.settings().closures == (longer,)
    store.delete_closure(YEAR_END.closure_id)
    store.delete_closure("never-existed")
    assert store.settings().closures == ()


def test_emergency_set_and_cleared(store: BusinessStore) -> None:
    store.set_emergency(EMERGENCY)
    assert store.settings().emergency == EMERGENCY
    replaced = Announcement(ja="再開未定", en="")
    store.set_emergency(replaced)
    assert store.settings().emergency == replaced
    store.clear_emergency()
    store.clear_emergency()
    assert store.settings().emergency is None


def test_settings_are_reused_within_max_age_and_reread_after(store: BusinessStore) -> None:
    now = [1000.0]
    store.monotonic = lambda: now[0]  # type: ignore[method-assign]
    assert store.settings(max_age_s=30).emergency is None
    _other_container(store).set_emergency(EMERGENCY)
    now[0] += 29.9
    assert store.settings(max_age_s=30).emergency is None  # still the copy read at 1000
    now[0] += 0.2
    assert store.settings(max_age_s=30).emergency == EMERGENCY
    assert store.last_read() == store.settings(max_age_s=30)


def test_a_write_through_this_store_is_seen_at_once(store: BusinessStore) -> None:
    store.settings(max_age_s=30)
    store.set_emergency(EMERGENCY)
    assert store.settings(max_age_s=30).emergency == EMERGENCY


def test_weekday_out_of_range_is_refused(store: BusinessStore) -> None:
    with pytest.raises(ValueError, match="Monday"):
        store.set_hours(0, None)


def _other_container(store: BusinessStore) -> BusinessStore:
    """A second store on the same data: another Lambda container."""
    if isinstance(store, DynamoBusinessStore):
        return DynamoBusinessStore(store.table.name, client=store.table.client)
    assert isinstance(store, SqlBusinessStore)
    return SqlBusinessStore(store.database)


# --- two-way checks --------------------------------------------------------------------------


def test_sql_rows_written_by_the_store_read_back_with_the_driver(sql_backend: SqlBackend) -> None:
    database = SqlDatabase(sql_backend.url)
    store = SqlBusinessStore(database)
    store.set_hours(6, TEN_TO_TWO)
    store.set_hours(1, None)
    store.put_closure(YEAR_END)
    store.set_emergency(EMERGENCY)
    database.close()
    assert sql_backend.query(
        "SELECT weekday, opens_at, closes_at FROM business_hours ORDER BY weekday"
    ) == [(1, None, None), (6, "10:00", "14:30")]
    assert sql_backend.query("SELECT * FROM business_closures") == [
        (
            "year-end-2026",
            "2026-12-29",
            "2027-01-03",
            "年末年始",
            YEAR_END.announcement.ja,
            YEAR_END.announcement.en,
        )
    ]
    assert sql_backend.query("SELECT slot, text_ja, text_en FROM business_emergency") == [
        ("current", EMERGENCY.ja, EMERGENCY.en)
    ]


def test_sql_rows_an_admin_writes_are_read_through_the_store(sql_backend: SqlBackend) -> None:
    database = SqlDatabase(sql_backend.url)
    store = SqlBusinessStore(database)
    store.settings()  # creates the tables
    sql_backend.execute("INSERT INTO business_hours VALUES (?, ?, ?)", [2, "08:30", "20:00"])
    sql_backend.execute(
        "INSERT INTO business_closures (closure_id, first_day, last_day) VALUES (?, ?, ?)",
        ["training", "2026-04-10", "2026-04-10"],
    )
    sql_backend.execute(
        "INSERT INTO business_emergency (slot, text_ja) VALUES (?, ?)", ["current", "休業中"]
    )
    settings = store.settings()
    database.close()
    assert settings.hours[2] == OpeningHours(opens=datetime.time(8, 30), closes=datetime.time(20))
    assert settings.closures == (
        SpecialClosure(
            closure_id="training",
            first_day=datetime.date(2026, 4, 10),
            last_day=datetime.date(2026, 4, 10),
        ),
    )
    assert settings.emergency == Announcement(ja="休業中")


def test_dynamodb_items_written_by_the_store_read_back_raw(
    dynamodb_client: Any, dynamodb_table: Callable[[str], str]
) -> None:
    table = dynamodb_table("BusinessTable")
    store = DynamoBusinessStore(table, client=dynamodb_client)
    store.set_hours(6, TEN_TO_TWO)
    store.set_hours(1, None)
    store.put_closure(MOVE)
    store.set_emergency(EMERGENCY)
    items = {
        i["item_id"]["S"]: i
        for i in dynamodb_client.scan(TableName=table, ConsistentRead=True)["Items"]
    }
    assert items == {
        "hours#6": {
            "item_id": {"S": "hours#6"},
            "opens_at": {"S": "10:00"},
            "closes_at": {"S": "14:30"},
        },
        "hours#1": {"item_id": {"S": "hours#1"}},
        "closure#office-move": {
            "item_id": {"S": "closure#office-move"},
            "closure_id": {"S": "office-move"},
            "first_day": {"S": "2026-03-02"},
            "last_day": {"S": "2026-03-02"},
            "reason": {"S": ""},
            "announcement_ja": {"S": ""},
            "announcement_en": {"S": ""},
        },
        "emergency": {
            "item_id": {"S": "emergency"},
            "text_ja": {"S": EMERGENCY.ja},
            "text_en": {"S": EMERGENCY.en},
        },
    }


def test_dynamodb_items_an_admin_writes_are_read_through_the_store(
    dynamodb_client: Any, dynamodb_table: Callable[[str], str]
) -> None:
    table = dynamodb_table("BusinessTable")
    for item in (
        {"item_id": {"S": "hours#7"}, "opens_at": {"S": "10:00"}, "closes_at": {"S": "14:30"}},
        {
            "item_id": {"S": "closure#training"},
            "first_day": {"S": "2026-04-10"},
            "last_day": {"S": "2026-04-11"},
            "note": {"S": "an attribute the model doesn't know"},
        },
        {"item_id": {"S": "emergency"}, "text_en": {"S": "Closed today."}},
    ):
        dynamodb_client.put_item(TableName=table, Item=item)
    settings = DynamoBusinessStore(table, client=dynamodb_client).settings()
    assert settings.hours[7] == TEN_TO_TWO
    assert settings.closures == (
        SpecialClosure(
            closure_id="training",
            first_day=datetime.date(2026, 4, 10),
            last_day=datetime.date(2026, 4, 11),
        ),
    )
    assert settings.emergency == Announcement(en="Closed today.")


def test_seeding_writes_the_sample_settings_idempotently(store: BusinessStore) -> None:
    from ivr.seeding.business import sample_closure, seed_business

    today = datetime.date(2026, 6, 1)
    store.set_emergency(EMERGENCY)
    summary = seed_business(store, today)
    seed_business(store, today)
    settings = store.settings()
    assert settings.hours == DEFAULT_HOURS
    assert settings.closures == (sample_closure(today),)
    assert settings.closures[0].first_day == datetime.date(2026, 12, 29)
    assert settings.emergency is None
    assert "year-end-2026" in summary
