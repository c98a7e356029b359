"""Store ports: one abstract class per record type.

Public methods own what every backend must do the same way (key building, masking in logs,
translating vendor errors into `functions.errors`); each backend fills in a few private hooks.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from functions.errors import NotFound
from models.customer import Customer


class CustomerStore(ABC):
    """Customers by id and by the E.164 number they call from."""

    def find_by_phone(self, phone_e164: str) -> Customer | None:
        """The customer whose number is `phone_e164`, or None."""
        return self._find_by_phone(phone_e164)

    def get(self, customer_id: str) -> Customer:
        """The customer with this id; `NotFound` when there is none."""
        customer = self._get(customer_id)
        if customer is None:
            raise NotFound(f"no customer {customer_id!r}")
        return customer

    def put(self, customer: Customer) -> None:
        """Create or replace the customer."""
        self._put(customer)

    @abstractmethod
    def _find_by_phone(self, phone_e164: str) -> Customer | None: ...

    @abstractmethod
    def _get(self, customer_id: str) -> Customer | None: ...

    @abstractmethod
    def _put(self, customer: Customer) -> None: ...
