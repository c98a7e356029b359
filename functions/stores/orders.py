"""The order store port: orders by number, the relational (RDS) pattern of a keyed lookup."""

from __future__ import annotations

from abc import abstractmethod

from functions.stores.base import Store
from models.order import Order

__all__ = ["OrderStore"]


class OrderStore(Store):
    def find(self, order_number: str) -> Order | None:
        """The order with this number, or None."""
        return self._call("find", lambda: self._find(order_number), order_number=order_number)

    def put(self, order: Order) -> None:
        """Create or replace the order."""
        self._call("put", lambda: self._put(order), order_number=order.order_number)

    @abstractmethod
    def _find(self, order_number: str) -> Order | None: ...

    @abstractmethod
    def _put(self, order: Order) -> None: ...
