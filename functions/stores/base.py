"""Store ports: one abstract class per record type.

Public methods own what every backend must do the same way (key building, masking in logs,
translating vendor errors into `functions.errors`); each backend fills in a few private hooks:

    _find_by_phone / _get / _put     the vendor calls, raising whatever the vendor raises
    _translate_error(exc)            the vendor's exception as a `StoreError`, or None when it
                                     is not the vendor's (then it propagates untouched)

A translated error is always raised `from` the vendor's, so the cause stays in the traceback.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic import BaseModel

from functions import observability
from functions.errors import AlreadyExists, NotFound, StoreError
from functions.privacy import mask_phone, mask_text
from functions.stores import rows
from models.customer import Customer

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class Store(ABC):
    """What every store shares: a name for the logs and vendor-error translation."""

    #: Short backend name for logs and messages: "sqlite", "mysql", "postgresql", "dynamodb".
    backend: str = "store"

    def describe(self) -> str:
        """Where the records live, for messages and CLI output (never a password)."""
        return self.backend

    @abstractmethod
    def _translate_error(self, exc: Exception) -> StoreError | None:
        """The vendor's exception as one of ours, or None when it is not a vendor error."""

    @contextmanager
    def _operation(self, operation: str, **fields: str) -> Iterator[None]:
        """Run one public operation: translate vendor errors, log failures (masked)."""
        try:
            yield
        except StoreError as exc:
            self._log_failure(operation, exc, fields)
            raise
        except Exception as exc:
            translated = self._translate_error(exc)
            if translated is None:
                raise
            self._log_failure(operation, translated, fields)
            raise translated from exc

    def _read(self, model: type[M], values: Mapping[str, Any], blank: Collection[str] = ()) -> M:
        """A stored row as `model`; outside its bounds, repaired or refused (stores/rows.py)."""
        return rows.read_model(model, values, backend=self.backend, blank=blank)

    def _call(self, operation: str, hook: Callable[[], T], **fields: str) -> T:
        with self._operation(operation, **fields):
            return hook()

    def _log_failure(self, operation: str, exc: StoreError, fields: dict[str, str]) -> None:
        observability.logger().warning(
            "store operation failed",
            extra={
                "store_backend": self.backend,
                "store_operation": operation,
                "error_type": type(exc).__name__,
                "error": mask_text(str(exc)),
                **fields,
            },
        )


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
