"""The SQL backend: SQLite (embedded default), MariaDB/MySQL (PyMySQL), PostgreSQL (psycopg 3).
Nothing is imported here: a function imports only the stores it uses (stores/registry.py)."""
