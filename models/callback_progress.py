"""Where a booked callback is on its way back to the caller (issue 11).

request_callback books a callback; the callback workflow (statemachines/callback.asl.json)
then moves it through

    booked -> scheduled -> dialing -> connected
                  ^           |
                  +-----------+ (no answer, declined: tried again while attempts remain)
                              -> failed (attempts used up, or an error past its retries)

A record request_callback wrote has no state yet: it reads as `booked`. `execution` names
the workflow execution that holds the record: every transition is a conditional write on it,
so two executions can never both dial.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from models.callback import CallbackPurpose, Purpose
from models.customer import Language


class CallbackState(StrEnum):
    BOOKED = "booked"
    SCHEDULED = "scheduled"
    DIALING = "dialing"
    CONNECTED = "connected"
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self in (CallbackState.CONNECTED, CallbackState.FAILED)


class CallbackProgress(BaseModel):
    """A callback record as the workflow reads it."""

    # defer_build: request_callback imports the store that returns this model but never
    # builds one; its validator is built on the workflow's first read, not on the caller's
    # cold start (~2 ms measured with -X importtime).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    contact_id: str = Field(min_length=1, max_length=64)
    phone_e164: str
    requested_at: datetime.datetime
    language: Language = Language.JA
    purpose: Purpose = CallbackPurpose.GENERAL
    state: CallbackState = CallbackState.BOOKED
    attempts: int = Field(default=0, ge=0)
    last_error: str = ""
    execution: str = ""
    scheduled_for: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    # The task token of the dialing attempt's .waitForTaskToken state: what the outbound
    # flow's report is sent with. Kept on the record, not in contact attributes, so it never
    # shows in contact records or flow logs.
    task_token: str = ""
