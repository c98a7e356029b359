"""`VerificationStore` on DynamoDB: VerificationsTable.

    contact_key (S, key), customer_id (S), expires_at (N, TTL)

Read with ConsistentRead: order_status asks a moment after verify_pin wrote. TTL deletes expired
items within days, so the expiry time itself is checked on every read (the port does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from functions.config import VERIFICATIONS_TABLE
from functions.stores.dynamodb.table import DynamoTable
from functions.stores.verifications import VerificationStore

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoVerificationStore(VerificationStore):
    def __init__(
        self, table_name: str, client: DynamoDBClient | None = None, **factory: Any
    ) -> None:
        self.table = DynamoTable(table_name, VERIFICATIONS_TABLE, client, **factory)
        super().__init__(self.table)

    def _record(self, contact_key: str, customer_id: str, expires_at: int) -> None:
        self.table.client.put_item(
            TableName=self.table.name,
            Item={
                "contact_key": {"S": contact_key},
                "customer_id": {"S": customer_id},
                "expires_at": {"N": str(expires_at)},
            },
        )

    def _find(self, contact_key: str) -> tuple[str, int] | None:
        answer = self.table.client.get_item(
            TableName=self.table.name, Key={"contact_key": {"S": contact_key}}, ConsistentRead=True
        )
        item = answer.get("Item")
        if not item:
            return None
        return item["customer_id"]["S"], int(item["expires_at"]["N"])
