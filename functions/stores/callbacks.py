"""The callback store port: one callback request per contact, written idempotently.

`request(callback)` creates the request unless one exists for its contact, and answers the
stored request either way: a retried invocation (the runtime's or Connect's) gets the same
answer and leaves one record. It returns only after the write is durable, so the function
confirms nothing it didn't store. Backends fill in the hooks:

    _insert(callback)        create; raise the vendor's duplicate-key error when taken
    _get(contact_id)         the stored request or None
    _pending(limit)          the oldest pending requests first
"""

from __future__ import annotations

import datetime
from abc import abstractmethod

from functions import observability
from functions.deadline import write_window
from functions.errors import AlreadyExists, NotFound, StoreUnavailable
from functions.privacy import mask_phone
from functions.stores.base import Store
from models.callback import CallbackRequest

__all__ = ["CallbackStore", "timestamp"]


def timestamp(moment: datetime.datetime) -> str:
    """How every backend stores an instant: UTC ISO 8601 with milliseconds, fixed width
    ("2026-01-05T00:00:00.000+00:00"), so stored text sorts in time order."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds")


class CallbackStore(Store):
    def request(self, callback: CallbackRequest) -> CallbackRequest:
        """Store `callback` unless its contact has one; the stored request either way.

        `DeadlineExceeded` instead, once the invocation's deadline is gone: the flow was told
        no callback was booked, so none may appear after it (functions/deadline.py).
        """
        fields = {"contact_id": callback.contact_id, "phone": mask_phone(callback.phone_e164)}
        with self._operation("request", **fields):
            with write_window():
                created = self._create(callback)
            stored = callback if created else self._get(callback.contact_id)
            if stored is None:
                raise StoreUnavailable(
                    f"callback {callback.contact_id!r} was taken but can't be read back; try again"
                )
        observability.logger().info(
            "callback requested" if created else "callback already requested",
            extra={"store_backend": self.backend, **fields},
        )
        return stored

    def get(self, contact_id: str) -> CallbackRequest:
        """The request of this contact; `NotFound` when there is none."""
        found = self._call("get", lambda: self._get(contact_id), contact_id=contact_id)
        if found is None:
            raise NotFound(f"no callback request for contact {contact_id!r}")
        return found

    def pending(self, limit: int = 100) -> list[CallbackRequest]:
        """Pending requests, oldest first: what an outbound dialer works through."""
        if limit < 1:
            raise ValueError(f"limit is at least 1, got {limit}")
        return self._call("pending", lambda: self._pending(limit))

    def _create(self, callback: CallbackRequest) -> bool:
        """True when this call created the record, False when the contact had one."""
        try:
            self._insert(callback)
        except AlreadyExists:
            return False
        except Exception as exc:
            if isinstance(self._translate_error(exc), AlreadyExists):
                return False
            raise
        return True

    @abstractmethod
    def _insert(self, callback: CallbackRequest) -> None: ...

    @abstractmethod
    def _get(self, contact_id: str) -> CallbackRequest | None: ...

    @abstractmethod
    def _pending(self, limit: int) -> list[CallbackRequest]: ...
