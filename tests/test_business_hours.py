"""The pure business-hours decision, table-driven on a fixed clock (never the wall clock)."""

from __future__ import annotations

import datetime

import pytest

from functions.business_hours import (
    business_status,
    holiday_calendar,
    next_open_ssml,
    time_zone,
)
from functions.errors import ConfigurationError
from models.business_status import (
    Announcement,
    BusinessSettings,
    ClosedReason,
    OpeningHours,
    SpecialClosure,
)
from models.customer import Language

TOKYO = time_zone("Asia/Tokyo")
JP = holiday_calendar("JP")
DEFAULTS = BusinessSettings()
YEAR_END = SpecialClosure(
    closure_id="year-end",
    first_day=datetime.date(2026, 12, 29),
    last_day=datetime.date(2027, 1, 3),
    reason="year-end holidays",
    announcement=Announcement(ja="年末年始休業中です。", en="We are closed for the New Year."),
)
EMERGENCY = Announcement(ja="災害のため休業しています。", en="Closed due to a disaster.")


def tokyo(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TOKYO)


def status_at(text: str, settings: BusinessSettings = DEFAULTS):  # type: ignore[no-untyped-def]
    return business_status(tokyo(text), settings, zone=TOKYO, holidays=JP)


# 2026-01-05 is a Monday, 2026-01-10 a Saturday, 2026-01-11 a Sunday.
@pytest.mark.parametrize(
    ("local", "is_open", "reason"),
    [
        ("2026-01-05T08:59:59", False, ClosedReason.OUTSIDE_HOURS),
        ("2026-01-05T09:00:00", True, ClosedReason.NONE),
        ("2026-01-05T12:30:00", True, ClosedReason.NONE),
        ("2026-01-05T17:59:59", True, ClosedReason.NONE),
        ("2026-01-05T18:00:00", False, ClosedReason.OUTSIDE_HOURS),
        ("2026-01-09T17:59:00", True, ClosedReason.NONE),  # Friday
        ("2026-01-10T09:00:00", True, ClosedReason.NONE),  # Saturday morning
        ("2026-01-10T12:59:00", True, ClosedReason.NONE),
        ("2026-01-10T13:00:00", False, ClosedReason.OUTSIDE_HOURS),
        ("2026-01-11T12:00:00", False, ClosedReason.OUTSIDE_HOURS),  # Sunday
        ("2026-01-01T10:00:00", False, ClosedReason.HOLIDAY),  # New Year's Day, a Thursday
        ("2026-05-05T10:00:00", False, ClosedReason.HOLIDAY),  # Children's Day, a Tuesday
        ("2026-12-28T10:00:00", True, ClosedReason.NONE),
    ],
)
def test_default_weekly_hours_and_jp_holidays(local: str, is_open: bool, reason: str) -> None:
    status = status_at(local)
    assert (status.is_open, status.closed_reason) == (is_open, reason)
    assert (status.closes_at is not None) == is_open
    assert (status.next_open is None) == is_open


def test_holiday_is_named() -> None:
    assert status_at("2026-05-05T10:00:00").holiday_name == "こどもの日"
    english = business_status(
        tokyo("2026-05-05T10:00:00"),
        DEFAULTS,
        zone=TOKYO,
        holidays=holiday_calendar("JP", Language.EN),
    )
    assert english.holiday_name == "Children's Day"


@pytest.mark.parametrize(
    ("local", "reason", "next_open"),
    [
        ("2026-12-28T18:00:00", ClosedReason.OUTSIDE_HOURS, "2027-01-04T09:00:00"),
        ("2026-12-29T00:00:00", ClosedReason.SPECIAL_CLOSURE, "2027-01-04T09:00:00"),
        ("2027-01-01T10:00:00", ClosedReason.SPECIAL_CLOSURE, "2027-01-04T09:00:00"),
        ("2027-01-03T23:59:59", ClosedReason.SPECIAL_CLOSURE, "2027-01-04T09:00:00"),
    ],
)
def test_special_closure_wins_over_holiday_and_hours(
    local: str, reason: ClosedReason, next_open: str
) -> None:
    status = status_at(local, BusinessSettings(closures=(YEAR_END,)))
    assert not status.is_open
    assert status.closed_reason is reason
    assert status.next_open == tokyo(next_open)
    if reason is ClosedReason.SPECIAL_CLOSURE:
        assert status.announcement == YEAR_END.announcement


def test_closure_without_announcement_has_none() -> None:
    silent = YEAR_END.model_copy(update={"announcement": Announcement()})
    status = status_at("2026-12-30T10:00:00", BusinessSettings(closures=(silent,)))
    assert status.closed_reason is ClosedReason.SPECIAL_CLOSURE
    assert status.announcement is None


