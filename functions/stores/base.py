"""What every store port shares (`Store`); each port is a module named for its records
(customers.py, pins.py, ...), listed in functions/stores/registry.py.

Public methods own what every backend must do the same way (key building, masking in logs,
translating vendor errors into `functions.errors`); each backend fills in a few private hooks
(`_find_by_phone`, `_get`, `_put`, ...: the vendor calls, raising whatever the vendor raises).

A store is built on a `Vendor`, an object it holds rather than a class it mixes in: the SQL
stores' `SqlTables` (functions/stores/sql/store.py), the DynamoDB stores' `DynamoTable`
(functions/stores/dynamodb/table.py). It names the backend, describes where the records live,
and translates the vendor's exceptions (None when one is not the vendor's: it then propagates
untouched).

A translated error is always raised `from` the vendor's, so the cause stays in the traceback.
"""

from __future__ import annotations

from abc import ABC
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from functions import observability, tracing
from functions.errors import StoreError
from functions.privacy import mask_text
from functions.stores import rows

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class Vendor(Protocol):
    """What a store is built on: the database or table that holds its records."""

    @property
    def backend(self) -> str:
        """Short backend name for logs and messages: "sqlite", "mysql", "postgresql",
        "dynamodb"."""
        ...

    def describe(self) -> str:
        """Where the records live, for messages and CLI output (never a password)."""
        ...

    def translate(self, exc: Exception) -> StoreError | None:
        """The vendor's exception as one of ours, or None when it is not a vendor error."""
        ...


class Store(ABC):  # noqa: B024 - the ports declare the abstract hooks
    """What every store shares: its vendor, a name for the logs, vendor-error translation."""

    def __init__(self, vendor: Vendor) -> None:
        self.vendor = vendor

    @property
    def backend(self) -> str:
        return self.vendor.backend

    def describe(self) -> str:
        """Where the records live, for messages and CLI output (never a password)."""
        return self.vendor.describe()

    def _translate_error(self, exc: Exception) -> StoreError | None:
        return self.vendor.translate(exc)

    @contextmanager
    def _operation(self, operation: str, **fields: str) -> Iterator[None]:
        """Run one public operation: translate vendor errors, log failures (masked), and
        time it as an X-Ray subsegment when the invocation is traced (functions/tracing.py;
        its name and backend only, never `fields`)."""
        with tracing.subsegment(f"{type(self).__name__}.{operation}", store_backend=self.backend):
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
