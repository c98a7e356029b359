"""The sample store, seeded once per test session.

    url = seeded_sqlite_url(tmp_path)   # sqlite:///<tmp_path>/ivr.sqlite3, a store of its own
    url = empty_sqlite_url(tmp_path)    # the same, migrated but without the sample records
    SampleTables.seed(client)           # DynamoDB: the read-only records' tables, shared

Seeding writes the sample customers, PINs and orders one row and one commit at a time (as
`ivr seed` does): done for every test that needs them, it was most of their setup. The template
is migrated and seeded by the same code on first use, in a session folder removed at exit; a
copy is a new file, so what a test writes (a lockout, a callback, an emergency) stays its own.

On DynamoDB the session seeds tables once (`SampleTables`): what the handlers only read is
shared, what calls write (PINs and their attempt counters, verifications) is copied per test.
"""

from __future__ import annotations

import atexit
import datetime
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from functions.stores import registry
from functions.stores.bundle import Stores, StoreSettings
from ivr.sample_data import SAMPLE_CUSTOMERS
from ivr.seeding.orders import seed_orders_and_pins
from ivr.tables import create_table
from tests.conftest import migrated

__all__ = [
    "READ_ONLY_KINDS",
    "SEEDED_ON",
    "WRITTEN_KINDS",
    "SampleTables",
    "empty_sqlite_url",
    "seeded_sqlite_url",
]

# The day the orders' delivery dates are relative to: the session's, fixed at import.
SEEDED_ON = datetime.date.today()
_FILE = "ivr.sqlite3"


def seeded_sqlite_url(folder: Path) -> str:
    """The URL of a new SQLite file in `folder` holding the migrated, seeded sample store."""
    return _copy(_template(seeded=True), folder)


def empty_sqlite_url(folder: Path) -> str:
    """The URL of a new SQLite file in `folder` holding the migrated schema and no rows."""
    return _copy(_template(seeded=False), folder)


def _copy(template: Path, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / _FILE
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@cache
def _template(*, seeded: bool) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="ivr-tests-sample-store-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / _FILE
    stores = Stores(StoreSettings(backend="sql", database_url=migrated(f"sqlite:///{path}")))
    try:
        if seeded:
            for customer in SAMPLE_CUSTOMERS:
                stores.customers.put(customer)
            seed_orders_and_pins(stores.pins, stores.orders, SEEDED_ON)
    finally:
        stores.close()  # every connection closed: the file alone is the whole database
    return path


# The kinds of records no handler writes: their tables are shared by every test.
READ_ONLY_KINDS = ("customers", "orders")
# The kinds calls write: each test gets tables of its own, copied from the session's.
WRITTEN_KINDS = ("pins", "verifications")
_BATCH = 25  # BatchWriteItem's most items per request


@dataclass(frozen=True)
class SampleTables:
    """DynamoDB tables holding the sample records, seeded once per session, and what they held.

    The tables of `READ_ONLY_KINDS` are used as they are; those of `WRITTEN_KINDS` are copied
    (`copy`): a new table gets the seeded items in one BatchWriteItem, where seeding them
    through the stores took about 90 requests per test, most of such a test's time.
    """

    client: Any
    names: dict[str, str]  # logical id -> the session's table
    items: dict[str, list[dict[str, Any]]]  # the session's table -> its items once seeded

    @classmethod
    def seed(cls, client: Any) -> SampleTables:
        kinds = (*READ_ONLY_KINDS, *WRITTEN_KINDS)
        logical_ids = [t.logical_id for kind in kinds for t in registry.kind(kind).tables]
        names = {logical_id: f"test-session-{logical_id}" for logical_id in logical_ids}
        for logical_id, name in names.items():
            create_table(client, logical_id, name)
        stores = Stores(StoreSettings(backend="dynamodb", tables=tuple(names.items())))
        try:
            for customer in SAMPLE_CUSTOMERS:
                stores.customers.put(customer)
            seed_orders_and_pins(stores.pins, stores.orders, SEEDED_ON)
        finally:
            stores.close()
        seeded = cls(client, names, {})
        seeded.items.update(seeded.scan())
        return seeded

    def shared(self) -> dict[str, str]:
        """Environment variable -> the session's table, for the read-only kinds."""
        tables = [t for kind in READ_ONLY_KINDS for t in registry.kind(kind).tables]
        return {t.variable: self.names[t.logical_id] for t in tables}

    def copy(self, logical_id: str, name: str) -> None:
        """Write the seeded items of `logical_id`'s session table into the new table `name`."""
        items = self.items[self.names[logical_id]]
        for start in range(0, len(items), _BATCH):
            puts = [{"PutRequest": {"Item": item}} for item in items[start : start + _BATCH]]
            answer = self.client.batch_write_item(RequestItems={name: puts})
            assert not answer.get("UnprocessedItems"), "moto left items unwritten"

    def scan(self) -> dict[str, list[dict[str, Any]]]:
        return {
            name: sorted(self.client.scan(TableName=name, ConsistentRead=True)["Items"], key=repr)
            for name in self.names.values()
        }

    def assert_unchanged(self) -> None:
        """A test that wrote a shared record would leak it into the tests after it."""
        changed = [name for name, items in self.scan().items() if items != self.items[name]]
        assert not changed, f"a test changed the shared sample tables {changed}"
