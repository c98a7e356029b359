"""Errors of the deployed functions.

    IvrError                      base of everything raised on purpose
    ├── InvalidEvent              the Lambda event has no valid Connect envelope (the only
    │                             error a handler lets escape: the flow misconfigured it)
    ├── InvalidInput              caller input or a flow parameter is unusable -> invalid_input
    ├── NotFound                  the record asked for does not exist         -> not_found
    ├── DeadlineExceeded          a write after the deadline, refused: the flow was
    │                             answered without it (functions/deadline.py) -> unavailable
    └── StoreError                a store failed
        ├── StoreUnavailable      time-out, throttling, connection refused   -> unavailable
        ├── AlreadyExists         a conditional create found the key taken
        │   └── TransitionRefused a callback record is not in the state a workflow step
        │                         needs, or another execution holds it (issue 11)
        ├── ConfigurationError    the store is configured wrongly (bad URL, missing table)
        └── InvalidRecord         a stored row lacks a usable key or identity field
                                  (functions/stores/rows.py)           -> unavailable

The handler runtime turns each into the `status` the flow branches on, and a store error into
the `reason` its class declares (`reason`, a models.response.RuntimeReason: renaming a class
changes nothing a flow sees); vendor errors
(botocore, PyMySQL, psycopg, sqlite3) are translated into these at the store's edge,
always `raise ... from exc`.
"""

from __future__ import annotations

from typing import ClassVar

from models.response import RuntimeReason


class IvrError(Exception):
    """Base of the errors the functions raise on purpose."""


class InvalidEvent(IvrError, ValueError):
    """The event is not a Connect contact-flow event. Check the flow's Lambda block."""


class InvalidInput(IvrError, ValueError):
    """Input the function cannot use; `reason` is a short machine-readable word."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason


class NotFound(IvrError, LookupError):
    """No record matches."""


class DeadlineExceeded(IvrError):
    """The deadline passed, so the flow is answered without this call: no write may follow."""


class StoreError(IvrError):
    """A store operation failed."""

    # What the flow hears with status=unavailable: declared, never derived from the class name.
    reason: ClassVar[RuntimeReason] = RuntimeReason.STORE_ERROR


class StoreUnavailable(StoreError):
    """The store did not answer in time or refused: the caller should hear 'try later'."""

    reason = RuntimeReason.STORE_UNAVAILABLE


class AlreadyExists(StoreError):
    """A create found its key already written."""

    reason = RuntimeReason.ALREADY_EXISTS


class TransitionRefused(AlreadyExists):
    """A conditional state change found the record elsewhere: another execution holds it, or
    it already moved on. The step must not act (no second call is placed)."""


class ConfigurationError(StoreError):
    """The store is configured wrongly; the message says which variable to fix."""

    reason = RuntimeReason.CONFIGURATION_ERROR


class InvalidRecord(StoreError):
    """A stored row can't be read as its record: a field without a fallback is unusable.

    The message names the record type and the fields, never their values. Fix the row.
    """

    reason = RuntimeReason.INVALID_RECORD
