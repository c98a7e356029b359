"""`CallbackStore` on a SQL database.

    callbacks(contact_id PK, phone_e164, requested_at, language, status, purpose)

`purpose` came with migration 3 (functions/stores/sql/schema.py); rows stored before it hold
its default, general.

`requested_at` is UTC ISO 8601 text with milliseconds ("2026-01-05T00:00:00.000+00:00"):
the same type on every driver, and it sorts in time order. A second insert for the same
contact fails on the primary key, which the port reads as "already requested".

The callback workflow (issue 11) starts from the DynamoDB table's stream, so its state
transitions exist on DynamoDB only: here they say so (`ConfigurationError`).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from functions.deadline import check_before_commit
from functions.errors import ConfigurationError
from functions.stores.callbacks import CallbackStore, Transition, timestamp
from functions.stores.sql.store import SqlTables
from models.callback import CallbackRequest, CallbackStatus
from models.callback_progress import CallbackProgress, CallbackState

if TYPE_CHECKING:
    from functions.stores.sql.database import SqlDatabase

TABLE = "callbacks"
COLUMNS = ("contact_id", "phone_e164", "requested_at", "language", "status", "purpose")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}"  # noqa: S608 - constants only
_INSERT = (
    f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) "  # noqa: S608 - constants only
    f"VALUES ({', '.join(':' + c for c in COLUMNS)})"
)


class SqlCallbackStore(CallbackStore):
    def __init__(self, database: SqlDatabase) -> None:
        super().__init__(SqlTables(database, (TABLE,)))
        self.database = database

    def _insert(self, callback: CallbackRequest) -> None:
        check_before_commit()  # the last moment a late body can still give the write up
        self.database.execute(_INSERT, _row(callback))

    def _get(self, contact_id: str) -> CallbackRequest | None:
        row = self.database.fetch_one(f"{_SELECT} WHERE contact_id = :id", {"id": contact_id})
        return None if row is None else _callback(row)

    def _pending(self, limit: int) -> list[CallbackRequest]:
        rows = self.database.fetch_all(
            f"{_SELECT} WHERE status = :status ORDER BY requested_at, contact_id LIMIT :limit",
            {"status": CallbackStatus.PENDING.value, "limit": limit},
        )
        return [_callback(row) for row in rows]

    def _progress(self, contact_id: str) -> CallbackProgress | None:
        raise _workflow_on_dynamodb_only()

    def _transition(
        self, contact_id: str, change: Transition, now: datetime.datetime
    ) -> CallbackProgress:
        raise _workflow_on_dynamodb_only()

    def _by_state(self, state: CallbackState, limit: int) -> list[CallbackProgress]:
        raise _workflow_on_dynamodb_only()


def _workflow_on_dynamodb_only() -> ConfigurationError:
    return ConfigurationError(
        "the callback workflow keeps its state on the DynamoDB callbacks table (its stream "
        "starts the workflow); set IVR_STORE_BACKEND=dynamodb"
    )


def _row(callback: CallbackRequest) -> dict[str, Any]:
    return {
        "contact_id": callback.contact_id,
        "phone_e164": callback.phone_e164,
        "requested_at": timestamp(callback.requested_at),
        "language": callback.language.value,
        "status": callback.status.value,
        "purpose": callback.purpose.value,
    }


def _callback(row: tuple[Any, ...]) -> CallbackRequest:
    values = dict(zip(COLUMNS, row, strict=True))
    values["requested_at"] = datetime.datetime.fromisoformat(values["requested_at"])
    return CallbackRequest(**values)
