"""`VerificationStore` on a SQL database.

    pin_verifications(contact_key PK, customer_id, expires_at)    expires_at in epoch seconds

One row per contact, replaced by a later verification on the same contact. Rows are small and
outlive their use; `purge_expired` deletes them (run it from a scheduled job if the table grows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from functions.deadline import check_before_commit
from functions.stores.sql.store import SqlTables
from functions.stores.verifications import VerificationStore

if TYPE_CHECKING:
    from functions.stores.sql.database import SqlDatabase

TABLE = "pin_verifications"


class SqlVerificationStore(VerificationStore):
    def __init__(self, database: SqlDatabase) -> None:
        super().__init__(SqlTables(database, (TABLE,)))
        self.database = database

    def _record(self, contact_key: str, customer_id: str, expires_at: int) -> None:
        check_before_commit()  # the last moment a late body can still give the write up
        self.database.upsert(
            TABLE,
            "contact_key",
            {"contact_key": contact_key, "customer_id": customer_id, "expires_at": expires_at},
        )

    def _find(self, contact_key: str) -> tuple[str, int] | None:
        row = self.database.fetch_one(
            "SELECT customer_id, expires_at FROM pin_verifications WHERE contact_key = :key",
            {"key": contact_key},
        )
        return None if row is None else (str(row[0]), int(row[1]))

    def purge_expired(self, now: int) -> None:
        """Delete the rows that expired before `now`."""
        with self._operation("purge_expired"):
            self.database.execute(
                "DELETE FROM pin_verifications WHERE expires_at <= :now", {"now": now}
            )
