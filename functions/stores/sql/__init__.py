"""The SQL backend: SQLite (embedded default), MariaDB/MySQL (PyMySQL), PostgreSQL (psycopg 3)."""

from __future__ import annotations

from functions.stores.sql.customers import SqlCustomerStore
from functions.stores.sql.database import SqlDatabase, parse_url

__all__ = ["SqlCustomerStore", "SqlDatabase", "parse_url"]
