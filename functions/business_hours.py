"""Open or closed at a given moment: pure, no store, no clock.

    business_status(now, settings, time_zone=..., holidays=...) -> BusinessStatus

`now` is any aware datetime (the handler passes its clock's UTC time); it is converted to
the line's time zone before anything is compared, so opening hours, holidays and closures
are all judged by the local calendar. What closes the line, first match wins:

    emergency        an admin's emergency announcement is set: closed, whatever the hours
    special_closure  today is inside an admin's closure
    holiday          today is a public holiday of the configured country
    outside_hours    today has no hours (Sunday by default), or now is outside them

Japan's public holidays come from a table generated from the `holidays` package
(functions/holidays_jp.py, 2000-2060, `python -m ivr.holiday_table`): `import holidays` and
its first `country_holidays` cost ~0.1 s and ~14 MiB of a cold start (bench/README.md).
Other countries, and Japanese years outside the table, come from the package itself, imported
on first use and built once per (country, language) per container.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from functions import holidays_jp
from functions.errors import ConfigurationError
from functions.ssml import say_date, speak, text
from models.business_status import Announcement, BusinessSettings, ClosedReason
from models.customer import Language

__all__ = [
    "NEXT_OPEN_HORIZON_DAYS",
    "BusinessStatus",
    "HolidayCalendar",
    "business_status",
    "holiday_calendar",
    "next_open_ssml",
    "time_zone",
]

# How far ahead the next opening is looked for; a longer closure answers no next opening.
NEXT_OPEN_HORIZON_DAYS = 60
# `holidays` names holidays in these languages for the countries that translate them.
_HOLIDAY_LANGUAGES = {Language.JA: "ja", Language.EN: "en_US"}


class HolidayCalendar(Protocol):
    """The name of the public holiday on a day, or None: `holidays.HolidayBase.get`."""

    def get(self, key: datetime.date) -> str | None: ...


@dataclass(frozen=True)
class BusinessStatus:
    """The line at one moment, in local time."""

    is_open: bool
    closed_reason: ClosedReason
    local_now: datetime.datetime
    announcement: Announcement | None = None
    holiday_name: str = ""
    closes_at: datetime.time | None = None
    next_open: datetime.datetime | None = None


def business_status(
    now: datetime.datetime,
    settings: BusinessSettings,
    *,
    zone: datetime.tzinfo,
    holidays: HolidayCalendar | Mapping[datetime.date, str],
) -> BusinessStatus:
    """Whether the line is open at `now` (aware) and, if not, why and when it opens again."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("business_status needs an aware datetime: pass datetime.now(UTC)")
    local = now.astimezone(zone)
    if settings.emergency is not None:
        # Nobody knows when an emergency ends: no next opening to promise.
        return BusinessStatus(False, ClosedReason.EMERGENCY, local, announcement=settings.emergency)
    today = local.date()
    closure = settings.closure_on(today)
    holiday = holidays.get(today) or ""
    hours = settings.hours_on(today)
    if closure is not None:
        reason = ClosedReason.SPECIAL_CLOSURE
        announcement = None if closure.announcement.is_blank() else closure.announcement
    elif holiday:
        reason, announcement = ClosedReason.HOLIDAY, None
    elif hours is not None and hours.contains(local.time().replace(tzinfo=None)):
        return BusinessStatus(True, ClosedReason.NONE, local, closes_at=hours.closes)
    else:
        reason, announcement = ClosedReason.OUTSIDE_HOURS, None
    return BusinessStatus(
        False,
        reason,
        local,
        announcement=announcement,
        holiday_name=holiday,
        next_open=_next_open(local, settings, holidays),
    )


def _next_open(
    local: datetime.datetime,
    settings: BusinessSettings,
    holidays: HolidayCalendar | Mapping[datetime.date, str],
) -> datetime.datetime | None:
    """The first opening after `local` (which is closed), within the horizon."""
    for offset in range(NEXT_OPEN_HORIZON_DAYS + 1):
        day = local.date() + datetime.timedelta(days=offset)
        hours = settings.hours_on(day)
        if hours is None or settings.closure_on(day) is not None or holidays.get(day):
            continue
        opening = datetime.datetime.combine(day, hours.opens, tzinfo=local.tzinfo)
        if opening > local:
            return opening
    return None


def next_open_ssml(opening: datetime.datetime, language: Language) -> str:
    """`<speak>` SSML for the next opening: the date with say-as, the clock time as words.

    Polly's say-as "time" reads a duration (1'21"), not a time of day, so the time is
    written the way each language says it: "9時30分", "9:30 AM".
    """
    clock = opening.time()
    if language is Language.EN:
        hour = clock.hour % 12 or 12
        minutes = f":{clock.minute:02d}" if clock.minute else ""
        spoken = f"{hour}{minutes} {'AM' if clock.hour < 12 else 'PM'}"
    else:
        spoken = f"{clock.hour}時" + (f"{clock.minute}分" if clock.minute else "")
    return speak(say_date(opening.date(), language.value), " ", text(spoken))


@functools.cache
def time_zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; `ConfigurationError` naming the variable when it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError(
            f"IVR_TIME_ZONE is {name!r}, not an IANA time zone: set it to e.g. Asia/Tokyo"
        ) from exc


class _JapanTable:
    """Japan's holidays from the generated table; the package for years outside it."""

    def __init__(self, language: Language) -> None:
        self._language = language
        self._column = holidays_jp.LANGUAGES.index(_HOLIDAY_LANGUAGES[language])

    def get(self, key: datetime.date) -> str | None:
        if holidays_jp.FIRST_YEAR <= key.year <= holidays_jp.LAST_YEAR:
            # date.isoformat, not key.isoformat: a datetime key is looked up by its day.
            row = holidays_jp.DAYS.get(datetime.date.isoformat(key))
            return None if row is None else holidays_jp.NAMES[row][self._column]
        return _package_calendar("JP", self._language).get(key)


@functools.cache
def holiday_calendar(country: str, language: Language = Language.JA) -> HolidayCalendar:
    """Public holidays of `country` (ISO 3166 alpha-2), named in `language` where possible."""
    if country.upper() == "JP":
        return _JapanTable(language)
    return _package_calendar(country, language)


@functools.cache
def _package_calendar(country: str, language: Language) -> HolidayCalendar:
    import holidays  # ~0.1 s; paid only by a function configured for another country

    try:
        calendar = holidays.country_holidays(country.upper())
    except NotImplementedError as exc:
        raise ConfigurationError(
            f"IVR_HOLIDAY_COUNTRY is {country!r}, a country the holidays package does not "
            "know: set an ISO 3166 alpha-2 code such as JP or US"
        ) from exc
    wanted = _HOLIDAY_LANGUAGES[language]
    if wanted in (calendar.supported_languages or ()):
        calendar = holidays.country_holidays(country.upper(), language=wanted)
    return calendar
