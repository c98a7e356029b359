"""What every SQL store shares: its database, the backend name, error translation, and a
description naming its tables (the SQL twin of functions/stores/dynamodb/table.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from functions.errors import StoreError
    from functions.stores.sql.database import SqlDatabase

__all__ = ["SqlTables"]


class SqlTables:
    """Mixin for a store on one SqlDatabase; `tables`, when set, names its tables in
    `describe()` (otherwise the port's own description, the backend name, stands)."""

    tables: tuple[str, ...] = ()

    def __init__(self, database: SqlDatabase) -> None:
        super().__init__()  # the port's own state (e.g. BusinessStore's settings cache)
        self.database = database
        self.backend = database.backend

    def describe(self) -> str:
        if not self.tables:
            return super().describe()  # type: ignore[misc]
        label = "table" if len(self.tables) == 1 else "tables"
        return f"{self.database.describe()} ({label} {', '.join(self.tables)})"

    def _translate_error(self, exc: Exception) -> StoreError | None:
        return self.database.dialect.translate(exc)
