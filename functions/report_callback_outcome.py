"""report_callback_outcome (SAM `ReportCallbackOutcomeFunction`): the outbound callback flow
tells the workflow what the caller did.

Parameters: `callbackId` and `callbackAttempt` ($.Attributes.*, set by place_callback) and
`outcome`:
`answered` (heartbeat: the dialing step keeps waiting), `accepted` (the caller pressed 1:
success, the workflow records `connected`) or `declined` (failure `CallbackDeclined`: the
workflow tries again while attempts remain). The task token is read from the callback record,
never from the contact. `status=not_found` when no dialing step waits for this callback.
"""

from __future__ import annotations

import json
from typing import Any

from functions.errors import NotFound
from functions.runtime import Invocation, connect_handler
from functions.stores.callbacks import CallbackStore
from models.callback_outcome import (
    CallbackOutcome,
    ReportCallbackOutcomeParameters,
    ReportCallbackOutcomeResponse,
)
from models.callback_progress import CallbackState
from models.response import flag

DECLINED_ERROR = "CallbackDeclined"


def report(
    callback_id: str, attempt: int, outcome: CallbackOutcome, store: CallbackStore, client: Any
) -> None:
    progress = store.progress(callback_id)
    waiting = progress.state is CallbackState.DIALING and progress.task_token
    if not waiting or progress.attempts != attempt:
        # Over, or a late report of an earlier call: it must not settle a later one.
        raise NotFound(f"callback {callback_id!r}: no dialing step waits for attempt {attempt}")
    token = progress.task_token
    try:
        if outcome is CallbackOutcome.ANSWERED:
            client.send_task_heartbeat(taskToken=token)
        elif outcome is CallbackOutcome.ACCEPTED:
            client.send_task_success(taskToken=token, output=json.dumps({"outcome": outcome}))
        else:
            client.send_task_failure(
                taskToken=token, error=DECLINED_ERROR, cause="the caller did not press 1"
            )
    except (client.exceptions.TaskTimedOut, client.exceptions.TaskDoesNotExist) as exc:
        raise NotFound(f"callback {callback_id!r}: the dialing step is over") from exc


@connect_handler
def handler(call: Invocation[ReportCallbackOutcomeParameters]) -> ReportCallbackOutcomeResponse:
    parameters, store = call.parameters, call.container.stores.callbacks
    client = call.container.aws.client("stepfunctions")
    attempt = parameters.callback_attempt
    report(parameters.callback_id, attempt, parameters.outcome, store, client)
    return ReportCallbackOutcomeResponse(reported=flag(True))
