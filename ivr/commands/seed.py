"""`ivr seed`: write the sample customers, business settings, PINs and orders, idempotently.

    ivr seed                                   the store the environment names (SQLite default)
    ivr seed --database-url mysql://root@127.0.0.1:3306/ivr
    ivr seed --backend dynamodb --table ivr-customers --create-table
    ivr seed --reset                           ... and forget the sample customers' failed PIN
                                               attempts (what `make demo` runs)

Prints one line per customer (created, updated or unchanged; numbers masked) and a summary,
then a line each for the business settings and for the PINs and orders (counts). `--table`
names the customers table; the other tables come from IVR_*_TABLE (functions/stores/registry.py).
With --create-table on DynamoDB, every table template.yaml defines is created if missing; on
SQL the pending migrations are applied first, as `ivr db migrate` does.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from functions.errors import ConfigurationError, IvrError, NotFound
from functions.privacy import mask_phone
from functions.stores import registry
from functions.stores.bundle import BACKENDS, Stores, StoreSettings, check_backend
from functions.stores.customers import CustomerStore
from functions.stores.pins import PinStore
from ivr.commands.db import migrate_database
from ivr.data_dir import project_store_url
from ivr.errors import ToolkitError
from ivr.sample_data import SAMPLE_CUSTOMERS
from ivr.seeding.business import seed_business
from ivr.seeding.orders import seed_orders_and_pins
from models.customer import Customer


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "seed",
        help="write the sample customers to a store",
        description=__doc__.split("\n\n", 1)[0] if __doc__ else None,
    )
    parser.add_argument(
        "--backend", choices=BACKENDS, help="store backend (default: IVR_STORE_BACKEND, else sql)"
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="SQL database (default: IVR_DATABASE_URL, else ivr.sqlite3 in IVR_DATA_DIR or "
        "in the project root's .ivr folder)",
    )
    parser.add_argument(
        "--table", metavar="NAME", help="DynamoDB customers table (default: IVR_CUSTOMERS_TABLE)"
    )
    parser.add_argument(
        "--create-table",
        action="store_true",
        help="create the DynamoDB tables as template.yaml defines them, if missing "
        "(on SQL, `ivr seed` always applies the pending migrations first, as `ivr db migrate`)",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="also clear the sample customers' failed PIN attempts (a lockout from earlier "
        "calls), so the demo call works however often it ran",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.database_url is None and store_backend_of(args) == "sql":
        args.database_url = project_store_url(Path.cwd(), required=True)
    settings = StoreSettings.from_env().overridden(
        args.backend, database_url=args.database_url, tables={"CustomersTable": args.table}
    )
    stores = Stores(settings)
    try:
        if store_backend_of(args) == "sql":
            migrate_database(stores.sql_database())
        store = stores.customers
        if args.create_table:
            _create_tables(store)
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for customer in SAMPLE_CUSTOMERS:
            outcome = seed_one(store, customer)
            counts[outcome] += 1
            print(f"{outcome:<9} {_describe(customer)}")
        summary = ", ".join(f"{n} {word}" for word, n in counts.items())
        print(f"seeded {len(SAMPLE_CUSTOMERS)} customers into {store.describe()}: {summary}")
        print("seeded " + seed_business(stores.business))
        pins = stores.pins
        orders = stores.orders
        written = seed_orders_and_pins(pins, orders)
        print(
            f"seeded PINs and orders into {pins.describe()} and {orders.describe()}: "
            + ", ".join(f"{n} {word}" for word, n in written.items())
        )
        if args.reset:
            print(f"reset failed PIN attempts of {reset_attempts(pins)} sample customers")
    except IvrError as exc:
        hint = ""
        if isinstance(exc, ConfigurationError) and "dynamodb" in str(exc) and not args.create_table:
            hint = "; --create-table creates the table as template.yaml defines it"
        raise ToolkitError(f"{exc}{hint}") from exc
    finally:
        stores.close()
    return 0


def store_backend_of(args: argparse.Namespace) -> str:
    try:
        if args.backend:
            return check_backend(args.backend, "--backend")
        settings = StoreSettings.from_env()
        return check_backend(settings.backend, settings.backend_source)
    except ConfigurationError as exc:
        raise ToolkitError(str(exc)) from exc


def reset_attempts(pins: PinStore) -> int:
    """Forget every sample customer's failed PIN attempts (the lockout subject is the
    customer id, or the caller's number when it named no customer)."""
    for customer in SAMPLE_CUSTOMERS:
        pins.reset_attempts(customer.customer_id)
        pins.reset_attempts(f"caller:{customer.phone_e164}")
    return len(SAMPLE_CUSTOMERS)


def seed_one(store: CustomerStore, customer: Customer) -> str:
    """Write `customer` unless it is already there as is: "created", "updated" or "unchanged"."""
    try:
        existing: Customer | None = store.get(customer.customer_id)
    except NotFound:
        existing = None
    if existing == customer:
        return "unchanged"
    store.put(customer)
    return "created" if existing is None else "updated"


def _create_tables(store: CustomerStore) -> None:
    """Every table of template.yaml: the customers table `store` uses, the others by name
    from the environment (the names the other stores are built with)."""
    from functions.stores.dynamodb.customers import DynamoCustomerStore
    from ivr.tables import create_table

    if not isinstance(store, DynamoCustomerStore):
        return  # SQL tables are the migrations', applied by `run`
    settings = StoreSettings.from_env().with_tables({"CustomersTable": store.table.name})
    tables = [(table.logical_id, settings.table(table)) for table in registry.TABLES]
    for logical_id, name in tables:
        try:
            created = create_table(store.table.client, logical_id, name)
        except (BotoCoreError, ClientError) as exc:
            raise ToolkitError(f"cannot create table {name!r}: {exc}") from exc
        print(f"{'created' if created else 'exists':<9} table {name}")


def _describe(customer: Customer) -> str:
    name = f"{customer.first_name} {customer.last_name}".strip()
    return (
        f"{customer.customer_id}  {name}  {mask_phone(customer.phone_e164)}  "
        f"{customer.preferred_language.value}  {customer.tier.value}"
    )
