"""`CallbackStore` on DynamoDB: the template's CallbacksTable.

Keyed by `contact_id` (S); the global secondary index `by-status` (status, requested_at)
lists pending requests oldest first. Creation is a conditional PutItem
(`attribute_not_exists(contact_id)`), so a retried invocation can't write a second request
or overwrite the first: the condition failing is the port's "already requested".
"""

from __future__ import annotations

import datetime
from typing import Any

from functions.config import CALLBACKS_TABLE
from functions.stores.callbacks import CallbackStore, timestamp
from functions.stores.dynamodb.table import DynamoTable
from models.callback import CallbackRequest, CallbackStatus

STATUS_INDEX = "by-status"
FIELDS = ("contact_id", "phone_e164", "requested_at", "language", "status")


class DynamoCallbackStore(DynamoTable, CallbackStore):
    table_variable = CALLBACKS_TABLE

    def _insert(self, callback: CallbackRequest) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item=_marshal(callback),
            ConditionExpression="attribute_not_exists(contact_id)",
        )

    def _get(self, contact_id: str) -> CallbackRequest | None:
        answer = self.client.get_item(
            TableName=self.table_name,
            Key={"contact_id": {"S": contact_id}},
            ConsistentRead=True,  # read back right after a refused create
        )
        item = answer.get("Item")
        return _unmarshal(item) if item else None

    def _pending(self, limit: int) -> list[CallbackRequest]:
        answer = self.client.query(
            TableName=self.table_name,
            IndexName=STATUS_INDEX,
            KeyConditionExpression="#status = :pending",
            ExpressionAttributeNames={"#status": "status"},  # a DynamoDB reserved word
            ExpressionAttributeValues={":pending": {"S": CallbackStatus.PENDING.value}},
            Limit=limit,
        )
        return [_unmarshal(item) for item in answer.get("Items", [])]


def _marshal(callback: CallbackRequest) -> dict[str, Any]:
    return {
        "contact_id": {"S": callback.contact_id},
        "phone_e164": {"S": callback.phone_e164},
        "requested_at": {"S": timestamp(callback.requested_at)},
        "language": {"S": callback.language.value},
        "status": {"S": callback.status.value},
    }


def _unmarshal(item: dict[str, Any]) -> CallbackRequest:
    values: dict[str, Any] = {name: item[name]["S"] for name in FIELDS if name in item}
    values["requested_at"] = datetime.datetime.fromisoformat(values["requested_at"])
    return CallbackRequest(**values)
