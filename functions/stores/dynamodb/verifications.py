"""`VerificationStore` on DynamoDB: VerificationsTable.

    contact_key (S, key), customer_id (S), expires_at (N, TTL)

Read with ConsistentRead: order_status asks a moment after verify_pin wrote. TTL deletes expired
items within days, so the expiry time itself is checked on every read (the port does).
"""

from __future__ import annotations

from functions.config import VERIFICATIONS_TABLE
from functions.stores.dynamodb.table import DynamoTable
from functions.stores.verifications import VerificationStore


class DynamoVerificationStore(DynamoTable, VerificationStore):
    table_variable = VERIFICATIONS_TABLE

    def _record(self, contact_key: str, customer_id: str, expires_at: int) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item={
                "contact_key": {"S": contact_key},
                "customer_id": {"S": customer_id},
                "expires_at": {"N": str(expires_at)},
            },
        )

    def _find(self, contact_key: str) -> tuple[str, int] | None:
        answer = self.client.get_item(
            TableName=self.table_name, Key={"contact_key": {"S": contact_key}}, ConsistentRead=True
        )
        item = answer.get("Item")
        if not item:
            return None
        return item["customer_id"]["S"], int(item["expires_at"]["N"])
