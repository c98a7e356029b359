"""`CallbackStore` on a SQL database.

    callbacks(contact_id PK, phone_e164, requested_at, language, status)

`requested_at` is UTC ISO 8601 text with milliseconds ("2026-01-05T00:00:00.000+00:00"):
the same type on every driver, and it sorts in time order. A second insert for the same
contact fails on the primary key, which the port reads as "already requested".
"""

from __future__ import annotations

import datetime
from typing import Any

from functions.deadline import check_before_commit
from functions.stores.callbacks import CallbackStore, timestamp
from functions.stores.sql.store import SqlTables
from models.callback import CallbackRequest, CallbackStatus

TABLE = "callbacks"
COLUMNS = ("contact_id", "phone_e164", "requested_at", "language", "status")
COLUMNS_DDL = (
    "contact_id VARCHAR(64) NOT NULL PRIMARY KEY, "
    "phone_e164 VARCHAR(16) NOT NULL, "
    "requested_at VARCHAR(32) NOT NULL, "
    "language VARCHAR(8) NOT NULL, "
    "status VARCHAR(16) NOT NULL"
)
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}"  # noqa: S608 - constants only
_INSERT = (
    f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) "  # noqa: S608 - constants only
    f"VALUES ({', '.join(':' + c for c in COLUMNS)})"
)


class SqlCallbackStore(SqlTables, CallbackStore):
    tables = (TABLE,)

    def _ensure_table(self) -> None:
        self.database.ensure_table(TABLE, COLUMNS_DDL)

    def _insert(self, callback: CallbackRequest) -> None:
        self._ensure_table()
        check_before_commit()  # the schema check may have stalled past the answer
        self.database.execute(_INSERT, _row(callback))

    def _get(self, contact_id: str) -> CallbackRequest | None:
        self._ensure_table()
        row = self.database.fetch_one(f"{_SELECT} WHERE contact_id = :id", {"id": contact_id})
        return None if row is None else _callback(row)

    def _pending(self, limit: int) -> list[CallbackRequest]:
        self._ensure_table()
        rows = self.database.fetch_all(
            f"{_SELECT} WHERE status = :status ORDER BY requested_at, contact_id LIMIT :limit",
            {"status": CallbackStatus.PENDING.value, "limit": limit},
        )
        return [_callback(row) for row in rows]


def _row(callback: CallbackRequest) -> dict[str, Any]:
    return {
        "contact_id": callback.contact_id,
        "phone_e164": callback.phone_e164,
        "requested_at": timestamp(callback.requested_at),
        "language": callback.language.value,
        "status": callback.status.value,
    }


def _callback(row: tuple[Any, ...]) -> CallbackRequest:
    values = dict(zip(COLUMNS, row, strict=True))
    values["requested_at"] = datetime.datetime.fromisoformat(values["requested_at"])
    return CallbackRequest(**values)
