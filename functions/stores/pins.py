"""The PIN store port: each customer's PIN hash, and the attempt counter behind the lockout.

Public methods own logging (never a PIN or a hash: only the customer id and what happened)
and error translation; backends fill in the hooks:

    _get_pin_hash / _set_pin_hash       the customer's hash
    _claim_attempt(subject, now, policy) apply `policy.claim` atomically: an `AttemptClaim`
    _attempt_window / _reset_attempts    read / clear the counter

The counter is keyed by a *subject*, the customer id the caller claims to be, whether or not
that customer exists: an unknown id is locked out exactly like a real one, so the answers
never tell the two apart.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass

from functions import observability
from functions.pins import AttemptWindow, LockoutPolicy
from functions.stores.base import Store

__all__ = ["AttemptClaim", "PinStore"]


@dataclass(frozen=True)
class AttemptClaim:
    """The outcome of claiming one PIN check: `granted` or not, and the counter after it."""

    granted: bool
    window: AttemptWindow


class PinStore(Store):
    def get_pin_hash(self, customer_id: str) -> str | None:
        """The customer's stored PIN hash, or None when they have none (or do not exist)."""
        return self._call(
            "get_pin_hash", lambda: self._get_pin_hash(customer_id), customer_id=customer_id
        )

    def set_pin_hash(self, customer_id: str, pin_hash: str) -> None:
        """Store (or replace) the customer's PIN hash: a `functions.pins.hash_pin` string."""
        self._call(
            "set_pin_hash",
            lambda: self._set_pin_hash(customer_id, pin_hash),
            customer_id=customer_id,
        )
        observability.logger().info(
            "pin hash stored", extra={"store_backend": self.backend, "customer_id": customer_id}
        )

    def claim_attempt(self, subject: str, now: int, policy: LockoutPolicy) -> AttemptClaim:
        """Count one PIN check against `subject` before it is made; refused when locked.

        Atomic on every backend: however many checks run at once, at most
        `policy.max_failures` are granted per window.
        """
        claim = self._call(
            "claim_attempt", lambda: self._claim_attempt(subject, now, policy), subject=subject
        )
        if not claim.granted:
            observability.logger().info(
                "pin check refused: locked",
                extra={"store_backend": self.backend, "subject": subject},
            )
        return claim

    def attempt_window(self, subject: str) -> AttemptWindow | None:
        """The stored counter of `subject`, or None when there is none."""
        return self._call("attempt_window", lambda: self._attempt_window(subject), subject=subject)

    def reset_attempts(self, subject: str) -> None:
        """Forget `subject`'s counted checks (after a correct PIN)."""
        self._call("reset_attempts", lambda: self._reset_attempts(subject), subject=subject)

    @abstractmethod
    def _get_pin_hash(self, customer_id: str) -> str | None: ...

    @abstractmethod
    def _set_pin_hash(self, customer_id: str, pin_hash: str) -> None: ...

    @abstractmethod
    def _claim_attempt(self, subject: str, now: int, policy: LockoutPolicy) -> AttemptClaim: ...

    @abstractmethod
    def _attempt_window(self, subject: str) -> AttemptWindow | None: ...

    @abstractmethod
    def _reset_attempts(self, subject: str) -> None: ...
