"""order_status (SAM `OrderStatusFunction`): a keyed order number looked up in the order store.

The RDS pattern: one keyed SELECT answering with the record. Only a caller verify_pin verified
on this contact hears about an order, and only about their own: the verification record is
read from the store (never a flag the flow passes); an unverified contact gets
`status=invalid_input`, `reason=not_verified`, and someone else's order answers exactly like
one that does not exist.
"""

from __future__ import annotations

from functions.keypad import luhn_id
from functions.runtime import Invocation, connect_handler
from functions.ssml import say_date, speak
from functions.stores.orders import OrderStore
from functions.stores.verifications import VerificationStore, contact_key
from models.customer import Language
from models.order import ORDER_NUMBER_LENGTH
from models.order_status import NOT_VERIFIED, OrderStatusParameters, OrderStatusResponse
from models.response import RuntimeReason, Status, flag


def keyed_order_number(raw: str) -> str:
    return luhn_id(raw, length=ORDER_NUMBER_LENGTH).value_or_raise()


def order_status(
    order_number: str,
    language: Language,
    contact: str,
    verifications: VerificationStore,
    orders: OrderStore,
    now: int,
) -> OrderStatusResponse:
    """The answer for `order_number` asked on contact key `contact` at `now` (epoch seconds)."""
    customer_id = verifications.verified_customer(contact, now)
    if customer_id is None:
        return OrderStatusResponse.failure(Status.INVALID_INPUT, NOT_VERIFIED)
    order = orders.find(order_number)
    if order is None or order.customer_id != customer_id:
        return OrderStatusResponse.failure(Status.NOT_FOUND, RuntimeReason.NOT_FOUND)
    delivery = order.delivery_date
    return OrderStatusResponse(
        order_found=flag(True),
        order_status=order.status.value,
        delivery_date=delivery.isoformat() if delivery else "",
        delivery_date_ssml=speak(say_date(delivery, language.value)) if delivery else "",
    )


@connect_handler
def handler(call: Invocation[OrderStatusParameters]) -> OrderStatusResponse:
    number = keyed_order_number(call.parameters.order_number)
    stores = call.container.stores
    return order_status(
        number,
        call.parameters.language,
        contact_key(call.contact),
        stores.verifications,
        stores.orders,
        now=int(call.container.clock().timestamp()),
    )
