"""The customer store port: customers by id and by the number they call from."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from typing import Any

from functions import observability
from functions.errors import AlreadyExists, NotFound
from functions.privacy import mask_phone
from functions.stores.base import Store
from models.customer import Customer

__all__ = ["CustomerStore"]

# Free text a customer's answer can do without: greeted without a name rather than not at all.
_CUSTOMER_BLANKABLE = frozenset({"first_name", "last_name"})


class CustomerStore(Store):
    """Customers by id and by the E.164 number they call from.

    A stored row outside `Customer`'s bounds is read with the names blanked and the language
    and tier defaulted (`_customer`); without a usable id or number it is `InvalidRecord`.

    A number belongs to at most one customer: `put` refuses (`AlreadyExists`) to give a
    second customer a number another one already has.
    """

    def find_by_phone(self, phone_e164: str) -> Customer | None:
        """The customer whose number is `phone_e164`, or None."""
        customer = self._call(
            "find_by_phone", lambda: self._find_by_phone(phone_e164), phone=mask_phone(phone_e164)
        )
        observability.logger().debug(
            "customer lookup by phone",
            extra={
                "store_backend": self.backend,
                "phone": mask_phone(phone_e164),
                "found": customer is not None,
            },
        )
        return customer

    def get(self, customer_id: str) -> Customer:
        """The customer with this id; `NotFound` when there is none."""
        customer = self._call("get", lambda: self._get(customer_id), customer_id=customer_id)
        if customer is None:
            raise NotFound(f"no customer {customer_id!r}")
        return customer

    def put(self, customer: Customer) -> None:
        """Create or replace the customer; `AlreadyExists` when another one has its number."""
        phone = mask_phone(customer.phone_e164)
        with self._operation("put", customer_id=customer.customer_id, phone=phone):
            # Checked here for every backend: DynamoDB can't enforce a unique GSI key, and
            # MySQL's upsert would silently rewrite the other customer's row. The SQL unique
            # index still catches a concurrent writer on SQLite and PostgreSQL.
            holder = self._find_by_phone(customer.phone_e164)
            if holder is not None and holder.customer_id != customer.customer_id:
                raise AlreadyExists(
                    f"phone {phone} already belongs to customer {holder.customer_id!r}: "
                    "change that customer's number first"
                )
            self._put(customer)
        observability.logger().debug(
            "customer written",
            extra={"store_backend": self.backend, "customer_id": customer.customer_id},
        )

    def _customer(self, values: Mapping[str, Any]) -> Customer:
        """What a backend read, as a `Customer` (the one way backends build one)."""
        return self._read(Customer, values, blank=_CUSTOMER_BLANKABLE)

    @abstractmethod
    def _find_by_phone(self, phone_e164: str) -> Customer | None: ...

    @abstractmethod
    def _get(self, customer_id: str) -> Customer | None: ...

    @abstractmethod
    def _put(self, customer: Customer) -> None: ...
