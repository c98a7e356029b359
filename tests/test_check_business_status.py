"""check_business_status through its Lambda handler, on a test clock, against a real SQLite
store (and an unreachable one)."""

from __future__ import annotations

import copy
import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from functions import check_business_status
from functions.config import DATABASE_URL, FIXED_NOW, STORE_BACKEND
from functions.container import Container
from functions.errors import ConfigurationError
from functions.stores.business import BusinessStore
from models.business_status import (
    Announcement,
    CheckBusinessStatusResponse,
    OpeningHours,
    SpecialClosure,
)
from tests.conftest import SqlBackend
from tests.containers import close_stores, environment_container, environment_stores, invoke

KNOWN = json.loads((Path(__file__).parent / "events" / "known_caller.json").read_text())
EMERGENCY = Announcement(ja="台風のため休業しています。", en="Closed due to a typhoon.")


def event(parameters: dict[str, str] | None = None) -> dict[str, Any]:
    built = copy.deepcopy(KNOWN)
    built["Details"]["Parameters"] = parameters or {}
    return built


class BusinessLine:
    """check_business_status on a container of this test: its clock says what `at` set, its
    stores are the environment's (built at the first call, as Lambda's init builds them)."""

    def __init__(self) -> None:
        self.now: datetime.datetime | None = None
        self.container: Container | None = None

    def at(self, moment: str) -> None:
        self.now = datetime.datetime.fromisoformat(moment)

    def clock(self) -> datetime.datetime:
        assert self.now is not None, "set the time with at(...) first"
        return self.now

    def call(self, parameters: dict[str, str] | None = None) -> dict[str, str]:
        if self.container is None:
            self.container = environment_container(clock=self.clock)
        answer = invoke(check_business_status.handler, event(parameters), self.container)
        assert set(answer) == CheckBusinessStatusResponse.keys()
        return answer


@pytest.fixture
def line() -> Iterator[BusinessLine]:
    business_line = BusinessLine()
    yield business_line
    if business_line.container is not None:
        business_line.container.workers.shutdown(wait=True)


@pytest.fixture
def store(sqlite_backend: SqlBackend, monkeypatch: pytest.MonkeyPatch) -> Iterator[BusinessStore]:
    monkeypatch.setenv(STORE_BACKEND, "sql")
    monkeypatch.setenv(DATABASE_URL, sqlite_backend.url)
    close_stores()
    yield environment_stores().business
    close_stores()


def test_open_on_a_weekday_morning(store: BusinessStore, line: BusinessLine) -> None:
    line.at("2026-01-05T10:00:00+09:00")
    answer = line.call()
    assert answer["status"] == "ok"
    assert (answer["isOpen"], answer["closedReason"], answer["closesAt"]) == ("true", "", "18:00")
    assert answer["announcement"] == answer["nextOpenDate"] == answer["nextOpenSsml"] == ""


def test_closed_after_hours_says_when_it_opens(store: BusinessStore, line: BusinessLine) -> None:
    line.at("2026-01-09T09:00:00+00:00")  # Friday 18:00 in Tokyo
    answer = line.call({"language": "en"})
    assert (answer["isOpen"], answer["closedReason"]) == ("false", "outside_hours")
    assert (answer["nextOpenDate"], answer["nextOpenTime"]) == ("2026-01-10", "09:00")
    assert answer["nextOpenSsml"].endswith(" 9 AM</speak>")
    assert answer["language"] == "en"


def test_closed_on_a_public_holiday_with_its_name(store: BusinessStore, line: BusinessLine) -> None:
    line.at("2026-05-05T11:00:00+09:00")
    ja, en = line.call(), line.call({"language": "en-US"})
    assert (ja["closedReason"], ja["holidayName"]) == ("holiday", "こどもの日")
    assert en["holidayName"] == "Children's Day"


def test_special_closure_with_its_announcement(store: BusinessStore, line: BusinessLine) -> None:
    store.put_closure(
        SpecialClosure(
            closure_id="inventory",
            first_day=datetime.date(2026, 2, 2),
            last_day=datetime.date(2026, 2, 3),
            announcement=Announcement(ja="棚卸しのため休業です。", en="Closed for inventory."),
        )
    )
    line.at("2026-02-03T10:00:00+09:00")
    answer = line.call({"language": "en"})
    assert (answer["closedReason"], answer["announcement"]) == (
        "special_closure",
        "Closed for inventory.",
    )
    assert answer["nextOpenDate"] == "2026-02-04"


def test_emergency_closes_an_open_line_in_the_language_asked(
    store: BusinessStore, line: BusinessLine
) -> None:
    line.at("2026-01-05T10:00:00+09:00")
    store.set_emergency(EMERGENCY)
    ja, en = line.call(), line.call({"language": "en"})
    assert (ja["isOpen"], ja["closedReason"], ja["announcement"]) == (
        "false",
        "emergency",
        EMERGENCY.ja,
    )
    assert en["announcement"] == EMERGENCY.en
    assert ja["nextOpenDate"] == ""


