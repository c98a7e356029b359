"""`CallbackStore` on DynamoDB: the template's CallbacksTable.

Keyed by `contact_id` (S); the global secondary index `by-status` (status, requested_at)
lists pending requests oldest first. Creation is a conditional PutItem
(`attribute_not_exists(contact_id)`), so a retried invocation can't write a second request
or overwrite the first: the condition failing is the port's "already requested".

The callback workflow's state (issue 11) lives on the same item: `state`, `attempts`,
`last_error`, `execution`, `scheduled_for`, `updated_at`, `task_token`. Each transition is an
UpdateItem whose condition names the states it leaves and the execution that holds the item,
returning ALL_NEW; an item request_callback wrote has no `state` and reads as `booked`.

Each transition also writes its token (`transition_token`, the `Transition`'s or one drawn
per call). botocore resends an UpdateItem whose answer was lost; the resend of a transition
that was applied fails its condition (the item has left the states it names), and the item
DynamoDB returns with the failure (ReturnValuesOnConditionCheckFailure ALL_OLD) carries our
token: the transition was ours, the answer is that item, not `TransitionRefused`.
"""

from __future__ import annotations

import datetime
import os
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from functions.config import CALLBACKS_TABLE
from functions.stores.callbacks import CallbackStore, Transition, timestamp
from functions.stores.dynamodb.table import DynamoTable
from models.callback import CallbackRequest, CallbackStatus

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    # Imported where used: the workflow's model costs request_callback's cold start ~2 ms.
    from models.callback_progress import CallbackProgress, CallbackState

STATUS_INDEX = "by-status"
# `purpose` (issue 11): absent on items stored before it, which read as general.
FIELDS = ("contact_id", "phone_e164", "requested_at", "language", "status", "purpose")
TOKEN = "transition_token"


