"""The PIN store port: each customer's credential, and the attempt counter behind the lockout.

A `PinRecord` ties a customer id to the customer number they key on the phone (digits, the
last one a Luhn check digit) and their PIN hash. Public methods own logging (never a PIN or a
hash; subjects and numbers masked) and error translation; backends fill in the hooks:

    _get / _find_by_number / _put        the credential, by customer id or by number
    _replace_hash                        a new hash for a credential still holding the old one
    _claim_attempt(subject, now, policy) apply `policy.claim` atomically: an `AttemptClaim`
    _attempt_window / _reset_attempts    read / clear the counter

The counter is keyed by a *subject*: the customer id when the caller is a known customer, and
otherwise what the caller claimed to be ("number:<keyed number>", "caller:<E.164>"). An
unknown claim is counted and locked out exactly like a real one, so the answers never tell
the two apart.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass

from functions import observability
from functions.deadline import write_window
from functions.errors import AlreadyExists
from functions.pins import AttemptWindow, LockoutPolicy
from functions.privacy import mask_text
from functions.stores.base import Store

__all__ = ["AttemptClaim", "PinRecord", "PinStore"]


@dataclass(frozen=True)
class PinRecord:
    """A customer's credential: `pin_hash` is a `functions.pins.hash_pin` string."""

    customer_id: str
    customer_number: str
    pin_hash: str

    def __repr__(self) -> str:
        # Keep the hash out of tracebacks and debug logs.
        return f"PinRecord(customer_id={self.customer_id!r}, customer_number=***)"


@dataclass(frozen=True)
class AttemptClaim:
    """The outcome of claiming one PIN check: `granted` or not, and the counter after it."""

    granted: bool
    window: AttemptWindow


class PinStore(Store):
    def get(self, customer_id: str) -> PinRecord | None:
        """The customer's credential, or None when they have none (or do not exist)."""
        return self._call("get", lambda: self._get(customer_id), customer_id=customer_id)

    def find_by_number(self, customer_number: str) -> PinRecord | None:
        """The credential of the customer with this customer number, or None."""
        return self._call(
            "find_by_number",
            lambda: self._find_by_number(customer_number),
            customer_number=mask_text(customer_number),
        )

    def put(self, record: PinRecord) -> None:
        """Create or replace a credential; `AlreadyExists` when another customer has its number."""
        with write_window(), self._operation("put", customer_id=record.customer_id):
            holder = self._find_by_number(record.customer_number)
            if holder is not None and holder.customer_id != record.customer_id:
                raise AlreadyExists(
                    f"customer number {mask_text(record.customer_number)} already belongs to "
                    f"customer {holder.customer_id!r}: give this customer another number"
                )
            self._put(record)
        observability.logger().info(
            "pin credential stored",
            extra={"store_backend": self.backend, "customer_id": record.customer_id},
        )

    def replace_hash(self, record: PinRecord, new_hash: str) -> None:
        """Store `new_hash` for `record`'s customer if the credential still holds its hash.

        verify_pin's rehash: it writes the hash alone, never the whole credential, so on
        DynamoDB its role may update `pin_hash` and nothing else (template.yaml); a
        credential changed or removed since `record` was read is left as it is.
        """
        self._call(
            "replace_hash",
            lambda: self._replace_hash(record, new_hash),
            customer_id=record.customer_id,
        )

    def claim_attempt(self, subject: str, now: int, policy: LockoutPolicy) -> AttemptClaim:
        """Count one PIN check against `subject` before it is made; refused when locked.

        Atomic on every backend: however many checks run at once, at most
        `policy.max_failures` are granted per window. Like every write of the ports, refused
        (`DeadlineExceeded`) once the invocation's deadline is gone (functions/deadline.py):
        a check the caller can't hear the result of is neither made nor counted.
        """
        with write_window():
            claim = self._call(
                "claim_attempt",
                lambda: self._claim_attempt(subject, now, policy),
                subject=mask_text(subject),
            )
        if not claim.granted:
            observability.logger().info(
                "pin check refused: locked",
                extra={"store_backend": self.backend, "subject": mask_text(subject)},
            )
        return claim

    def attempt_window(self, subject: str) -> AttemptWindow | None:
        """The stored counter of `subject`, or None when there is none."""
        return self._call(
            "attempt_window", lambda: self._attempt_window(subject), subject=mask_text(subject)
        )

    def reset_attempts(self, subject: str) -> None:
        """Forget `subject`'s counted checks (after a correct PIN)."""
        with write_window():
            self._call(
                "reset_attempts", lambda: self._reset_attempts(subject), subject=mask_text(subject)
            )

    @abstractmethod
    def _get(self, customer_id: str) -> PinRecord | None: ...

    @abstractmethod
    def _find_by_number(self, customer_number: str) -> PinRecord | None: ...

    @abstractmethod
    def _put(self, record: PinRecord) -> None: ...

    @abstractmethod
    def _replace_hash(self, record: PinRecord, new_hash: str) -> None: ...

    @abstractmethod
    def _claim_attempt(self, subject: str, now: int, policy: LockoutPolicy) -> AttemptClaim: ...

    @abstractmethod
    def _attempt_window(self, subject: str) -> AttemptWindow | None: ...

    @abstractmethod
    def _reset_attempts(self, subject: str) -> None: ...
