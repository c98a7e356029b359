"""`VerificationStore` on a SQL database.

    pin_verifications(contact_key PK, customer_id, expires_at)    expires_at in epoch seconds

One row per contact, replaced by a later verification on the same contact. Rows are small and
outlive their use; `purge_expired` deletes them (run it from a scheduled job if the table grows).
"""

from __future__ import annotations

from functions.deadline import check_before_commit
from functions.stores.sql.store import SqlTables
from functions.stores.verifications import VerificationStore

TABLE = "pin_verifications"
COLUMNS_DDL = (
    "contact_key VARCHAR(128) NOT NULL PRIMARY KEY, "
    "customer_id VARCHAR(64) NOT NULL, "
    "expires_at BIGINT NOT NULL"
)


class SqlVerificationStore(SqlTables, VerificationStore):
    def _record(self, contact_key: str, customer_id: str, expires_at: int) -> None:
        self.database.ensure_table(TABLE, COLUMNS_DDL)
        check_before_commit()  # the schema check may have stalled past the answer
        self.database.upsert(
            TABLE,
            "contact_key",
            {"contact_key": contact_key, "customer_id": customer_id, "expires_at": expires_at},
        )

    def _find(self, contact_key: str) -> tuple[str, int] | None:
        self.database.ensure_table(TABLE, COLUMNS_DDL)
        row = self.database.fetch_one(
            "SELECT customer_id, expires_at FROM pin_verifications WHERE contact_key = :key",
            {"key": contact_key},
        )
        return None if row is None else (str(row[0]), int(row[1]))

    def purge_expired(self, now: int) -> None:
        """Delete the rows that expired before `now`."""
        with self._operation("purge_expired"):
            self.database.ensure_table(TABLE, COLUMNS_DDL)
            self.database.execute(
                "DELETE FROM pin_verifications WHERE expires_at <= :now", {"now": now}
            )
