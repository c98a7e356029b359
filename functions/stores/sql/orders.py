"""`OrderStore` on a SQL database: the RDS pattern, one keyed SELECT answering the record.

    orders(order_number PK, customer_id, status, delivery_date DATE NULL)

Dates are bound as ISO strings, which every dialect casts to DATE; they come back as
`datetime.date` (MySQL, PostgreSQL) or ISO text (SQLite), which `Order` reads either way. A row
outside `Order`'s bounds (functions/stores/rows.py): an unreadable delivery date is read as
none; an unknown status, owner or number makes it `InvalidRecord`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from functions.stores.orders import OrderStore
from functions.stores.sql.store import SqlTables
from models.order import Order

if TYPE_CHECKING:
    from functions.stores.sql.database import SqlDatabase

TABLE = "orders"
COLUMNS = ("order_number", "customer_id", "status", "delivery_date")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}"  # noqa: S608 - constants only


class SqlOrderStore(OrderStore):
    def __init__(self, database: SqlDatabase) -> None:
        super().__init__(SqlTables(database, (TABLE,)))
        self.database = database

    def _find(self, order_number: str) -> Order | None:
        row = self.database.fetch_one(
            f"{_SELECT} WHERE order_number = :number", {"number": order_number}
        )
        return None if row is None else self._read(Order, dict(zip(COLUMNS, row, strict=True)))

    def _put(self, order: Order) -> None:
        self.database.upsert(
            TABLE,
            "order_number",
            {
                "order_number": order.order_number,
                "customer_id": order.customer_id,
                "status": order.status.value,
                "delivery_date": order.delivery_date.isoformat() if order.delivery_date else None,
            },
        )
