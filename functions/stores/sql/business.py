"""`BusinessStore` on a SQL database: three small tables an admin can also edit by hand.

    business_hours(weekday PK 1=Mon..7=Sun, opens_at 'HH:MM' | NULL, closes_at 'HH:MM' | NULL)
        a row with NULL times closes that weekday; a weekday without a row keeps its default
    business_closures(closure_id PK, first_day 'YYYY-MM-DD', last_day, reason,
                      announcement_ja, announcement_en)
    business_emergency(slot PK = 'current', text_ja, text_en)
        a row closes the line; deleting it reopens

Dates and times are ISO text, not DATE/TIME columns: the three drivers return those as
different types, text reads back the same everywhere and still sorts in order.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from functions.stores.business import BusinessStore, StoredBusiness
from functions.stores.sql.store import SqlTables
from models.business_status import Announcement, OpeningHours, SpecialClosure

if TYPE_CHECKING:
    from functions.stores.sql.database import SqlDatabase

HOURS_TABLE = "business_hours"
CLOSURES_TABLE = "business_closures"
EMERGENCY_TABLE = "business_emergency"
EMERGENCY_SLOT = "current"


class SqlBusinessStore(BusinessStore):
    def __init__(self, database: SqlDatabase) -> None:
        super().__init__(SqlTables(database, (HOURS_TABLE, CLOSURES_TABLE, EMERGENCY_TABLE)))
        self.database = database

    def _load(self) -> StoredBusiness:
        hours = {
            int(weekday): _opening_hours(opens, closes)
            for weekday, opens, closes in self.database.fetch_all(
                "SELECT weekday, opens_at, closes_at FROM business_hours"
            )
        }
        closures = tuple(
            SpecialClosure(
                closure_id=closure_id,
                first_day=datetime.date.fromisoformat(first),
                last_day=datetime.date.fromisoformat(last),
                reason=reason,
                announcement=Announcement(ja=ja, en=en),
            )
            for closure_id, first, last, reason, ja, en in self.database.fetch_all(
                "SELECT closure_id, first_day, last_day, reason, announcement_ja, "
                "announcement_en FROM business_closures"
            )
        )
        row = self.database.fetch_one(
            "SELECT text_ja, text_en FROM business_emergency WHERE slot = :slot",
            {"slot": EMERGENCY_SLOT},
        )
        emergency = None if row is None else Announcement(ja=row[0], en=row[1])
        return StoredBusiness(hours=hours, closures=closures, emergency=emergency)

    def _put_hours(self, weekday: int, hours: OpeningHours | None) -> None:
        row = {
            "weekday": weekday,
            "opens_at": None if hours is None else f"{hours.opens:%H:%M}",
            "closes_at": None if hours is None else f"{hours.closes:%H:%M}",
        }
        self.database.upsert(HOURS_TABLE, "weekday", row)

    def _put_closure(self, closure: SpecialClosure) -> None:
        row = {
            "closure_id": closure.closure_id,
            "first_day": closure.first_day.isoformat(),
            "last_day": closure.last_day.isoformat(),
            "reason": closure.reason,
            "announcement_ja": closure.announcement.ja,
            "announcement_en": closure.announcement.en,
        }
        self.database.upsert(CLOSURES_TABLE, "closure_id", row)

    def _delete_closure(self, closure_id: str) -> None:
        self.database.execute(
            "DELETE FROM business_closures WHERE closure_id = :id", {"id": closure_id}
        )

    def _put_emergency(self, announcement: Announcement | None) -> None:
        if announcement is None:
            self.database.execute(
                "DELETE FROM business_emergency WHERE slot = :slot", {"slot": EMERGENCY_SLOT}
            )
            return
        row = {"slot": EMERGENCY_SLOT, "text_ja": announcement.ja, "text_en": announcement.en}
        self.database.upsert(EMERGENCY_TABLE, "slot", row)


def _opening_hours(opens: str | None, closes: str | None) -> OpeningHours | None:
    if opens is None or closes is None:
        return None
    return OpeningHours(
        opens=datetime.time.fromisoformat(opens), closes=datetime.time.fromisoformat(closes)
    )
