"""report_callback_outcome's contract: what the outbound callback flow reports (issue 11)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from models.parameters import ConnectParameters
from models.response import ConnectResponse


class CallbackOutcome(StrEnum):
    """What the outbound flow saw. `answered` keeps the workflow's dialing step alive (a
    heartbeat); `accepted` (the caller pressed 1) ends it as connected; `declined` (any other
    key, or nothing) ends the attempt, which the workflow retries while attempts remain."""

    ANSWERED = "answered"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ReportCallbackOutcomeParameters(ConnectParameters):
    """`callbackId` and `callbackAttempt`: the contact attributes the dialing step set
    ($.Attributes.callbackId, $.Attributes.callbackAttempt); `outcome`: answered | accepted |
    declined. The attempt keeps a late report of an earlier call from settling a later one."""

    callback_id: str = Field(min_length=1, max_length=64)
    callback_attempt: int = Field(ge=1)
    outcome: CallbackOutcome


class ReportCallbackOutcomeResponse(ConnectResponse):
    """`reported` is "true" once the workflow has the report. `status=not_found` when the
    callback has no dialing step waiting (reported twice, or too late: the step timed out)."""

    reported: str = "false"