class DynamoCallbackStore(CallbackStore):
    def __init__(
        self, table_name: str, client: DynamoDBClient | None = None, **factory: Any
    ) -> None:
        self.table = DynamoTable(table_name, CALLBACKS_TABLE, client, **factory)
        super().__init__(self.table)

    def _insert(self, callback: CallbackRequest) -> None:
        self.table.client.put_item(
            TableName=self.table.name,
            Item=_marshal(callback),
            ConditionExpression="attribute_not_exists(contact_id)",
        )

    def _get(self, contact_id: str) -> CallbackRequest | None:
        answer = self.table.client.get_item(
            TableName=self.table.name,
            Key={"contact_id": {"S": contact_id}},
            ConsistentRead=True,  # read back right after a refused create
        )
        item = answer.get("Item")
        return _unmarshal(item) if item else None

    def _pending(self, limit: int) -> list[CallbackRequest]:
        answer = self.table.client.query(
            TableName=self.table.name,
            IndexName=STATUS_INDEX,
            KeyConditionExpression="#status = :pending",
            ExpressionAttributeNames={"#status": "status"},  # a DynamoDB reserved word
            ExpressionAttributeValues={":pending": {"S": CallbackStatus.PENDING.value}},
            Limit=limit,
        )
        return [_unmarshal(item) for item in answer.get("Items", [])]

    def _progress(self, contact_id: str) -> CallbackProgress | None:
        answer = self.table.client.get_item(
            TableName=self.table.name, Key={"contact_id": {"S": contact_id}}, ConsistentRead=True
        )
        item = answer.get("Item")
        return _progress(item) if item else None

    def _transition(
        self, contact_id: str, change: Transition, now: datetime.datetime
    ) -> CallbackProgress:
        # One token for every request of this transition, botocore's resends included.
        token = change.token or os.urandom(16).hex()
        update = _update(change, now)
        update.set(TOKEN, {"S": token})
        try:
            answer = self.table.client.update_item(
                TableName=self.table.name,
                Key={"contact_id": {"S": contact_id}},
                UpdateExpression=update.expression(),
                ConditionExpression=_condition(change, update),
                ExpressionAttributeNames=update.names,
                ExpressionAttributeValues=update.values,
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            applied = _applied_by(exc, token)
            if applied is None:
                raise
            return _progress(applied)
        return _progress(answer["Attributes"])

    def _by_state(self, state: CallbackState, limit: int) -> list[CallbackProgress]:
        # An admin's look (`ivr callbacks list`), not a caller's: a Scan with a filter, so the
        # table needs no index on a state most records leave within minutes.
        from models.callback_progress import CallbackState

        condition = "#state = :state"
        if state is CallbackState.BOOKED:
            condition = f"attribute_not_exists(#state) OR {condition}"
        found: list[CallbackProgress] = []
        request: dict[str, Any] = {
            "TableName": self.table.name,
            "FilterExpression": condition,
            "ExpressionAttributeNames": {"#state": "state"},
            "ExpressionAttributeValues": {":state": {"S": state.value}},
        }
        while len(found) < limit:
            answer = self.table.client.scan(**request)
            found.extend(_progress(item) for item in answer.get("Items", []))
            if "LastEvaluatedKey" not in answer:
                break
            request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        found.sort(key=lambda progress: (progress.requested_at, progress.contact_id))
        return found[:limit]


class _Update:
    """SET and REMOVE clauses with their placeholders."""

    def __init__(self) -> None:
        self.sets: list[str] = []
        self.removes: list[str] = []
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def set(self, name: str, value: dict[str, str]) -> None:
        self.names[f"#{name}"] = name
        self.values[f":{name}"] = value
        self.sets.append(f"#{name} = :{name}")

    def remove(self, name: str) -> None:
        self.names[f"#{name}"] = name
        self.removes.append(f"#{name}")

    def expression(self) -> str:
        clauses = [f"SET {', '.join(self.sets)}"]
        if self.removes:
            clauses.append(f"REMOVE {', '.join(self.removes)}")
        return " ".join(clauses)


def _update(change: Transition, now: datetime.datetime) -> _Update:
    update = _Update()
    update.set("state", {"S": change.to.value})
    update.set("updated_at", {"S": timestamp(now)})
    if change.attempts is not None:
        update.set("attempts", {"N": str(change.attempts)})
    if change.last_error is not None:
        update.set("last_error", {"S": change.last_error})
    if change.scheduled_for is not None:
        update.set("scheduled_for", {"S": timestamp(change.scheduled_for)})
    if change.task_token is not None:
        update.set("task_token", {"S": change.task_token})
    if change.release:
        update.remove("execution")
    elif change.execution:
        update.set("execution", {"S": change.execution})
    if change.to.final:
        update.remove("task_token")  # a finished callback takes no more reports
    return update


def _condition(change: Transition, update: _Update) -> str:
    """The item exists, is in a state `change` leaves, and is held by its execution."""
    from models.callback_progress import CallbackState

    update.names.setdefault("#state", "state")
    update.names.setdefault("#execution", "execution")
    states = []
    for index, state in enumerate(change.from_states):
        update.values[f":from{index}"] = {"S": state.value}
        states.append(f"#state = :from{index}")
    if CallbackState.BOOKED in change.from_states:
        states.append("attribute_not_exists(#state)")
    condition = f"attribute_exists(contact_id) AND ({' OR '.join(states)})"
    if change.same_attempt and change.attempts is not None:
        # A retried dial of the same attempt may find the item already `dialing`; a later
        # attempt may not reuse an earlier one's claim.
        update.names.setdefault("#attempts", "attempts")
        update.values[":to"] = {"S": change.to.value}
        condition += " AND (#state <> :to OR #attempts = :attempts)"
    if change.release:
        return condition
    update.values[":me"] = {"S": change.execution}
    held = "#execution = :me"
    if change.claim:
        held = f"attribute_not_exists(#execution) OR {held}"
    return f"{condition} AND ({held})"


def _applied_by(exc: ClientError, token: str) -> dict[str, Any] | None:
    """The item of a refused transition when its last transition is ours (`token`): a try
    of ours was applied and its answer lost. None for any other error or refusal."""
    if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
        return None
    item: dict[str, Any] = exc.response.get("Item") or {}
    return item if item.get(TOKEN, {}).get("S") == token else None


def _progress(item: dict[str, Any]) -> CallbackProgress:
    from models.callback_progress import CallbackProgress

    fields = CallbackProgress.model_fields
    values: dict[str, Any] = {
        name: value["S"] for name, value in item.items() if name in fields and "S" in value
    }
    if "attempts" in item:
        values["attempts"] = int(item["attempts"]["N"])
    return CallbackProgress(**values)


def _marshal(callback: CallbackRequest) -> dict[str, Any]:
    return {
        "contact_id": {"S": callback.contact_id},
        "phone_e164": {"S": callback.phone_e164},
        "requested_at": {"S": timestamp(callback.requested_at)},
        "language": {"S": callback.language.value},
        "status": {"S": callback.status.value},
        "purpose": {"S": callback.purpose.value},
    }


def _unmarshal(item: dict[str, Any]) -> CallbackRequest:
    values: dict[str, Any] = {name: item[name]["S"] for name in FIELDS if name in item}
    values["requested_at"] = datetime.datetime.fromisoformat(values["requested_at"])
    return CallbackRequest(**values)
