"""`CustomerStore` on a SQL database (SQLite, MariaDB/MySQL, PostgreSQL).

    customers(customer_id PK, phone_e164 UNIQUE, first_name, last_name,
              preferred_language, tier)

The table is migration 1's (functions/stores/sql/schema.py); `put` is one upsert statement on
every dialect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from functions.stores.customers import CustomerStore
from functions.stores.sql.store import SqlTables
from models.customer import Customer

if TYPE_CHECKING:
    from functions.stores.sql.database import SqlDatabase

TABLE = "customers"
COLUMNS = ("customer_id", "phone_e164", "first_name", "last_name", "preferred_language", "tier")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}"  # noqa: S608 - constants only


class SqlCustomerStore(CustomerStore):
    def __init__(self, database: SqlDatabase) -> None:
        super().__init__(SqlTables(database, (TABLE,)))
        self.database = database

    def _find_by_phone(self, phone_e164: str) -> Customer | None:
        row = self.database.fetch_one(f"{_SELECT} WHERE phone_e164 = :phone", {"phone": phone_e164})
        return None if row is None else self._customer(dict(zip(COLUMNS, row, strict=True)))

    def _get(self, customer_id: str) -> Customer | None:
        row = self.database.fetch_one(f"{_SELECT} WHERE customer_id = :id", {"id": customer_id})
        return None if row is None else self._customer(dict(zip(COLUMNS, row, strict=True)))

    def _put(self, customer: Customer) -> None:
        self.database.upsert(TABLE, "customer_id", customer.model_dump(mode="json"))
