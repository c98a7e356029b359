"""What is left of the current invocation's time, for code far below the handler (the stores).

The runtime runs each body under its `Deadline` (functions/deadline.py, `run_under`); a store
asks `remaining()` how long its lock wait, connect or statement may take, instead of a fixed
time-out that can outlive the answer Connect is waiting for. Outside an invocation (tests,
`ivr seed`) there is no deadline and each caller uses its own ceiling.
"""

from __future__ import annotations

import time

from functions.deadline import current

__all__ = ["deadline", "remaining"]


def deadline() -> float | None:
    """The current deadline on the monotonic clock, or None outside an invocation."""
    found = current()
    return None if found is None else found.at


def remaining(default: float) -> float:
    """Seconds left before the current deadline (never negative), or `default` without one."""
    at = deadline()
    if at is None:
        return default
    return max(0.0, at - time.monotonic())
