"""The stores simulated calls run on: one `Stores` per store settings, for the process.

A deployed Lambda environment builds its stores once and keeps them (functions/container.py);
the toolkit runs many simulated calls, often from many `Simulator`s in one process (a
scenario suite, `ivr paths`), against the same database. They share one `Stores` per settings
the environment describes (a `Stores` reads the database URL and table names again at each
use), so a run opens one SQL connection, not one per call, and what a caller (a test, the
seed command) wrote through `environment_stores()` is what the handlers read.
`close_stores()` closes them (a test's teardown; a new endpoint or database).

This is toolkit state, never the functions': functions/ keeps nothing at module level.
"""

from __future__ import annotations

import threading

from functions.stores.bundle import Stores, StoreSettings

__all__ = ["close_stores", "environment_stores"]

_open: dict[StoreSettings, Stores] = {}
_lock = threading.Lock()


def environment_stores() -> Stores:
    """The `Stores` of the IVR_* variables now (`StoreSettings.from_env`), kept open until
    `close_stores()`."""
    settings = StoreSettings.from_env()
    with _lock:
        if settings not in _open:
            _open[settings] = Stores(settings)
        return _open[settings]


def close_stores() -> None:
    """Close every `Stores` opened here (their SQL connections); the next call builds new
    ones, with a new DynamoDB client (which reads its endpoint from the environment again)."""
    with _lock:
        opened = list(_open.values())
        _open.clear()
    for stores in opened:
        stores.close()
