"""The sample store on SQLite, seeded once per test session: each test gets a copy of the file.

    url = seeded_sqlite_url(tmp_path)   # sqlite:///<tmp_path>/ivr.sqlite3, a store of its own

Seeding writes the sample customers, PINs and orders one row and one commit at a time (as
`ivr seed` does): done for every test that needs them, it was most of their setup. The template
is migrated and seeded by the same code on first use, in a session folder removed at exit; a
copy is a new file, so what a test writes (a lockout, a callback, an emergency) stays its own.
"""

from __future__ import annotations

import atexit
import datetime
import shutil
import tempfile
from functools import cache
from pathlib import Path

from functions.stores.bundle import Stores, StoreSettings
from ivr.sample_data import SAMPLE_CUSTOMERS
from ivr.seeding.orders import seed_orders_and_pins
from tests.conftest import migrated

__all__ = ["SEEDED_ON", "seeded_sqlite_url"]

# The day the orders' delivery dates are relative to: the session's, fixed at import.
SEEDED_ON = datetime.date.today()
_FILE = "ivr.sqlite3"


def seeded_sqlite_url(folder: Path) -> str:
    """The URL of a new SQLite file in `folder` holding the migrated, seeded sample store."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / _FILE
    shutil.copyfile(_template(), target)
    return f"sqlite:///{target}"


@cache
def _template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="ivr-tests-sample-store-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / _FILE
    stores = Stores(StoreSettings(backend="sql", database_url=migrated(f"sqlite:///{path}")))
    try:
        for customer in SAMPLE_CUSTOMERS:
            stores.customers.put(customer)
        seed_orders_and_pins(stores.pins, stores.orders, SEEDED_ON)
    finally:
        stores.close()  # every connection closed: the file alone is the whole database
    return path
