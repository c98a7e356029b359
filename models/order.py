"""An order as the relational store keeps it: who owns it, where it stands, when it arrives."""

from __future__ import annotations

import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

# Order numbers are keyed on the phone: fixed length, the last digit a Luhn check digit.
ORDER_NUMBER_LENGTH = 10


class OrderStatus(StrEnum):
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class Order(BaseModel):
    """`delivery_date` is the expected date while under way, the actual one once delivered,
    and None when there is none to tell (cancelled, or not scheduled yet)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_number: str = Field(pattern=rf"^[0-9]{{{ORDER_NUMBER_LENGTH}}}$")
    customer_id: str = Field(min_length=1, max_length=64)
    status: OrderStatus
    delivery_date: datetime.date | None = None