@pytest.mark.parametrize(
    "local",
    ["2026-01-05T10:00:00", "2026-01-01T10:00:00", "2026-12-30T10:00:00", "2026-01-11T03:00:00"],
)
def test_emergency_wins_over_everything(local: str) -> None:
    settings = BusinessSettings(closures=(YEAR_END,), emergency=EMERGENCY)
    status = status_at(local, settings)
    assert (status.is_open, status.closed_reason) == (False, ClosedReason.EMERGENCY)
    assert status.announcement == EMERGENCY
    assert status.next_open is None


@pytest.mark.parametrize(
    ("utc", "is_open"),
    [
        ("2026-01-05T00:00:00+00:00", True),  # 09:00 in Tokyo
        ("2026-01-04T23:59:59+00:00", False),  # 08:59:59 in Tokyo
        ("2026-01-05T08:59:00+00:00", True),  # 17:59 in Tokyo
        ("2026-01-05T09:00:00+00:00", False),  # 18:00 in Tokyo
        ("2025-12-31T15:30:00+00:00", False),  # already 1 January in Tokyo: a holiday
    ],
)
def test_utc_now_is_judged_in_tokyo_time(utc: str, is_open: bool) -> None:
    status = business_status(
        datetime.datetime.fromisoformat(utc), DEFAULTS, zone=TOKYO, holidays=JP
    )
    assert status.is_open is is_open
    assert status.local_now.utcoffset() == datetime.timedelta(hours=9)


def test_configured_hours_replace_defaults_per_weekday() -> None:
    sunday = OpeningHours(opens=datetime.time(10), closes=datetime.time(12))
    settings = BusinessSettings(hours={7: sunday, 1: None})
    assert status_at("2026-01-11T10:00:00", settings).is_open
    monday = status_at("2026-01-05T10:00:00", settings)
    assert monday.closed_reason is ClosedReason.OUTSIDE_HOURS
    assert monday.next_open == tokyo("2026-01-06T09:00:00")  # Tuesday keeps its default


def test_next_open_skips_holidays() -> None:
    # Friday 1 May 2026 after hours -> Sat 2 May (open 09:00; Golden Week starts on the 3rd).
    assert status_at("2026-05-01T19:00:00").next_open == tokyo("2026-05-02T09:00:00")
    # Sat 2 May after 13:00 -> 3,4,5,6 May are holidays -> Thursday 7 May.
    assert status_at("2026-05-02T13:00:00").next_open == tokyo("2026-05-07T09:00:00")


def test_no_next_open_within_horizon() -> None:
    closed = BusinessSettings(hours=dict.fromkeys(range(1, 8)))
    assert status_at("2026-01-05T10:00:00", closed).next_open is None


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        business_status(datetime.datetime(2026, 1, 5, 10), DEFAULTS, zone=TOKYO, holidays=JP)


def test_opening_hours_must_open_before_closing() -> None:
    with pytest.raises(ValueError, match="open before it closes"):
        OpeningHours(opens=datetime.time(18), closes=datetime.time(9))


def test_closure_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="swap"):
        SpecialClosure(
            closure_id="x", first_day=datetime.date(2026, 2, 2), last_day=datetime.date(2026, 2, 1)
        )


@pytest.mark.parametrize(
    ("language", "opening", "spoken"),
    [
        (Language.JA, "2026-01-05T09:00:00", "9時"),
        (Language.JA, "2026-01-05T09:30:00", "9時30分"),
        (Language.EN, "2026-01-05T09:00:00", "9 AM"),
        (Language.EN, "2026-01-05T13:05:00", "1:05 PM"),
        (Language.EN, "2026-01-05T12:00:00", "12 PM"),
    ],
)
def test_next_open_ssml(language: Language, opening: str, spoken: str) -> None:
    ssml = next_open_ssml(tokyo(opening), language)
    assert ssml.startswith("<speak>") and ssml.endswith(f" {spoken}</speak>")
    assert 'interpret-as="date"' in ssml


def test_unknown_time_zone_and_country_say_which_variable() -> None:
    with pytest.raises(ConfigurationError, match="IVR_TIME_ZONE"):
        time_zone("Mars/Olympus")
    with pytest.raises(ConfigurationError, match="IVR_HOLIDAY_COUNTRY"):
        holiday_calendar("XX")


def test_holiday_country_is_configurable() -> None:
    # Saturday 4 July 2026, 10:00: an ordinary Saturday morning in Japan, a US holiday.
    moment = tokyo("2026-07-04T10:00:00")
    assert business_status(moment, DEFAULTS, zone=TOKYO, holidays=JP).is_open
    us = business_status(moment, DEFAULTS, zone=TOKYO, holidays=holiday_calendar("US"))
    assert us.closed_reason is ClosedReason.HOLIDAY
    assert us.holiday_name == "Independence Day"
