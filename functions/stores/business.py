"""The business settings store port: opening hours, special closures, the emergency message.

Admins write these (`ivr seed`, SQL, the DynamoDB console); check_business_status reads them
through `settings(max_age_s=...)`, which reuses what it read for a short time so the hot
path doesn't hit the store on every call. Backends fill in the hooks:

    _load()                                     everything stored, as `StoredBusiness`
    _put_hours(weekday, hours | None)           one weekday's hours (None: closed all day)
    _put_closure(closure) / _delete_closure(id)
    _put_emergency(announcement | None)         None clears it

A weekday with nothing stored keeps its default hours (models.business_status.DEFAULT_HOURS).
"""

from __future__ import annotations

import threading
import time
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from functions import observability
from functions.stores.base import Store, Vendor
from models.business_status import (
    WEEKDAYS,
    Announcement,
    BusinessSettings,
    OpeningHours,
    SpecialClosure,
)

__all__ = ["BusinessStore", "StoredBusiness"]


@dataclass(frozen=True)
class StoredBusiness:
    """What a backend holds: only the weekdays that were set."""

    hours: dict[int, OpeningHours | None] = field(default_factory=dict)
    closures: tuple[SpecialClosure, ...] = ()
    emergency: Announcement | None = None


class BusinessStore(Store):
    #: The clock `settings(max_age_s)` measures age on; replaceable in tests.
    monotonic: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, vendor: Vendor) -> None:
        super().__init__(vendor)
        self._last: tuple[float, BusinessSettings] | None = None
        self._last_lock = threading.Lock()

    def settings(self, max_age_s: float = 0.0) -> BusinessSettings:
        """The settings, read again unless what was read is younger than `max_age_s`."""
        now = self.monotonic()
        with self._last_lock:
            last = self._last
        if last is not None and now - last[0] < max_age_s:
            return last[1]
        stored = self._call("settings", self._load)
        settings = BusinessSettings(
            hours=stored.hours,
            closures=tuple(sorted(stored.closures, key=lambda c: (c.first_day, c.closure_id))),
            emergency=stored.emergency,
        )
        with self._last_lock:
            self._last = (now, settings)
        return settings

    def last_read(self) -> BusinessSettings | None:
        """The settings last read successfully, however old: a fallback when the store fails."""
        with self._last_lock:
            return self._last[1] if self._last else None

    def set_hours(self, weekday: int, hours: OpeningHours | None) -> None:
        """Set one ISO weekday's hours (1=Monday .. 7=Sunday); None closes it all day."""
        if weekday not in WEEKDAYS:
            raise ValueError(f"weekday is 1 (Monday) to 7 (Sunday), got {weekday!r}")
        self._write("set_hours", lambda: self._put_hours(weekday, hours), weekday=str(weekday))

    def put_closure(self, closure: SpecialClosure) -> None:
        """Create or replace the closure with this id."""
        self._write(
            "put_closure", lambda: self._put_closure(closure), closure_id=closure.closure_id
        )

    def delete_closure(self, closure_id: str) -> None:
        """Remove a closure; removing one that isn't there is not an error."""
        self._write(
            "delete_closure", lambda: self._delete_closure(closure_id), closure_id=closure_id
        )

    def set_emergency(self, announcement: Announcement) -> None:
        """Close the line now, with this message, until `clear_emergency`."""
        self._write("set_emergency", lambda: self._put_emergency(announcement))

    def clear_emergency(self) -> None:
        self._write("clear_emergency", lambda: self._put_emergency(None))

    def _write(self, operation: str, hook: Callable[[], None], **fields: str) -> None:
        self._call(operation, hook, **fields)
        with self._last_lock:
            self._last = None  # this container sees its own change at once
        observability.logger().info(
            "business settings changed",
            extra={"store_backend": self.backend, "store_operation": operation, **fields},
        )

    @abstractmethod
    def _load(self) -> StoredBusiness: ...

    @abstractmethod
    def _put_hours(self, weekday: int, hours: OpeningHours | None) -> None: ...

    @abstractmethod
    def _put_closure(self, closure: SpecialClosure) -> None: ...

    @abstractmethod
    def _delete_closure(self, closure_id: str) -> None: ...

    @abstractmethod
    def _put_emergency(self, announcement: Announcement | None) -> None: ...
