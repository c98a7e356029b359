"""`CustomerStore` on DynamoDB: the template's CustomersTable.

Keyed by `customer_id` (S), with the global secondary index `by-phone` on `phone_e164`
(template.yaml). The low-level client and explicit marshalling keep the cold start short (the
resource API costs ~100 ms more to import and build).

A missing table is a `ConfigurationError`, not `StoreUnavailable`: retrying won't create it,
and the message says to fix IVR_CUSTOMERS_TABLE or create the table.
Lookups by phone read the GSI, which is eventually consistent: a number written a moment ago
may not be found for a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from functions.config import CUSTOMERS_TABLE
from functions.stores.customers import CustomerStore
from functions.stores.dynamodb.table import DynamoTable, string_values
from models.customer import Customer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

PHONE_INDEX = "by-phone"
FIELDS = tuple(Customer.model_fields)


class DynamoCustomerStore(CustomerStore):
    def __init__(
        self, table_name: str, client: DynamoDBClient | None = None, **factory: Any
    ) -> None:
        self.table = DynamoTable(table_name, CUSTOMERS_TABLE, client, **factory)
        super().__init__(self.table)

    def _find_by_phone(self, phone_e164: str) -> Customer | None:
        answer = self.table.client.query(
            TableName=self.table.name,
            IndexName=PHONE_INDEX,
            KeyConditionExpression="phone_e164 = :phone",
            ExpressionAttributeValues={":phone": {"S": phone_e164}},
            Limit=1,
        )
        items = answer.get("Items", [])
        return self._customer(string_values(items[0], FIELDS)) if items else None

    def _get(self, customer_id: str) -> Customer | None:
        answer = self.table.client.get_item(
            TableName=self.table.name, Key={"customer_id": {"S": customer_id}}
        )
        item = answer.get("Item")
        return self._customer(string_values(item, FIELDS)) if item else None

    def _put(self, customer: Customer) -> None:
        self.table.client.put_item(TableName=self.table.name, Item=_marshal(customer))


def _marshal(customer: Customer) -> dict[str, Any]:
    # Every field is a string (StrEnum values included); DynamoDB accepts "" outside keys.
    return {name: {"S": value} for name, value in customer.model_dump(mode="json").items()}
