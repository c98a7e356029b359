"""List callbacks by state and redrive failed ones (issue 11).

    ivr callbacks list [--state failed]     the callbacks table, one line per callback
    ivr callbacks redrive                    each failed callback in the dead-letter queue is
                                             booked again and a new workflow execution started

Both work on DynamoDB through boto3's usual configuration (region, credentials); the table,
queue and state machine come from the options or IVR_CALLBACKS_TABLE,
IVR_CALLBACK_DEAD_LETTER_QUEUE_URL and IVR_CALLBACK_STATE_MACHINE_ARN (the stack's outputs
CallbacksTableName, CallbackDeadLetterQueueUrl, CallbackStateMachineArn).
"""

from __future__ import annotations

import argparse
import datetime
import json
import time
from typing import Any

from functions.config import CALLBACK_STATE_MACHINE_ARN, CALLBACKS_TABLE, env
from functions.errors import IvrError
from functions.privacy import mask_phone
from ivr.errors import ToolkitError
from models.callback_progress import CallbackState

DEAD_LETTER_QUEUE_URL = "IVR_CALLBACK_DEAD_LETTER_QUEUE_URL"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "callbacks",
        help="list callbacks by state and redrive failed ones",
        description=__doc__.split("\n\n", 1)[0] if __doc__ else None,
    )
    parser.add_argument("action", choices=("list", "redrive"))
    parser.add_argument(
        "--state",
        choices=[state.value for state in CallbackState],
        default=CallbackState.FAILED.value,
        help="list: the state to list (default failed)",
    )
    parser.add_argument("--limit", type=int, default=100, help="list: at most this many")
    parser.add_argument("--table", help=f"callbacks table (default {CALLBACKS_TABLE})")
    parser.add_argument("--queue-url", help=f"dead-letter queue (default {DEAD_LETTER_QUEUE_URL})")
    parser.add_argument(
        "--state-machine-arn", help=f"callback workflow (default {CALLBACK_STATE_MACHINE_ARN})"
    )
    parser.set_defaults(run=run)


def _needed(value: str | None, variable: str, option: str) -> str:
    found = value or env(variable)
    if not found:
        raise ToolkitError(f"give {option} or set {variable} (the stack's outputs name it)")
    return found


def _store(args: argparse.Namespace) -> Any:
    from functions.stores.dynamodb.callbacks import DynamoCallbackStore

    return DynamoCallbackStore(_needed(args.table, CALLBACKS_TABLE, "--table"))


def run(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        if args.action == "list":
            return list_callbacks(_store(args), CallbackState(args.state), args.limit)
        return redrive(
            _store(args),
            _needed(args.queue_url, DEAD_LETTER_QUEUE_URL, "--queue-url"),
            _needed(args.state_machine_arn, CALLBACK_STATE_MACHINE_ARN, "--state-machine-arn"),
        )
    except (IvrError, ClientError, BotoCoreError, ValueError) as exc:
        raise ToolkitError(f"callbacks {args.action}: {exc}") from exc


def list_callbacks(store: Any, state: CallbackState, limit: int) -> int:
    found = store.by_state(state, limit)
    for callback in found:
        print(
            f"{callback.contact_id}  {callback.state.value:<9}  attempts={callback.attempts}  "
            f"{mask_phone(callback.phone_e164)}  updated={callback.updated_at or '-'}  "
            f"{callback.last_error}"
        )
    print(f"{len(found)} {state.value} callback(s) in {store.describe()}")
    return 0


def redrive(store: Any, queue_url: str, state_machine_arn: str) -> int:
    """Book each dead-lettered callback again and start a new execution; a message that is
    not a failed callback (a stream batch the mapping gave up on) stays for a person."""
    from functions.aws_clients import new_client
    from functions.start_callback_workflow import execution_name
    from functions.stores.callbacks import Transition

    sqs, sfn = new_client("sqs"), new_client("stepfunctions")
    redriven = kept = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0, VisibilityTimeout=60
        ).get("Messages", [])
        if not messages:
            break
        for message in messages:
            callback_id = _callback_id(message["Body"])
            if callback_id is None:
                kept += 1
                continue
            reopen = Transition(
                to=CallbackState.BOOKED,
                from_states=(CallbackState.FAILED,),
                release=True,
                attempts=0,
                last_error="",
            )
            store.transition(callback_id, reopen, datetime.datetime.now(datetime.UTC))
            name = f"{execution_name(callback_id)[:60]}-redrive-{int(time.time())}"
            sfn.start_execution(
                stateMachineArn=state_machine_arn,
                name=name,
                input=json.dumps({"callbackId": callback_id, "lastError": ""}),
            )
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            print(f"redriven {callback_id} as {name}")
            redriven += 1
        if kept and kept == len(messages):
            break
    print(f"{redriven} callback(s) redriven; {kept} other message(s) left in the queue")
    return 0


def _callback_id(body: str) -> str | None:
    try:
        found = json.loads(body).get("callbackId")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) and found else None
