"""The verification port: which customer passed verify_pin on which contact, until when.

verify_pin records a verification after a correct PIN; order_status trusts only this record,
never a flag the flow passes. Keyed by the contact (InitialContactId, or ContactId when there
is none, so a transfer to another flow keeps it), it expires after a few minutes.
"""

from __future__ import annotations

from abc import abstractmethod

from functions import observability
from functions.deadline import write_window
from functions.stores.base import Store
from models.event import ContactData

__all__ = ["VerificationStore", "contact_key"]


def contact_key(contact: ContactData) -> str:
    """The key a contact's verification is kept under: InitialContactId, else ContactId."""
    return contact.initial_contact_id or contact.contact_id


class VerificationStore(Store):
    def record(self, contact_key: str, customer_id: str, expires_at: int) -> None:
        """Remember that `customer_id` was verified on `contact_key` until `expires_at`.

        `DeadlineExceeded` instead, once the invocation's deadline is gone: the flow was told
        the check failed, so no verification may appear after it (functions/deadline.py).
        """
        with write_window():
            self._call(
                "record",
                lambda: self._record(contact_key, customer_id, expires_at),
                contact_key=contact_key,
                customer_id=customer_id,
            )
        observability.logger().info(
            "verification recorded",
            extra={"store_backend": self.backend, "customer_id": customer_id},
        )

    def verified_customer(self, contact_key: str, now: int) -> str | None:
        """The customer verified on `contact_key` and not expired at `now`, or None."""
        found = self._call(
            "verified_customer", lambda: self._find(contact_key), contact_key=contact_key
        )
        if found is None:
            return None
        customer_id, expires_at = found
        # Expired records may linger (DynamoDB TTL deletes within days): the time decides.
        return customer_id if now < expires_at else None

    @abstractmethod
    def _record(self, contact_key: str, customer_id: str, expires_at: int) -> None: ...

    @abstractmethod
    def _find(self, contact_key: str) -> tuple[str, int] | None: ...
