"""`PinStore` on DynamoDB: credentials in PinsTable, attempt counters in PinAttemptsTable.

    PinsTable         customer_id (S, key), customer_number (S, GSI `by-number`), pin_hash (S)
    PinAttemptsTable  subject (S, key), failures (N), window_start (N), expires_at (N, TTL)

Two tables so that the TTL which clears old counters can never touch a credential.

A PIN check is claimed with conditional UpdateItems, each atomic on the item:

    continue   ADD failures 1    if 1 <= failures < max and the window is still open
    open       SET failures 1, window_start now    if no item, an empty one, or an expired window

When neither condition holds the customer may be locked: a strongly consistent read then
decides (locked, or the item changed between the two writes and the claim is tried again).
However many checks run at once, DynamoDB evaluates each condition against the item as the
previous write left it, so no more than `max_failures` are ever granted per window.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from functions.config import PIN_ATTEMPTS_TABLE, PINS_TABLE
from functions.errors import StoreUnavailable
from functions.pins import AttemptWindow, LockoutPolicy
from functions.stores.dynamodb.client import dynamodb_client
from functions.stores.dynamodb.table import DynamoTable
from functions.stores.pins import AttemptClaim, PinRecord, PinStore

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

NUMBER_INDEX = "by-number"
# Rounds of continue/open/read before giving up: two suffice unless the item keeps changing.
_CLAIM_ROUNDS = 3


class DynamoPinStore(DynamoTable, PinStore):
    table_variable = f"{PINS_TABLE} and {PIN_ATTEMPTS_TABLE}"

    def __init__(
        self,
        table_name: str,
        attempts_table: str,
        client: DynamoDBClient | None = None,
        *,
        client_factory: Callable[[], DynamoDBClient] = dynamodb_client,
    ) -> None:
        super().__init__(table_name, client, client_factory=client_factory)
        self.attempts_table = attempts_table

    def _get(self, customer_id: str) -> PinRecord | None:
        answer = self.client.get_item(
            TableName=self.table_name, Key={"customer_id": {"S": customer_id}}
        )
        item = answer.get("Item")
        return _record(item) if item else None

    def _find_by_number(self, customer_number: str) -> PinRecord | None:
        answer = self.client.query(
            TableName=self.table_name,
            IndexName=NUMBER_INDEX,
            KeyConditionExpression="customer_number = :number",
            ExpressionAttributeValues={":number": {"S": customer_number}},
            Limit=1,
        )
        items = answer.get("Items", [])
        return _record(items[0]) if items else None

    def _put(self, record: PinRecord) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item={
                "customer_id": {"S": record.customer_id},
                "customer_number": {"S": record.customer_number},
                "pin_hash": {"S": record.pin_hash},
            },
        )

    def _claim_attempt(self, subject: str, now: int, policy: LockoutPolicy) -> AttemptClaim:
        for _ in range(_CLAIM_ROUNDS):
            claimed = self._continue_window(subject, now, policy) or self._open_window(
                subject, now, policy
            )
            if claimed is not None:
                return AttemptClaim(granted=True, window=claimed)
            current = self._read_window(subject)
            if current is not None and policy.is_locked(current, now):
                return AttemptClaim(granted=False, window=current)
        raise StoreUnavailable(
            f"the attempt counter kept changing during {_CLAIM_ROUNDS} rounds; try again"
        )

    def _continue_window(
        self, subject: str, now: int, policy: LockoutPolicy
    ) -> AttemptWindow | None:
        if policy.max_failures < 2:
            return None  # every window holds one check: only _open_window can grant it
        return self._conditional_update(
            subject,
            update="ADD failures :one",
            condition="failures BETWEEN :one AND :below_max AND window_start > :expired_before",
            values={
                ":one": _n(1),
                ":below_max": _n(policy.max_failures - 1),
                ":expired_before": _n(policy.expired_before(now)),
            },
        )

    def _open_window(self, subject: str, now: int, policy: LockoutPolicy) -> AttemptWindow | None:
        opened = AttemptWindow(failures=1, window_start=now)
        return self._conditional_update(
            subject,
            update="SET failures = :one, window_start = :now, expires_at = :expires_at",
            condition=(
                "attribute_not_exists(subject) OR failures = :zero "
                "OR window_start <= :expired_before"
            ),
            values={
                ":one": _n(1),
                ":zero": _n(0),
                ":now": _n(now),
                ":expires_at": _n(policy.expires_at(opened)),
                ":expired_before": _n(policy.expired_before(now)),
            },
        )

    def _conditional_update(
        self, subject: str, *, update: str, condition: str, values: dict[str, Any]
    ) -> AttemptWindow | None:
        """The item after the update, or None when its condition was false."""
        try:
            answer = self.client.update_item(
                TableName=self.attempts_table,
                Key={"subject": {"S": subject}},
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return None
            raise
        return _window(answer["Attributes"])

    def _read_window(self, subject: str) -> AttemptWindow | None:
        answer = self.client.get_item(
            TableName=self.attempts_table, Key={"subject": {"S": subject}}, ConsistentRead=True
        )
        item = answer.get("Item")
        return _window(item) if item else None

    def _attempt_window(self, subject: str) -> AttemptWindow | None:
        return self._read_window(subject)

    def _reset_attempts(self, subject: str) -> None:
        self.client.delete_item(TableName=self.attempts_table, Key={"subject": {"S": subject}})


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _window(item: dict[str, Any]) -> AttemptWindow:
    return AttemptWindow(
        failures=int(item.get("failures", {}).get("N", "0")),
        window_start=int(item.get("window_start", {}).get("N", "0")),
    )


def _record(item: dict[str, Any]) -> PinRecord:
    return PinRecord(
        customer_id=item["customer_id"]["S"],
        customer_number=item["customer_number"]["S"],
        pin_hash=item["pin_hash"]["S"],
    )
