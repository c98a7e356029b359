"""What time it is for the functions: the system clock, or IVR_FIXED_NOW for the simulator.

A container holds one `Clock` (functions/container.py); tests build theirs with a fixed instant
instead of replacing anything in a module.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from functions.config import FIXED_NOW, env
from functions.errors import ConfigurationError

Clock = Callable[[], datetime.datetime]


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


def fixed_clock(moment: datetime.datetime) -> Clock:
    """A clock that always says `moment` (tests, replays)."""
    if moment.tzinfo is None:
        raise ValueError("a fixed clock needs an aware datetime (with its offset)")
    return lambda: moment
