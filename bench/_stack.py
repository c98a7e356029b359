"""Every function's tables on moto's DynamoDB server, seeded, and an event per function that
answers status=ok on a seeded record: what bench/cold_start.py invokes the artifacts with.

Orders are read from DynamoDB here (IVR_ORDER_STORE_BACKEND unset), not RDS as deployed:
a database server is outside what this benchmark measures (the driver's import is not: it
happens on the first call either way and the artifact ships it).
"""

from __future__ import annotations

import copy
import datetime
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from _harness import CALLER, ROOT, connect_event, moto_stack

# Environment variable -> template.yaml logical id of the table it names.
TABLES = {
    "IVR_CUSTOMERS_TABLE": "CustomersTable",
    "IVR_BUSINESS_TABLE": "BusinessTable",
    "IVR_CALLBACKS_TABLE": "CallbacksTable",
    "IVR_PINS_TABLE": "PinsTable",
    "IVR_PIN_ATTEMPTS_TABLE": "PinAttemptsTable",
    "IVR_VERIFICATIONS_TABLE": "VerificationsTable",
    "IVR_ORDERS_TABLE": "OrdersTable",
}
# The contact order_status is asked on: verified for it before any run.
VERIFIED_CONTACT = "4a573372-1f28-4e26-b97b-0fe4a0e3d2b1"


@dataclass(frozen=True)
class Target:
    """One handler to start cold, the event it gets and what its answer must say."""

    name: str
    module: str  # "functions.identify_caller"
    logical_id: str | None  # template.yaml's function; None for a baseline
    parameters: dict[str, str] = field(default_factory=dict)
    expect: dict[str, str] = field(default_factory=dict)
    # A new ContactId per process: request_callback stores one request per contact, and a
    # second one would take the "already requested" path instead of the write.
    fresh_contact: bool = False

    def event(self) -> dict[str, Any]:
        event = connect_event(CALLER, dict(self.parameters))
        if self.fresh_contact:
            contact = str(uuid.uuid4())
            event["Details"]["ContactData"]["ContactId"] = contact
            event["Details"]["ContactData"]["InitialContactId"] = contact
        return copy.deepcopy(event)

    def check(self, answer: dict[str, str]) -> str | None:
        """What is wrong with `answer`, or None when it is the seeded record's ok answer."""
        wanted = {"status": "ok", **self.expect}
        wrong = {k: answer.get(k) for k, v in wanted.items() if answer.get(k) != v}
        return f"expected {wanted}, got {wrong} in {answer}" if wrong else None


def targets() -> list[Target]:
    """The bare baseline first, then the five functions, each with its seeded ok case."""
    from ivr.seeding.orders import sample_credentials, sample_orders

    taro = sample_credentials()[0]
    today = datetime.date.today()
    order = next(o for o in sample_orders(today) if o.customer_id == taro.customer_id)
    return [
        Target("bare boto3", "baseline_bare_handler", None, expect={"customerFound": "true"}),
        Target(
            "identify_caller",
            "functions.identify_caller",
            "IdentifyCallerFunction",
            expect={"customerFound": "true"},
        ),
        Target(
            "check_business",
            "functions.check_business_status",
            "CheckBusinessStatusFunction",
            parameters={"language": "ja"},
        ),
        Target(
            "verify_pin",
            "functions.verify_pin",
            "VerifyPinFunction",
            parameters={"pin": taro.pin, "customerId": taro.customer_id},
            expect={"verified": "true"},
        ),
        Target(
            "order_status",
            "functions.order_status",
            "OrderStatusFunction",
            parameters={"orderNumber": order.order_number, "language": "ja"},
            expect={"orderFound": "true"},
        ),
        Target(
            "request_callback",
            "functions.request_callback",
            "RequestCallbackFunction",
            expect={"confirmed": "true"},
            fresh_contact=True,
        ),
    ]


def template_literals() -> dict[str, str]:
    """The plain values template.yaml's Globals give every function (PYDANTIC_DISABLE_PLUGINS,
    the deadline settings, ...), as a deployed function gets them; references are left out."""
    from ivr.template import load_template

    document = load_template(ROOT / "template.yaml")
    variables = document["Globals"]["Function"].get("Environment", {}).get("Variables", {})
    return {name: value for name, value in variables.items() if isinstance(value, str)}


@contextmanager
def seeded_stack() -> Iterator[dict[str, str]]:
    """moto's server with every table of template.yaml seeded; yields the child environment."""
    variables = {
        "IVR_TIME_ZONE": "Asia/Tokyo",
        "IVR_HOLIDAY_COUNTRY": "JP",
        **{variable: f"bench-{logical_id}" for variable, logical_id in TABLES.items()},
        **template_literals(),
    }
    with moto_stack(variables, _seed) as environment:
        yield environment


def _seed(environment: dict[str, str]) -> None:
    from functions import observability
    from functions.stores.dynamodb.client import new_dynamodb_client
    from ivr.engine.stores import close_stores, environment_stores
    from ivr.sample_data import SAMPLE_CUSTOMERS
    from ivr.seeding.business import seed_business
    from ivr.seeding.orders import sample_credentials, seed_orders_and_pins
    from ivr.tables import create_table

    observability.logger().setLevel("WARNING")  # a line per seeded record otherwise
    client = new_dynamodb_client()
    for variable, logical_id in TABLES.items():
        create_table(client, logical_id, environment[variable])
    close_stores()
    for customer in SAMPLE_CUSTOMERS:
        environment_stores().customers.put(customer)
    seed_orders_and_pins(environment_stores().pins, environment_stores().orders)
    seed_business(environment_stores().business)
    taro = sample_credentials()[0]
    until = int(time.time()) + 24 * 3600
    environment_stores().verifications.record(VERIFIED_CONTACT, taro.customer_id, until)
    close_stores()