def test_configured_hours_are_used(store: BusinessStore, line: BusinessLine) -> None:
    store.set_hours(7, OpeningHours(opens=datetime.time(10), closes=datetime.time(16)))
    line.at("2026-01-11T15:59:00+09:00")  # Sunday
    assert line.call()["isOpen"] == "true"


def test_an_emergency_set_by_another_container_shows_within_the_cache_time(
    store: BusinessStore, line: BusinessLine, sqlite_backend: SqlBackend
) -> None:
    line.at("2026-01-05T10:00:00+09:00")
    assert line.call()["isOpen"] == "true"
    sqlite_backend.execute(
        "INSERT INTO business_emergency (slot, text_ja, text_en) VALUES (?, ?, ?)",
        ["current", EMERGENCY.ja, EMERGENCY.en],
    )
    assert line.call()["isOpen"] == "true"  # the settings read a moment ago are reused
    now = [store.monotonic() + 31]
    store.monotonic = lambda: now[0]  # type: ignore[method-assign]
    assert line.call()["closedReason"] == "emergency"


@pytest.mark.parametrize(
    "language", ["", "*", "Timeout", "1' OR '1'='1", "fr", "x" * 500, "<speak>"]
)
def test_odd_language_falls_back_on_japanese(
    store: BusinessStore, line: BusinessLine, language: str
) -> None:
    line.at("2026-01-05T10:00:00+09:00")
    store.set_emergency(EMERGENCY)
    answer = line.call({"language": language})
    assert (answer["status"], answer["language"], answer["announcement"]) == (
        "ok",
        "ja",
        EMERGENCY.ja,
    )


def test_an_unreadable_store_still_answers_from_the_last_settings(
    store: BusinessStore, line: BusinessLine, sqlite_backend: SqlBackend
) -> None:
    line.at("2026-01-05T10:00:00+09:00")
    store.set_emergency(EMERGENCY)
    assert line.call()["closedReason"] == "emergency"
    # The database file is overwritten (a botched restore): reading now fails, typed.
    Path(sqlite_backend.url.removeprefix("sqlite:///")).write_bytes(b"not a database" * 512)
    store.monotonic = lambda: 1e12  # type: ignore[method-assign]
    answer = line.call()
    assert (answer["status"], answer["reason"]) == ("unavailable", "store_unavailable")
    assert (answer["isOpen"], answer["closedReason"]) == ("false", "emergency")


def test_an_unreachable_store_answers_from_the_default_hours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: BusinessLine
) -> None:
    (tmp_path / "ivr.sqlite3").mkdir()  # SQLite can't open a folder
    monkeypatch.setenv(STORE_BACKEND, "sql")
    monkeypatch.setenv(DATABASE_URL, f"sqlite:///{tmp_path / 'ivr.sqlite3'}")
    close_stores()
    line.at("2026-01-05T10:00:00+09:00")
    try:
        answer = line.call()
    finally:
        close_stores()
    assert (answer["status"], answer["isOpen"]) == ("unavailable", "true")


def test_time_zone_and_holiday_country_come_from_the_environment(
    store: BusinessStore, line: BusinessLine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IVR_TIME_ZONE", "America/New_York")
    monkeypatch.setenv("IVR_HOLIDAY_COUNTRY", "us")
    # 10:00 in New York, Friday 3 July: Independence Day observed
    line.at("2026-07-03T14:00:00+00:00")
    answer = line.call({"language": "en"})
    assert answer["closedReason"] == "holiday"
    assert "Independence Day" in answer["holidayName"]
    line.at("2026-07-06T13:00:00+00:00")  # Monday 09:00 in New York
    assert line.call()["isOpen"] == "true"


def test_a_wrong_time_zone_is_a_typed_unavailable(
    store: BusinessStore, line: BusinessLine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IVR_TIME_ZONE", "Tokyo")
    line.at("2026-01-05T10:00:00+09:00")
    answer = line.call()
    assert (answer["status"], answer["reason"]) == ("unavailable", "configuration_error")


def test_fixed_now_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FIXED_NOW, "2026-01-05T09:00:00+09:00")
    assert check_business_status.system_clock() == datetime.datetime(
        2026, 1, 5, tzinfo=datetime.UTC
    )
    monkeypatch.setenv(FIXED_NOW, "2026-01-05T09:00:00")
    with pytest.raises(ConfigurationError, match="offset"):
        check_business_status.system_clock()
    monkeypatch.delenv(FIXED_NOW)
    assert check_business_status.system_clock().tzinfo is datetime.UTC
