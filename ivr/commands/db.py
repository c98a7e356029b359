"""`ivr db`: the SQL database's schema (functions/stores/sql/schema.py).

    ivr db migrate                   apply the migrations the database lacks, in order
    ivr db migrate --database-url postgresql://ivr@db.example:5432/ivr
    ivr db status                    the versions applied and pending (exit 1 when behind)

The database is `--database-url`, else IVR_DATABASE_URL, else the RDS secret
(IVR_DATABASE_SECRET_ARN, with IVR_DATABASE_PROXY_HOST), else the project's embedded SQLite
file, as for `ivr seed`. Deployed functions never change the schema: run this before a
deploy whose code needs a new version (deploy/README.md, Migrations); `ivr seed` runs it too.
A function against an unmigrated database answers `unavailable` and logs that advice.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from functions.errors import IvrError
from ivr.errors import ToolkitError

T = TypeVar("T")

SUMMARY = "create or upgrade the SQL database's tables (ivr db migrate)"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "db", help=SUMMARY, description=__doc__.split("\n\n", 1)[0] if __doc__ else None
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, summary in (
        ("migrate", "apply the migrations the database lacks, in order"),
        ("status", "list the versions applied and pending; exit 1 when any is pending"),
    ):
        action = actions.add_parser(name, help=summary, description=summary)
        action.add_argument(
            "--database-url",
            metavar="URL",
            help="SQL database (default: IVR_DATABASE_URL, else the RDS secret, else "
            "ivr.sqlite3 in IVR_DATA_DIR or in the project root's .ivr folder)",
        )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from functions.stores.bundle import StoreSettings
    from functions.stores.sql.database import SqlDatabase
    from functions.stores.sql.schema import MIGRATIONS, applied
    from ivr.data_dir import project_store_url

    url = args.database_url or project_store_url(Path.cwd(), required=True)
    try:
        database = SqlDatabase(url or StoreSettings.from_env().sql_url())
        try:
            if args.action == "migrate":
                return _migrate(database)
            done = _translated(database, lambda: applied(database))
        finally:
            database.close()
    except IvrError as exc:
        raise ToolkitError(str(exc)) from exc
    pending = [m for m in MIGRATIONS if m.version not in done]
    for migration in MIGRATIONS:
        state = "pending" if migration in pending else "applied"
        print(f"{state:<8} {migration.version:>3}  {migration.summary}")
    counts = f"{len(MIGRATIONS) - len(pending)} applied, {len(pending)} pending"
    print(f"{database.describe()}: {counts}")
    return 1 if pending else 0


def migrate_database(database: Any) -> list[int]:
    """Apply the pending migrations to `database`, printing one line each (`ivr seed` too)."""
    from functions.stores.sql.schema import migrate

    return _translated(
        database,
        lambda: migrate(
            database, report=lambda m: print(f"migrate  {m.version:>3}  {m.summary}", flush=True)
        ),
    )


def _translated(database: Any, work: Callable[[], T]) -> T:
    """`work()`, with the driver's errors raised as ours (`StoreError`: what to do next)."""
    try:
        return work()
    except Exception as exc:
        translated = database.dialect.translate(exc)
        if translated is None:
            raise
        raise translated from exc


def _migrate(database: Any) -> int:
    from functions.stores.sql.schema import LATEST

    ran = migrate_database(database)
    done = f"applied {len(ran)} migration{'' if len(ran) == 1 else 's'}" if ran else "up to date"
    print(f"{database.describe()}: {done} (schema version {LATEST})")
    return 0
