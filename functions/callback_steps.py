"""callback_steps (SAM `CallbackStepsFunction`): the callback workflow's bookkeeping steps.

A Step Functions task, not a flow's: the event is the step's payload and errors are raised
by name for the state machine's Retry and Catch (statemachines/callback.asl.json):
`StoreUnavailable` is retried, `TransitionRefused` means another execution holds the
callback (this one stops without calling).

    {"step": "schedule", "callbackId", "execution", "lastError"?}
        claims the record (`scheduled`) and answers when to dial:
        {"action": "dial", "dialAt", "attempt", "answerSeconds"}  once the line is open
        {"action": "recheck", "dialAt"}    closed with no known opening (an emergency)
        {"action": "give_up", "attempts"}  IVR_CALLBACK_MAX_ATTEMPTS used
        {"action": "stop"}                 already connected or failed
    {"step": "connected", ...}             dialing -> connected
    {"step": "failed", ..., "error", "cause"}   -> failed, with the error on the record

"When the line is open" is check_business_status's decision, on the same settings, hours,
holidays and clock (functions/check_business_status.py), at the earliest of: now for the first
attempt, IVR_CALLBACK_RETRY_MINUTES after now for the next ones. Like a flow's handler, it runs
on the environment's container, or the one a test passes (`container=`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from functions.business_hours import business_status, holiday_calendar, time_zone
from functions.check_business_status import business_config
from functions.config import (
    CALLBACK_ANSWER_SECONDS,
    CALLBACK_MAX_ATTEMPTS,
    CALLBACK_RETRY_MINUTES,
    env,
)
from functions.container import Container, environment
from functions.errors import ConfigurationError, StoreError
from functions.stores.callbacks import CallbackStore, Transition
from models.business_status import BusinessSettings
from models.callback_progress import CallbackProgress, CallbackState

# What `last_error` may hold: enough to read, bounded so the item stays small.
ERROR_LIMIT = 500
OPEN_STATES = (CallbackState.BOOKED, CallbackState.SCHEDULED, CallbackState.DIALING)


def _positive(name: str, default: str) -> int:
    raw = env(name, default)
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigurationError(f"{name} is {raw!r}: set a whole number of at least 1")
    return value


def step_time(moment: datetime.datetime) -> str:
    """An instant as a Wait state's TimestampPath reads it: UTC, seconds, "Z"."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def first_open(earliest: datetime.datetime, container: Container) -> datetime.datetime | None:
    """The first instant at or after `earliest` when the line is open; None when nobody
    knows (an emergency closure)."""
    config = business_config(container)
    store = container.stores.business
    try:
        settings = store.settings(max_age_s=config.cache_seconds)
    except StoreError:
        settings = store.last_read() or BusinessSettings()
    status = business_status(
        earliest,
        settings,
        zone=time_zone(config.time_zone),
        holidays=holiday_calendar(config.holiday_country),
    )
    return earliest if status.is_open else status.next_open


@dataclass(frozen=True)
class Policy:
    """How callbacks are retried; read in full at every schedule step, so a wrong value
    fails the first callback, by name, not the third attempt of one."""

    max_attempts: int
    retry: datetime.timedelta
    answer_seconds: int

    @classmethod
    def from_env(cls) -> Policy:
        return cls(
            max_attempts=_positive(CALLBACK_MAX_ATTEMPTS, "3"),
            retry=datetime.timedelta(minutes=_positive(CALLBACK_RETRY_MINUTES, "15")),
            answer_seconds=_positive(CALLBACK_ANSWER_SECONDS, "60"),
        )


def schedule(
    progress: CallbackProgress,
    execution: str,
    last_error: str,
    now: datetime.datetime,
    container: Container,
) -> dict[str, Any]:
    policy = Policy.from_env()
    if progress.state.final:
        return {"action": "stop", "state": progress.state.value}
    if progress.attempts >= policy.max_attempts:
        return {"action": "give_up", "attempts": progress.attempts}
    earliest = now + policy.retry if progress.attempts else now
    opening = first_open(earliest, container)
    change = Transition(
        to=CallbackState.SCHEDULED,
        from_states=OPEN_STATES,
        execution=execution,
        claim=True,
        last_error=last_error[:ERROR_LIMIT] if last_error else None,
        scheduled_for=opening,
    )
    store: CallbackStore = container.stores.callbacks
    store.transition(progress.contact_id, change, now)
    if opening is None:
        return {"action": "recheck", "dialAt": step_time(now + policy.retry)}
    return {
        "action": "dial",
        "dialAt": step_time(opening),
        "attempt": progress.attempts + 1,
        "answerSeconds": policy.answer_seconds,
    }


def handler(
    event: dict[str, Any], context: Any = None, *, container: Container | None = None
) -> dict[str, Any]:
    active = container or environment()
    callback_id, execution = event["callbackId"], event["execution"]
    store, now = active.stores.callbacks, active.clock()
    step = event.get("step")
    if step == "schedule":
        last_error = event.get("lastError", "")
        return schedule(store.progress(callback_id), execution, last_error, now, active)
    # The step's token is the same on every try of it (the state machine's Retry after a
    # write applied but unanswered): a retry finds it on the record and succeeds.
    token = f"{execution}/{step}"
    if step == "connected":
        change = Transition(
            CallbackState.CONNECTED, (CallbackState.DIALING,), execution, token=token
        )
    elif step == "failed":
        error = f"{event.get('error', 'Unknown')}: {event.get('cause', '')}"[:ERROR_LIMIT]
        change = Transition(
            CallbackState.FAILED, OPEN_STATES, execution, claim=True, last_error=error, token=token
        )
    else:
        raise ValueError(
            f"unknown step {step!r}: the state machine sends schedule, connected or failed"
        )
    moved = store.transition(callback_id, change, now)
    return {"state": moved.state.value, "attempts": moved.attempts}
