"""Stores: one port per record type (`base`), backends under `sql/` and `dynamodb/`, and the
`factory` that picks one from the environment. Backends are imported only when used."""

from __future__ import annotations

from functions.stores.base import Store
from functions.stores.customers import CustomerStore
from functions.stores.factory import customer_store, reset

__all__ = ["CustomerStore", "Store", "customer_store", "reset"]
