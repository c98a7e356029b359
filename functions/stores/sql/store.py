"""What every SQL store is built on: its database and the tables it keeps there (the SQL twin of
functions/stores/dynamodb/table.py), held by the store, not mixed into it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from functions.errors import StoreError
    from functions.stores.sql.database import SqlDatabase

__all__ = ["SqlTables"]


class SqlTables:
    """A store's `Vendor` (functions/stores/base.py) on one SqlDatabase: `tables` name its
    tables in `describe()`."""

    def __init__(self, database: SqlDatabase, tables: tuple[str, ...]) -> None:
        self.database = database
        self.tables = tables

    @property
    def backend(self) -> str:
        return self.database.backend

    def describe(self) -> str:
        label = "table" if len(self.tables) == 1 else "tables"
        return f"{self.database.describe()} ({label} {', '.join(self.tables)})"

    def translate(self, exc: Exception) -> StoreError | None:
        return self.database.dialect.translate(exc)
