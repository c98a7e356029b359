"""`BusinessStore` on DynamoDB: one small table (template BusinessTable), key `item_id` (S).

    hours#1 .. hours#7   opens_at, closes_at ('HH:MM'); both absent: closed that weekday
    closure#<id>         closure_id, first_day, last_day ('YYYY-MM-DD'), reason,
                         announcement_ja, announcement_en
    emergency            text_ja, text_en: while the item exists the line is closed

Reading is one strongly consistent Scan: the table holds a few dozen items, and one request
costs less time than three queries.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from functions.config import BUSINESS_TABLE
from functions.stores.business import BusinessStore, StoredBusiness
from functions.stores.dynamodb.table import DynamoTable
from models.business_status import Announcement, OpeningHours, SpecialClosure

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

HOURS_PREFIX = "hours#"
CLOSURE_PREFIX = "closure#"
EMERGENCY_ITEM = "emergency"


class DynamoBusinessStore(BusinessStore):
    def __init__(
        self, table_name: str, client: DynamoDBClient | None = None, **factory: Any
    ) -> None:
        self.table = DynamoTable(table_name, BUSINESS_TABLE, client, **factory)
        super().__init__(self.table)

    def _load(self) -> StoredBusiness:
        hours: dict[int, OpeningHours | None] = {}
        closures: list[SpecialClosure] = []
        emergency: Announcement | None = None
        for item in self._scan():
            item_id = _s(item, "item_id")
            if item_id.startswith(HOURS_PREFIX):
                hours[int(item_id.removeprefix(HOURS_PREFIX))] = _opening_hours(item)
            elif item_id.startswith(CLOSURE_PREFIX):
                closures.append(_closure(item))
            elif item_id == EMERGENCY_ITEM:
                emergency = Announcement(ja=_s(item, "text_ja"), en=_s(item, "text_en"))
        return StoredBusiness(hours=hours, closures=tuple(closures), emergency=emergency)

    def _scan(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        request: dict[str, Any] = {"TableName": self.table.name, "ConsistentRead": True}
        while True:
            page = self.table.client.scan(**request)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _put_hours(self, weekday: int, hours: OpeningHours | None) -> None:
        item: dict[str, Any] = {"item_id": {"S": f"{HOURS_PREFIX}{weekday}"}}
        if hours is not None:
            item["opens_at"] = {"S": f"{hours.opens:%H:%M}"}
            item["closes_at"] = {"S": f"{hours.closes:%H:%M}"}
        self.table.client.put_item(TableName=self.table.name, Item=item)

    def _put_closure(self, closure: SpecialClosure) -> None:
        item = {
            "item_id": {"S": f"{CLOSURE_PREFIX}{closure.closure_id}"},
            "closure_id": {"S": closure.closure_id},
            "first_day": {"S": closure.first_day.isoformat()},
            "last_day": {"S": closure.last_day.isoformat()},
            "reason": {"S": closure.reason},
            "announcement_ja": {"S": closure.announcement.ja},
            "announcement_en": {"S": closure.announcement.en},
        }
        self.table.client.put_item(TableName=self.table.name, Item=item)

    def _delete_closure(self, closure_id: str) -> None:
        self.table.client.delete_item(
            TableName=self.table.name, Key={"item_id": {"S": f"{CLOSURE_PREFIX}{closure_id}"}}
        )

    def _put_emergency(self, announcement: Announcement | None) -> None:
        key = {"item_id": {"S": EMERGENCY_ITEM}}
        if announcement is None:
            self.table.client.delete_item(TableName=self.table.name, Key=key)
            return
        item = {**key, "text_ja": {"S": announcement.ja}, "text_en": {"S": announcement.en}}
        self.table.client.put_item(TableName=self.table.name, Item=item)


def _s(item: dict[str, Any], name: str) -> str:
    """A string attribute; absent (an admin left it out) reads as empty."""
    value = item.get(name)
    return str(value["S"]) if value and "S" in value else ""


def _opening_hours(item: dict[str, Any]) -> OpeningHours | None:
    opens, closes = _s(item, "opens_at"), _s(item, "closes_at")
    if not opens or not closes:
        return None
    return OpeningHours(
        opens=datetime.time.fromisoformat(opens), closes=datetime.time.fromisoformat(closes)
    )


def _closure(item: dict[str, Any]) -> SpecialClosure:
    return SpecialClosure(
        closure_id=_s(item, "closure_id") or _s(item, "item_id").removeprefix(CLOSURE_PREFIX),
        first_day=datetime.date.fromisoformat(_s(item, "first_day")),
        last_day=datetime.date.fromisoformat(_s(item, "last_day")),
        reason=_s(item, "reason"),
        announcement=Announcement(ja=_s(item, "announcement_ja"), en=_s(item, "announcement_en")),
    )
