"""The callback store port: one callback request per contact, written idempotently.

`request(callback)` creates the request unless one exists for its contact, and answers the
stored request either way: a retried invocation (the runtime's or Connect's) gets the same
answer and leaves one record. It returns only after the write is durable, so the function
confirms nothing it didn't store. Backends fill in the hooks:

    _insert(callback)        create; raise the vendor's duplicate-key error when taken
    _get(contact_id)         the stored request or None
    _pending(limit)          the oldest pending requests first

The callback workflow (issue 11) moves a record through its states with conditional writes
(models/callback_progress.py); a refused condition is `TransitionRefused`:

    _progress(contact_id)                           the record as the workflow reads it
    _transition(contact_id, change, now)            apply a `Transition`, ALL_NEW back
    _by_state(state, limit)                         records in a state, for `ivr callbacks`
"""

from __future__ import annotations

import datetime
from abc import abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from functions import observability
from functions.deadline import write_window
from functions.errors import AlreadyExists, NotFound, StoreUnavailable, TransitionRefused
from functions.privacy import mask_phone
from functions.stores.base import Store
from models.callback import CallbackRequest

if TYPE_CHECKING:  # the workflow's records: nothing of request_callback's cold start
    from models.callback_progress import CallbackProgress, CallbackState

__all__ = ["CallbackStore", "Transition", "timestamp"]


def timestamp(moment: datetime.datetime) -> str:
    """How every backend stores an instant: UTC ISO 8601 with milliseconds, fixed width
    ("2026-01-05T00:00:00.000+00:00"), so stored text sorts in time order."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Transition:
    """One conditional state change of a callback record.

    Applied only when the record is in one of `from_states` (a record without a state is
    `booked`) and `execution` holds it: `claim` also takes a record no execution holds, and
    `release` gives it up (a redrive). `attempt`, when set, must equal the stored attempts for
    a record already in `to` (a retried dial of the same attempt, never a second one).

    `token` is written with the change: a retry of the same change (botocore resending after
    a lost answer, the state machine retrying its step) finds it on the record and is
    answered the record, not `TransitionRefused`. Give the same token to every try of one
    step; left empty, the store draws one per call (covering botocore's resends only).
    """

    to: CallbackState
    from_states: tuple[CallbackState, ...]
    execution: str = ""
    claim: bool = False
    release: bool = False
    attempts: int | None = None
    same_attempt: bool = False
    last_error: str | None = None
    scheduled_for: datetime.datetime | None = None
    task_token: str | None = None
    token: str = ""


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

    def progress(self, contact_id: str) -> CallbackProgress:
        """The record as the callback workflow reads it; `NotFound` when there is none."""
        found = self._call("progress", lambda: self._progress(contact_id), contact_id=contact_id)
        if found is None:
            raise NotFound(f"no callback request for contact {contact_id!r}")
        return found

    def transition(
        self, contact_id: str, change: Transition, now: datetime.datetime
    ) -> CallbackProgress:
        """Apply `change` if the record allows it; `TransitionRefused` when it doesn't."""
        fields = {"contact_id": contact_id, "state": change.to.value}
        try:
            with self._operation("transition", **fields):
                moved = self._transition(contact_id, change, now)
        except TransitionRefused:
            raise
        except AlreadyExists as exc:
            raise TransitionRefused(
                f"callback {contact_id!r} can't move to {change.to}: it is not in "
                f"{', '.join(change.from_states)} or another execution holds it"
            ) from exc
        observability.logger().info("callback state", extra={**fields, "attempts": moved.attempts})
        return moved

    def by_state(self, state: CallbackState, limit: int = 100) -> list[CallbackProgress]:
        """Records in `state`, oldest request first (`booked` includes records with none)."""
        if limit < 1:
            raise ValueError(f"limit is at least 1, got {limit}")
        return self._call("by_state", lambda: self._by_state(state, limit))

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

    @abstractmethod
    def _progress(self, contact_id: str) -> CallbackProgress | None: ...

    @abstractmethod
    def _transition(
        self, contact_id: str, change: Transition, now: datetime.datetime
    ) -> CallbackProgress: ...

    @abstractmethod
    def _by_state(self, state: CallbackState, limit: int) -> list[CallbackProgress]: ...
