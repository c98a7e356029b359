"""`OrderStore` on DynamoDB: OrdersTable.

order_number (S, key), customer_id (S), status (S), delivery_date (S, ISO; absent if none)

Items are read through `Order` (functions/stores/rows.py): an unreadable delivery date is read
as none; an unknown status, owner or number makes the item `InvalidRecord`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from functions.config import ORDERS_TABLE
from functions.stores.dynamodb.table import DynamoTable, string_values
from functions.stores.orders import OrderStore
from models.order import Order

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

FIELDS = tuple(Order.model_fields)


class DynamoOrderStore(OrderStore):
    def __init__(
        self, table_name: str, client: DynamoDBClient | None = None, **factory: Any
    ) -> None:
        self.table = DynamoTable(table_name, ORDERS_TABLE, client, **factory)
        super().__init__(self.table)

    def _find(self, order_number: str) -> Order | None:
        answer = self.table.client.get_item(
            TableName=self.table.name, Key={"order_number": {"S": order_number}}
        )
        item = answer.get("Item")
        return self._read(Order, string_values(item, FIELDS)) if item else None

    def _put(self, order: Order) -> None:
        item: dict[str, Any] = {
            "order_number": {"S": order.order_number},
            "customer_id": {"S": order.customer_id},
            "status": {"S": order.status.value},
        }
        if order.delivery_date is not None:
            item["delivery_date"] = {"S": order.delivery_date.isoformat()}
        self.table.client.put_item(TableName=self.table.name, Item=item)
