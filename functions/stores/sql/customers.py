"""`CustomerStore` on a SQL database (SQLite, MariaDB/MySQL, PostgreSQL).

    customers(customer_id PK, phone_e164 UNIQUE, first_name, last_name,
              preferred_language, tier)

The table is created on first use; `put` is one upsert statement on every dialect.
"""

from __future__ import annotations

from functions.stores.customers import CustomerStore
from functions.stores.sql.store import SqlTables
from models.customer import Customer

TABLE = "customers"
COLUMNS = ("customer_id", "phone_e164", "first_name", "last_name", "preferred_language", "tier")
# Lengths follow models.customer.Customer; E.164 is at most 15 digits after the "+".
COLUMNS_DDL = (
    "customer_id VARCHAR(64) NOT NULL PRIMARY KEY, "
    "phone_e164 VARCHAR(16) NOT NULL UNIQUE, "
    "first_name VARCHAR(100) NOT NULL, "
    "last_name VARCHAR(100) NOT NULL DEFAULT '', "
    "preferred_language VARCHAR(8) NOT NULL, "
    "tier VARCHAR(16) NOT NULL"
)
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}"  # noqa: S608 - constants only


class SqlCustomerStore(SqlTables, CustomerStore):
    tables = (TABLE,)

    def _find_by_phone(self, phone_e164: str) -> Customer | None:
        self.database.ensure_table(TABLE, COLUMNS_DDL)
        row = self.database.fetch_one(f"{_SELECT} WHERE phone_e164 = :phone", {"phone": phone_e164})
        return None if row is None else self._customer(dict(zip(COLUMNS, row, strict=True)))

    def _get(self, customer_id: str) -> Customer | None:
        self.database.ensure_table(TABLE, COLUMNS_DDL)
        row = self.database.fetch_one(f"{_SELECT} WHERE customer_id = :id", {"id": customer_id})
        return None if row is None else self._customer(dict(zip(COLUMNS, row, strict=True)))

    def _put(self, customer: Customer) -> None:
        self.database.ensure_table(TABLE, COLUMNS_DDL)
        self.database.upsert(TABLE, "customer_id", customer.model_dump(mode="json"))
