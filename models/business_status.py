"""Business status: when the line is open (settings admins keep in the store) and what
check_business_status answers the flow.

    BusinessSettings
    ├── hours        WeeklyHours: one OpeningHours (or closed) per ISO weekday, 1=Mon..7=Sun
    ├── closures     SpecialClosure: whole local days from `first_day` to `last_day`
    └── emergency    Announcement (ja, en) or None: while set, the line is closed

Times and days are local to the configured time zone (IVR_TIME_ZONE).
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.customer import Language
from models.language import DEFAULT_LANGUAGE, SpokenLanguage
from models.parameters import ConnectParameters
from models.response import ConnectResponse

MONDAY, SATURDAY, SUNDAY = 1, 6, 7
WEEKDAYS = range(MONDAY, SUNDAY + 1)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OpeningHours(_Frozen):
    """Open from `opens` (inclusive) to `closes` (exclusive), local time, within one day."""

    opens: datetime.time
    closes: datetime.time

    @model_validator(mode="after")
    def _opens_before_closing(self) -> Self:
        if not self.opens < self.closes:
            raise ValueError(
                f"opening hours {self.opens:%H:%M}-{self.closes:%H:%M}: the line must open "
                "before it closes on the same day"
            )
        return self

    def contains(self, moment: datetime.time) -> bool:
        return self.opens <= moment < self.closes


def _hours(opens: str, closes: str) -> OpeningHours:
    return OpeningHours(
        opens=datetime.time.fromisoformat(opens), closes=datetime.time.fromisoformat(closes)
    )


# Mon-Fri 09:00-18:00, Sat 09:00-13:00, Sun closed: what a weekday the store doesn't set uses.
DEFAULT_HOURS: dict[int, OpeningHours | None] = {
    **{day: _hours("09:00", "18:00") for day in range(MONDAY, SATURDAY)},
    SATURDAY: _hours("09:00", "13:00"),
    SUNDAY: None,
}


class Announcement(_Frozen):
    """A message for callers, in each language the line speaks."""

    ja: str = Field(default="", max_length=2000)
    en: str = Field(default="", max_length=2000)

    def is_blank(self) -> bool:
        return not (self.ja.strip() or self.en.strip())

    def text(self, language: Language) -> str:
        """The text in `language`, else in the other one (better than silence)."""
        wanted, other = (self.en, self.ja) if language is Language.EN else (self.ja, self.en)
        return wanted or other


class SpecialClosure(_Frozen):
    """Days an admin closed the line (year-end, a move, training): both ends included."""

    closure_id: str = Field(min_length=1, max_length=64)
    first_day: datetime.date
    last_day: datetime.date
    reason: str = Field(default="", max_length=200)  # for admins; callers hear `announcement`
    announcement: Announcement = Announcement()

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.last_day < self.first_day:
            raise ValueError(
                f"closure {self.closure_id!r} ends ({self.last_day}) before it starts "
                f"({self.first_day}): swap the dates"
            )
        return self

    def covers(self, day: datetime.date) -> bool:
        return self.first_day <= day <= self.last_day


class BusinessSettings(_Frozen):
    """Everything check_business_status needs from the store."""

    hours: dict[int, OpeningHours | None] = Field(default_factory=lambda: dict(DEFAULT_HOURS))
    closures: tuple[SpecialClosure, ...] = ()
    emergency: Announcement | None = None

    @model_validator(mode="after")
    def _every_weekday(self) -> Self:
        unknown = set(self.hours) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"weekdays are 1 (Monday) to 7 (Sunday), got {sorted(unknown)}")
        for day in WEEKDAYS:
            # A weekday the store doesn't set keeps its default hours.
            self.hours.setdefault(day, DEFAULT_HOURS[day])
        return self

    def hours_on(self, day: datetime.date) -> OpeningHours | None:
        return self.hours[day.isoweekday()]

    def closure_on(self, day: datetime.date) -> SpecialClosure | None:
        return next((c for c in self.closures if c.covers(day)), None)


class ClosedReason(StrEnum):
    """Why the line is closed; empty while it is open. Checked in this order of precedence."""

    NONE = ""
    EMERGENCY = "emergency"
    SPECIAL_CLOSURE = "special_closure"
    HOLIDAY = "holiday"
    OUTSIDE_HOURS = "outside_hours"  # before or after the day's hours, or a day without any


class CheckBusinessStatusParameters(ConnectParameters):
    """`language`: ja | en (or `$.LanguageCode`); anything else is read as ja."""

    language: SpokenLanguage = DEFAULT_LANGUAGE


class CheckBusinessStatusResponse(ConnectResponse):
    """`isOpen` "true" | "false"; `closedReason` one of ClosedReason.

    `announcement` is the emergency or closure message in the language asked for (empty when
    there is none); `holidayName` names the public holiday; `closesAt` (HH:MM, while open)
    and `nextOpenDate`/`nextOpenTime` (YYYY-MM-DD, HH:MM, while closed, empty during an
    emergency or when nothing opens within 60 days) are local; `nextOpenSsml` reads the next
    opening back as `<speak>` SSML in that language.

    With `status=unavailable` the store could not be read: the other keys then come from
    the settings last read, or the default hours, so the flow can still decide.
    """

    is_open: str = "false"
    closed_reason: ClosedReason = ClosedReason.NONE
    announcement: str = ""
    holiday_name: str = ""
    closes_at: str = ""
    next_open_date: str = ""
    next_open_time: str = ""
    next_open_ssml: str = ""
    language: str = DEFAULT_LANGUAGE.value
