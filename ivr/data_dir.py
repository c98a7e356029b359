"""Where the toolkit keeps the embedded store: one place per project, whatever the current
directory (`ivr simulate` and `ivr seed` used `.ivr/ivr.sqlite3` under the working directory,
so a run from another folder silently made an empty store there).

    IVR_DATA_DIR   the folder of the embedded SQLite store (ivr.sqlite3 in it); default the
                   `.ivr` folder of the project root: the first folder holding contact_flows/
                   or pyproject.toml, upward from the flow file (or the current directory)

IVR_DATABASE_URL (or an RDS secret) still wins; only the embedded default moves.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from functions.config import DATABASE_SECRET_ARN, DATABASE_URL, STORE_BACKEND
from ivr.errors import ToolkitError

__all__ = [
    "DATA_DIR",
    "default_sqlite_url",
    "project_root",
    "project_store",
    "project_store_url",
]

DATA_DIR = "IVR_DATA_DIR"
STORE_FILE = "ivr.sqlite3"
_MARKERS = ("contact_flows", "pyproject.toml")


def project_root(start: Path) -> Path | None:
    """The first folder from `start` upward that holds contact_flows/ or pyproject.toml."""
    here = start.resolve()
    for folder in (here, *here.parents) if here.is_dir() else here.parents:
        if any((folder / marker).exists() for marker in _MARKERS):
            return folder
    return None


def default_sqlite_url(start: Path) -> str | None:
    """The embedded store's URL: IVR_DATA_DIR, else the project root's .ivr; None when
    neither is there."""
    configured = os.environ.get(DATA_DIR, "").strip()
    if configured:
        folder = Path(configured).expanduser().resolve()
    else:
        root = project_root(start)
        if root is None:
            return None
        folder = root / ".ivr"
    return f"sqlite:///{folder / STORE_FILE}"


def project_store_url(start: Path, *, required: bool) -> str | None:
    """The embedded store's URL when neither IVR_DATABASE_URL nor an RDS secret names the
    database, else None. With `required`, no project root and no IVR_DATA_DIR is a
    ToolkitError; without, None (the handlers keep their own default)."""
    if os.environ.get(DATABASE_URL, "").strip() or os.environ.get(DATABASE_SECRET_ARN, "").strip():
        return None
    url = default_sqlite_url(start)
    if url is None and required:
        raise ToolkitError(
            f"no project above {start.resolve()} (no contact_flows/ or pyproject.toml) to keep "
            f"the embedded store in: run inside the project, or set {DATA_DIR} (a folder) or "
            f"{DATABASE_URL}"
        )
    return url


@contextlib.contextmanager
def project_store(start: Path) -> Iterator[str | None]:
    """Inside: the in-process handlers use the project's embedded store (IVR_DATABASE_URL set
    to it unless the database is configured); restored after."""
    url = project_store_url(start, required=False)
    if url is None:
        yield None
        return
    before = os.environ.get(DATABASE_URL)
    os.environ[DATABASE_URL] = url
    try:
        _migrate_embedded(url)
        yield url
    finally:
        if before is None:
            os.environ.pop(DATABASE_URL, None)
        else:
            os.environ[DATABASE_URL] = before


def _migrate_embedded(url: str) -> None:
    """Bring the embedded store's schema up to date, as `ivr db migrate` would: it is the
    toolkit's own file, so a simulated call after an upgrade (or before any `ivr seed`)
    finds the tables the handlers need instead of answering `unavailable`. A configured
    database is never migrated behind the admin's back."""
    if os.environ.get(STORE_BACKEND, "sql").strip().lower() not in ("", "sql"):
        return  # the handlers use DynamoDB: the embedded file is not theirs
    from functions.stores.sql.database import SqlDatabase
    from functions.stores.sql.schema import migrate

    database = SqlDatabase(url)
    try:
        migrate(database)
    finally:
        database.close()
