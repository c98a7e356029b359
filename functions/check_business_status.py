"""check_business_status (SAM `CheckBusinessStatusFunction`): is the line open now?

Parameters: `language` (ja | en, default ja) for the announcement and the next opening.
Reads the business settings (cached per container for IVR_BUSINESS_CACHE_SECONDS, 30 s) and
decides with `functions.business_hours` in IVR_TIME_ZONE against IVR_HOLIDAY_COUNTRY's
public holidays. When the store fails, the answer is `status=unavailable` but still says
open or closed, from the settings last read (or the default hours), so the flow can go on.

"Now" is `clock()`: the system clock, or IVR_FIXED_NOW for the simulator; tests replace
`clock` itself.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from functions.business_hours import (
    BusinessStatus,
    business_status,
    holiday_calendar,
    next_open_ssml,
    time_zone,
)
from functions.config import (
    BUSINESS_CACHE_SECONDS,
    DEFAULT_HOLIDAY_COUNTRY,
    DEFAULT_TIME_ZONE,
    FIXED_NOW,
    HOLIDAY_COUNTRY,
    TIME_ZONE,
    env,
)
from functions.errors import ConfigurationError, StoreError
from functions.runtime import Invocation, connect_handler
from functions.stores.business import BusinessStore
from functions.stores.factory import business_store
from models.business_status import (
    BusinessSettings,
    CheckBusinessStatusParameters,
    CheckBusinessStatusResponse,
)
from models.customer import Language
from models.response import Status, flag


def system_clock() -> datetime.datetime:
    """Now, in UTC; IVR_FIXED_NOW (ISO 8601 with offset) instead when it is set."""
    fixed = env(FIXED_NOW)
    if not fixed:
        return datetime.datetime.now(datetime.UTC)
    try:
        moment = datetime.datetime.fromisoformat(fixed)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ConfigurationError(
            f"{FIXED_NOW} is {fixed!r}: write an instant with its offset, such as "
            "2026-01-05T09:00:00+09:00, or unset it"
        )
    return moment


clock: Callable[[], datetime.datetime] = system_clock


@dataclass(frozen=True)
class BusinessConfig:
    time_zone: str = DEFAULT_TIME_ZONE
    holiday_country: str = DEFAULT_HOLIDAY_COUNTRY
    cache_seconds: float = 30.0

    @classmethod
    def from_env(cls) -> BusinessConfig:
        try:
            cache = float(env(BUSINESS_CACHE_SECONDS, "30"))
        except ValueError as exc:
            raise ConfigurationError(f"{BUSINESS_CACHE_SECONDS} must be seconds, e.g. 30") from exc
        config = cls(
            time_zone=env(TIME_ZONE, DEFAULT_TIME_ZONE),
            holiday_country=env(HOLIDAY_COUNTRY, DEFAULT_HOLIDAY_COUNTRY).upper(),
            cache_seconds=cache,
        )
        time_zone(config.time_zone)  # a wrong name fails when the handler starts, by name
        holiday_calendar(config.holiday_country)
        return config


@functools.cache
def business_config() -> BusinessConfig:
    return BusinessConfig.from_env()


def check(
    now: datetime.datetime, language: Language, store: BusinessStore, config: BusinessConfig
) -> CheckBusinessStatusResponse:
    """The answer at `now`: pure apart from the (cached) settings read."""
    status, reason = Status.OK, ""
    try:
        settings = store.settings(max_age_s=config.cache_seconds)
    except StoreError:
        settings = store.last_read() or BusinessSettings()
        status, reason = Status.UNAVAILABLE, "store_unavailable"
    result = business_status(
        now,
        settings,
        zone=time_zone(config.time_zone),
        holidays=holiday_calendar(config.holiday_country, language),
    )
    return _response(result, language, status, reason)


def _response(
    result: BusinessStatus, language: Language, status: Status, reason: str
) -> CheckBusinessStatusResponse:
    opening = result.next_open
    return CheckBusinessStatusResponse(
        status=status,
        reason=reason,
        is_open=flag(result.is_open),
        closed_reason=result.closed_reason,
        announcement=result.announcement.text(language) if result.announcement else "",
        holiday_name=result.holiday_name,
        closes_at=f"{result.closes_at:%H:%M}" if result.closes_at else "",
        next_open_date=opening.date().isoformat() if opening else "",
        next_open_time=f"{opening:%H:%M}" if opening else "",
        next_open_ssml=next_open_ssml(opening, language) if opening else "",
        language=language.value,
    )


@connect_handler(response=CheckBusinessStatusResponse, parameters=CheckBusinessStatusParameters)
def handler(call: Invocation) -> CheckBusinessStatusResponse:
    return check(clock(), call.parameters.language, business_store(), business_config())
