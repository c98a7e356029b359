"""Sample PINs and orders for the sample customers of `ivr.sample_data`.

Every sample customer gets a customer number (8 digits, Luhn check digit), the PIN of the
table below (demo data: printed in the README for the demo call, never a real PIN) and a few
orders in every state, with Luhn-valid 10-digit order numbers. `seed_orders_and_pins` writes
them idempotently: unchanged records are left alone, so re-seeding keeps each PIN's salt.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from functions.keypad import luhn_check_digit
from functions.pins import hash_pin, needs_rehash, verify_pin_hash
from functions.stores.orders import OrderStore
from functions.stores.pins import PinRecord, PinStore
from ivr.sample_data import SAMPLE_CUSTOMERS
from models.customer import Customer
from models.order import Order, OrderStatus

__all__ = [
    "SAMPLE_PINS",
    "SampleCredential",
    "sample_credentials",
    "sample_orders",
    "seed_orders_and_pins",
]

# Demo PINs by customer id, 4-8 digits.
SAMPLE_PINS: dict[str, str] = {
    "cust-0001": "1234",
    "cust-0002": "2580",
    "cust-0003": "7391",
    "cust-0004": "0000",
    "cust-0005": "246810",
    "cust-0006": "13579",
}
# Order states cycled through each customer's orders, with the delivery date's offset in days
# from the seeding date (None: no date to tell).
_ORDER_PLAN: tuple[tuple[OrderStatus, int | None], ...] = (
    (OrderStatus.PROCESSING, 5),
    (OrderStatus.SHIPPED, 2),
    (OrderStatus.DELIVERED, -3),
    (OrderStatus.CANCELLED, None),
)


@dataclass(frozen=True)
class SampleCredential:
    customer_id: str
    customer_number: str
    pin: str


def _with_check_digit(payload: str) -> str:
    return payload + luhn_check_digit(payload)


def _ordinal(customer: Customer) -> int:
    return SAMPLE_CUSTOMERS.index(customer) + 1


def sample_credentials() -> tuple[SampleCredential, ...]:
    """One credential per sample customer: customer number 2026000N + check digit."""
    return tuple(
        SampleCredential(
            customer_id=c.customer_id,
            customer_number=_with_check_digit(f"2026{_ordinal(c):03d}"),
            pin=SAMPLE_PINS[c.customer_id],
        )
        for c in SAMPLE_CUSTOMERS
    )


def sample_orders(today: datetime.date) -> tuple[Order, ...]:
    """Each sample customer's orders, one per state, dated relative to `today`."""
    orders = []
    for customer in SAMPLE_CUSTOMERS:
        for k, (status, offset) in enumerate(_ORDER_PLAN, start=1):
            number = _with_check_digit(f"70{_ordinal(customer):03d}{k:04d}")
            date = today + datetime.timedelta(days=offset) if offset is not None else None
            orders.append(
                Order(
                    order_number=number,
                    customer_id=customer.customer_id,
                    status=status,
                    delivery_date=date,
                )
            )
    return tuple(orders)


def seed_orders_and_pins(
    pins: PinStore, orders: OrderStore, today: datetime.date | None = None
) -> dict[str, int]:
    """Write the sample credentials and orders; counts of "created", "updated", "unchanged"."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for credential in sample_credentials():
        counts[_seed_credential(pins, credential)] += 1
    for order in sample_orders(today or datetime.date.today()):
        existing = orders.find(order.order_number)
        if existing == order:
            counts["unchanged"] += 1
            continue
        orders.put(order)
        counts["created" if existing is None else "updated"] += 1
    return counts


def _seed_credential(pins: PinStore, credential: SampleCredential) -> str:
    existing = pins.get(credential.customer_id)
    if (
        existing is not None
        and existing.customer_number == credential.customer_number
        and verify_pin_hash(credential.pin, existing.pin_hash)
        and not needs_rehash(existing.pin_hash)
    ):
        return "unchanged"
    pins.put(
        PinRecord(
            customer_id=credential.customer_id,
            customer_number=credential.customer_number,
            pin_hash=hash_pin(credential.pin),
        )
    )
    return "created" if existing is None else "updated"
