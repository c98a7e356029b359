"""`ivr seed`: write the sample customers to a store (SQL or DynamoDB), idempotently.

    ivr seed                                   the store the environment names (SQLite default)
    ivr seed --database-url mysql://root@127.0.0.1:3306/ivr
    ivr seed --backend dynamodb --table ivr-customers --create-table

Prints one line per customer (created, updated or unchanged; numbers masked) and a summary.
"""

from __future__ import annotations

import argparse
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from functions.errors import ConfigurationError, IvrError, NotFound
from functions.privacy import mask_phone
from functions.stores.base import CustomerStore
from functions.stores.factory import BACKENDS, customer_store
from ivr.errors import ToolkitError
from ivr.sample_data import SAMPLE_CUSTOMERS
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
        help="SQL database (default: IVR_DATABASE_URL, else sqlite:///.ivr/ivr.sqlite3)",
    )
    parser.add_argument(
        "--table", metavar="NAME", help="DynamoDB customers table (default: IVR_CUSTOMERS_TABLE)"
    )
    parser.add_argument(
        "--create-table",
        action="store_true",
        help="create the DynamoDB table as template.yaml defines it, if missing "
        "(SQL tables are always created on first use)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        store = customer_store(args.backend, database_url=args.database_url, table_name=args.table)
        if args.create_table:
            _create_table(store)
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for customer in SAMPLE_CUSTOMERS:
            outcome = seed_one(store, customer)
            counts[outcome] += 1
            print(f"{outcome:<9} {_describe(customer)}")
    except IvrError as exc:
        hint = ""
        if isinstance(exc, ConfigurationError) and "dynamodb" in str(exc) and not args.create_table:
            hint = "; --create-table creates the table as template.yaml defines it"
        raise ToolkitError(f"{exc}{hint}") from exc
    summary = ", ".join(f"{n} {word}" for word, n in counts.items())
    print(f"seeded {len(SAMPLE_CUSTOMERS)} customers into {store.describe()}: {summary}")
    return 0


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


def _create_table(store: CustomerStore) -> None:
    from functions.stores.dynamodb.customers import DynamoCustomerStore
    from ivr.tables import create_table

    if not isinstance(store, DynamoCustomerStore):
        return  # SQL tables are created on first use
    try:
        created = create_table(store.client, "CustomersTable", store.table_name)
    except (BotoCoreError, ClientError) as exc:
        raise ToolkitError(f"cannot create table {store.table_name!r}: {exc}") from exc
    print(f"{'created' if created else 'exists':<9} table {store.table_name}")


def _describe(customer: Customer) -> str:
    name = f"{customer.first_name} {customer.last_name}".strip()
    return (
        f"{customer.customer_id}  {name}  {mask_phone(customer.phone_e164)}  "
        f"{customer.preferred_language.value}  {customer.tier.value}"
    )
