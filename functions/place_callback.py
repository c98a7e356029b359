"""place_callback (SAM `PlaceCallbackFunction`): the workflow's dialing step.

A Step Functions task (`lambda:invoke.waitForTaskToken`): it marks the callback `dialing`
(this attempt, this execution, the step's task token) and places the call with Amazon
Connect's StartOutboundVoiceContact on IVR_CONNECT_INSTANCE_ID, IVR_OUTBOUND_FLOW_ID,
IVR_OUTBOUND_QUEUE_ID from IVR_OUTBOUND_SOURCE_NUMBER. The step then waits for the outbound
flow's report (functions/report_callback_outcome.py), sent with the token kept on the record.

    {"callbackId", "execution", "attempt", "taskToken"} -> {"contactId"}

Errors are raised by name for the state machine: `DialThrottled` (throttling, limits, a
Connect fault: retried with backoff and jitter) and `DialRefused` (Connect refused the call:
a number or configuration problem no retry fixes). The ClientToken is the callback id and
attempt, so a retried call of one attempt is placed once.
https://docs.aws.amazon.com/connect/latest/APIReference/API_StartOutboundVoiceContact.html
"""

from __future__ import annotations

from typing import Any

from functions import observability
from functions.config import (
    CONNECT_INSTANCE_ID,
    OUTBOUND_FLOW_ID,
    OUTBOUND_QUEUE_ID,
    OUTBOUND_SOURCE_NUMBER,
    env,
)
from functions.container import Container, environment
from functions.errors import ConfigurationError
from functions.stores.callbacks import Transition
from models.callback_progress import CallbackProgress, CallbackState

# Connect's answers that a later try may not get: the workflow retries them.
RETRYABLE = frozenset(
    {
        "ThrottlingException",
        "LimitExceededException",
        "ServiceQuotaExceededException",
        "InternalServiceException",
        "TooManyRequestsException",
    }
)


class DialThrottled(Exception):
    """Connect throttled or faulted: the state machine tries again after a backoff."""


class DialRefused(Exception):
    """Connect refused the call (destination not allowed, wrong id): no retry helps."""


def _required(name: str) -> str:
    value = env(name)
    if not value:
        raise ConfigurationError(f"set {name}: place_callback can't place calls without it")
    return value


def dial(progress: CallbackProgress, attempt: int, client: Any) -> str:
    """Place the call; the contact id Connect gave it."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answer = client.start_outbound_voice_contact(
            InstanceId=_required(CONNECT_INSTANCE_ID),
            ContactFlowId=_required(OUTBOUND_FLOW_ID),
            QueueId=_required(OUTBOUND_QUEUE_ID),
            SourcePhoneNumber=_required(OUTBOUND_SOURCE_NUMBER),
            DestinationPhoneNumber=progress.phone_e164,
            ClientToken=f"{progress.contact_id}-{attempt}",
            Attributes={
                "callbackId": progress.contact_id,
                "callbackAttempt": str(attempt),
                "language": progress.language.value,
                "purpose": progress.purpose.value,  # the outbound flow's greeting
            },
        )
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        kind = DialThrottled if code in RETRYABLE else DialRefused
        raise kind(f"StartOutboundVoiceContact: {code}") from exc
    except BotoCoreError as exc:  # time-outs, connection errors: a later try may succeed
        raise DialThrottled(f"StartOutboundVoiceContact: {type(exc).__name__}") from exc
    contact_id: str = answer["ContactId"]
    return contact_id


def handler(
    event: dict[str, Any], context: Any = None, *, container: Container | None = None
) -> dict[str, str]:
    active = container or environment()
    callback_id, attempt = event["callbackId"], int(event["attempt"])
    change = Transition(
        to=CallbackState.DIALING,
        from_states=(CallbackState.SCHEDULED, CallbackState.DIALING),
        execution=event["execution"],
        attempts=attempt,
        same_attempt=True,
        task_token=event["taskToken"],
    )
    progress = active.stores.callbacks.transition(callback_id, change, active.clock())
    contact_id = dial(progress, attempt, active.aws.client("connect"))
    observability.logger().info(
        "callback dialed",
        extra={"contact_id": callback_id, "attempt": attempt, "outbound_contact_id": contact_id},
    )
    return {"contactId": contact_id}
