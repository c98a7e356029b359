"""identify_caller (SAM `IdentifyCallerFunction`): read the caller's number, find the customer.

Reads `CustomerEndpoint.Address` from the contact (no parameters needed), normalizes it to
E.164 with the configured default region, and looks the customer up by that number. The
caller fields are answered whatever the store does: a failing store or a stored row without a
usable id (`InvalidRecord`) answers `unavailable` with them; a row with other fields outside
their bounds is answered with those fields defaulted (functions/stores/rows.py).
"""

from __future__ import annotations

from typing import TypedDict

from functions.caller_id import CallerId, CallerIdStatus, identify_number
from functions.errors import StoreError
from functions.runtime import Invocation, connect_handler
from functions.stores.customers import CustomerStore
from models.customer import Customer
from models.identify_caller import IdentifyCallerResponse
from models.parameters import NoParameters
from models.response import Status, flag


class _CallerFields(TypedDict):
    """The response's fields about the number (typed, so mypy checks them against the model)."""

    caller_id_status: str
    caller_e164: str
    caller_country: str
    caller_line_type: str


class _CustomerFields(TypedDict):
    customer_found: str
    customer_id: str
    first_name: str
    preferred_language: str
    tier: str


def identify(caller: CallerId, store: CustomerStore) -> IdentifyCallerResponse:
    """The answer for a caller: pure apart from the store lookup."""
    known: _CallerFields = {
        "caller_id_status": caller.status.value,
        "caller_e164": caller.e164,
        "caller_country": caller.country,
        "caller_line_type": caller.line_type,
    }
    if caller.status is not CallerIdStatus.VALID:
        return IdentifyCallerResponse(**known)
    try:
        customer = store.find_by_phone(caller.e164)
    except StoreError as exc:
        return IdentifyCallerResponse(status=Status.UNAVAILABLE, reason=exc.reason, **known)
    if customer is None:
        return IdentifyCallerResponse(**known)
    return IdentifyCallerResponse(**known, **_customer_fields(customer))


def _customer_fields(customer: Customer) -> _CustomerFields:
    return {
        "customer_found": flag(True),
        "customer_id": customer.customer_id,
        "first_name": customer.first_name,
        "preferred_language": customer.preferred_language.value,
        "tier": customer.tier.value,
    }


@connect_handler
def handler(call: Invocation[NoParameters]) -> IdentifyCallerResponse:
    caller = identify_number(call.contact.customer_address, call.settings.default_region)
    return identify(caller, call.container.stores.customers)
