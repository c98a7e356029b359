"""identify_caller answers Connect's recorded events with a valid STRING_MAP, on every backend
kind it runs on: SQLite here, DynamoDB (moto's server) below."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from functions import identify_caller
from functions.caller_id import identify_number
from functions.container import Container
from functions.errors import StoreUnavailable
from models.customer import Customer, Language, Tier
from models.identify_caller import IdentifyCallerResponse
from models.response import string_map
from tests.conftest import migrated
from tests.containers import close_stores, environment_container, environment_stores, invoke

EVENTS = Path(__file__).parent / "events"
TARO = Customer(
    customer_id="cust-1",
    phone_e164="+81312345678",
    first_name="Taro",
    preferred_language=Language.JA,
    tier=Tier.GOLD,
)


def event(name: str) -> dict:
    return json.loads((EVENTS / name).read_text(encoding="utf-8"))


@pytest.fixture
def sqlite_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Container]:
    """Taro in a new SQLite file; the container identify_caller runs on."""
    monkeypatch.setenv("IVR_STORE_BACKEND", "sql")
    monkeypatch.setenv("IVR_DATABASE_URL", migrated(f"sqlite:///{tmp_path / 'ivr.sqlite3'}"))
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    close_stores()
    environment_stores().customers.put(TARO)
    container = environment_container()
    yield container
    container.workers.shutdown(wait=True)
    close_stores()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "known_caller.json",
            {
                "callerIdStatus": "valid",
                "callerE164": "+81312345678",
                "callerCountry": "JP",
                "callerLineType": "fixed_line",
                "customerFound": "true",
                "customerId": "cust-1",
                "firstName": "Taro",
                "preferredLanguage": "ja",
                "tier": "gold",
            },
        ),
        (
            "national_format_caller.json",
            {"callerIdStatus": "valid", "callerE164": "+81312345678", "customerFound": "true"},
        ),
        (
            "unknown_caller.json",
            {"callerIdStatus": "valid", "callerE164": "+81355550000", "customerFound": "false"},
        ),
        (
            "withheld_caller.json",
            {"callerIdStatus": "withheld", "callerE164": "", "customerFound": "false"},
        ),
        (
            "task_no_endpoint.json",
            {"callerIdStatus": "withheld", "callerE164": "", "customerFound": "false"},
        ),
    ],
)
def test_recorded_events_get_a_valid_string_map(sqlite_store, name, expected) -> None:
    answer = invoke(identify_caller.handler, event(name), sqlite_store)
    assert string_map(answer) == answer  # flat, string values, < 32 KB
    assert set(answer) == IdentifyCallerResponse.keys()
    assert answer["status"] == "ok"
    assert {key: answer[key] for key in expected} == expected


def test_an_invalid_number_is_reported_not_looked_up(sqlite_store) -> None:
    raw = event("unknown_caller.json")
    raw["Details"]["ContactData"]["CustomerEndpoint"]["Address"] = "+8100"
    answer = invoke(identify_caller.handler, raw, sqlite_store)
    assert (answer["callerIdStatus"], answer["customerFound"]) == ("invalid", "false")


class BrokenStore:
    def find_by_phone(self, phone_e164: str) -> Customer | None:
        raise StoreUnavailable("throttled")


def test_a_failing_store_keeps_the_caller_fields() -> None:
    answer = identify_caller.identify(identify_number("+81312345678"), BrokenStore())
    assert answer.status == "unavailable"
    assert answer.caller_e164 == "+81312345678"
    assert answer.customer_found == "false"


def test_dynamodb_backend_through_moto_server(dynamodb_table, monkeypatch) -> None:
    table = dynamodb_table("CustomersTable")
    monkeypatch.setenv("IVR_STORE_BACKEND", "dynamodb")
    monkeypatch.setenv("IVR_CUSTOMERS_TABLE", table)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    close_stores()
    try:
        environment_stores().customers.put(TARO)
        answer = invoke(
            identify_caller.handler, event("known_caller.json"), environment_container()
        )
    finally:
        close_stores()
    assert answer["customerFound"] == "true"
    assert answer["firstName"] == "Taro"


# --- stored rows outside the model's bounds (functions/stores/rows.py) ---------------------


def _write_raw_customer(tmp_path: Path, customer_id: str, first_name: str, tier: str) -> None:
    with sqlite3.connect(tmp_path / "ivr.sqlite3") as connection:
        connection.execute(
            "INSERT INTO customers VALUES (?, '+81355550000', ?, '', 'en', ?)",
            (customer_id, first_name, tier),
        )


def test_a_stored_row_outside_its_bounds_is_answered_with_defaults(
    sqlite_store, tmp_path: Path
) -> None:
    _write_raw_customer(tmp_path, "cust-9", "Diamondo" * 13, "diamond")
    answer = invoke(identify_caller.handler, event("unknown_caller.json"), sqlite_store)
    assert answer["status"] == "ok"
    assert {k: answer[k] for k in ("callerIdStatus", "callerE164", "callerCountry")} == {
        "callerIdStatus": "valid",
        "callerE164": "+81355550000",
        "callerCountry": "JP",
    }
    assert answer["callerLineType"]
    assert (answer["customerFound"], answer["customerId"]) == ("true", "cust-9")
    assert (answer["firstName"], answer["tier"], answer["preferredLanguage"]) == (
        "",
        "standard",
        "en",
    )


def test_a_stored_row_without_a_usable_id_keeps_the_caller_fields(
    sqlite_store, tmp_path: Path
) -> None:
    _write_raw_customer(tmp_path, "", "Diamondo", "gold")
    answer = invoke(identify_caller.handler, event("unknown_caller.json"), sqlite_store)
    assert (answer["status"], answer["reason"]) == ("unavailable", "invalid_record")
    assert (answer["callerIdStatus"], answer["callerE164"]) == ("valid", "+81355550000")
    assert answer["customerFound"] == "false"
