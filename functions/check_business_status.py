"""check_business_status (SAM `CheckBusinessStatusFunction`): is the line open now?

Parameters: `language` (ja | en, default ja) for the announcement and the next opening.
Reads the business settings (cached per container for IVR_BUSINESS_CACHE_SECONDS, 30 s) and
decides with `functions.business_hours` in IVR_TIME_ZONE against IVR_HOLIDAY_COUNTRY's
public holidays. When the store fails, the answer is `status=unavailable` but still says
open or closed, from the settings last read (or the default hours), so the flow can go on.

"Now" is the container's clock (functions/clock.py): the system clock, or IVR_FIXED_NOW for
the simulator; tests build a container with a fixed clock. The time zone, holiday country and
cache time are read once per container (`business_config`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from functions.business_hours import (
    BusinessStatus,
    business_status,
    holiday_calendar,
    next_open_ssml,
    time_zone,
)
from functions.clock import system_clock
from functions.config import (
    BUSINESS_CACHE_SECONDS,
    DEFAULT_HOLIDAY_COUNTRY,
    DEFAULT_TIME_ZONE,
    HOLIDAY_COUNTRY,
    TIME_ZONE,
    env,
)
from functions.container import Container
from functions.errors import ConfigurationError, StoreError
from functions.runtime import Invocation, connect_handler
from functions.stores.business import BusinessStore
from models.business_status import (
    BusinessSettings,
    CheckBusinessStatusParameters,
    CheckBusinessStatusResponse,
)
from models.customer import Language
from models.response import Status, flag

__all__ = ["BusinessConfig", "business_config", "check", "handler", "system_clock"]


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


def business_config(container: Container) -> BusinessConfig:
    """The container's business configuration, read from the environment at its first call."""
    return container.shared(_config_from_env)


def _config_from_env(_container: Container) -> BusinessConfig:
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


@connect_handler
def handler(call: Invocation[CheckBusinessStatusParameters]) -> CheckBusinessStatusResponse:
    container = call.container
    return check(
        container.clock(),
        call.parameters.language,
        container.stores.business,
        business_config(container),
    )
