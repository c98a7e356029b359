"""order_status's contract: what the flow passes and the `$.External.*` keys it branches on."""

from __future__ import annotations

from models.keypad import KeypadReason
from models.language import DEFAULT_LANGUAGE, SpokenLanguage
from models.parameters import ConnectParameters
from models.response import ConnectResponse

# The `reason` (with status=invalid_input) when the contact has not passed verify_pin.
NOT_VERIFIED = "not_verified"


class OrderStatusParameters(ConnectParameters):
    """`orderNumber` is the keyed order number; `language` (ja | en, or a language tag such as
    $.LanguageCode) is the language of `deliveryDateSsml`; anything else reads Japanese."""

    order_number: str
    language: SpokenLanguage = DEFAULT_LANGUAGE


class OrderStatusResponse(ConnectResponse):
    """`orderFound` is "true" | "false"; `orderStatus` processing | shipped | delivered |
    cancelled; `deliveryDate` ISO (YYYY-MM-DD) and `deliveryDateSsml` a <speak> document, both
    empty when the order has no date.

    Only a caller verified by verify_pin on this contact hears about an order, and only about
    their own: an unverified contact gets `status=invalid_input`, `reason=not_verified`; an
    order of another customer answers exactly as a nonexistent one (`status=not_found`).
    """

    reasons = ConnectResponse.reasons | frozenset(KeypadReason) | {NOT_VERIFIED}

    order_found: str = "false"
    order_status: str = ""
    delivery_date: str = ""
    delivery_date_ssml: str = ""
