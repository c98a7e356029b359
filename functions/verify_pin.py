"""verify_pin (SAM `VerifyPinFunction`): check a keyed PIN under a lockout, record the result.

Who is checked: the keyed `customerNumber`, else the `customerId` identify_caller found, else
the customer registered to the calling number. One PIN check is claimed from the lockout
counter *before* the PIN is compared (functions.pins), so parallel calls never evaluate more
than three per 15 minutes. An unknown customer, or one without a PIN, costs an attempt and the
same store reads and hashing time as a wrong PIN and answers exactly like one
(bench/unknown_timing.py measures it). A correct PIN resets the counter
and records the verification for this contact, which order_status trusts; a hash written with
older parameters is replaced by one with today's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from functions import observability
from functions.caller_id import CallerIdStatus, identify_number
from functions.errors import InvalidInput, StoreError
from functions.keypad import digits, luhn_id
from functions.pins import (
    LockoutPolicy,
    hash_pin,
    needs_rehash,
    prepare_decoy,
    verify_pin_hash,
)
from functions.pins import waste_time_like_a_check as spend_a_check
from functions.runtime import Invocation, connect_handler
from functions.stores.customers import CustomerStore
from functions.stores.pins import PinRecord, PinStore
from functions.stores.verifications import VerificationStore, contact_key
from models.event import ContactData
from models.response import RuntimeReason, flag
from models.verify_pin import (
    CUSTOMER_NUMBER_LENGTH,
    PIN_MAX_LENGTH,
    PIN_MIN_LENGTH,
    VerifyPinParameters,
    VerifyPinReason,
    VerifyPinResponse,
)

POLICY = LockoutPolicy()
# The decoy hash an unknown claimant is checked against, built now, in the Lambda init: built on
# first use, it cost the first unknown caller of each container one more scrypt (issue 9).
prepare_decoy()
# How long order_status trusts a verification: one call's worth of menus, not the day.
VERIFICATION_TTL_S = 10 * 60
_MAX_CUSTOMER_ID = 64


@dataclass(frozen=True)
class Claimant:
    """Who the caller claims to be: the lockout subject, and their credential if any."""

    subject: str
    record: PinRecord | None


def keyed_pin(raw: str) -> str:
    return digits(raw, min_length=PIN_MIN_LENGTH, max_length=PIN_MAX_LENGTH).value_or_raise()


def identify_claimant(
    parameters: VerifyPinParameters,
    contact: ContactData,
    default_region: str,
    pins: PinStore,
    customers: Callable[[], CustomerStore],
) -> Claimant:
    """The claimant from the keyed number, the given customer id, or the calling number."""
    if parameters.customer_number:
        number = luhn_id(parameters.customer_number, length=CUSTOMER_NUMBER_LENGTH).value_or_raise()
        record = pins.find_by_number(number)
        return Claimant(record.customer_id if record else f"number:{number}", record)
    if parameters.customer_id:
        if len(parameters.customer_id) > _MAX_CUSTOMER_ID:
            raise InvalidInput(
                RuntimeReason.INVALID_PARAMETER, "customerId is longer than any customer id"
            )
        return Claimant(parameters.customer_id, pins.get(parameters.customer_id))
    caller = identify_number(contact.customer_address, default_region)
    if caller.status is not CallerIdStatus.VALID:
        raise InvalidInput(
            VerifyPinReason.NO_CUSTOMER,
            "no customerNumber, no customerId and no usable caller ID: ask for one",
        )
    customer = customers().find_by_phone(caller.e164)
    if customer is None:
        subject = f"caller:{caller.e164}"
        # The same read a known caller's credential costs (one GetItem, one SELECT), of a key
        # no customer has: without it an unknown caller was answered ~4.6 ms sooner (issue 9).
        pins.get(subject)
        return Claimant(subject, None)
    return Claimant(customer.customer_id, pins.get(customer.customer_id))


def verify(
    pin: str,
    claimant: Claimant,
    contact: str,
    pins: PinStore,
    verifications: VerificationStore,
    now: int,
    policy: LockoutPolicy = POLICY,
) -> VerifyPinResponse:
    """Check `pin` for `claimant` on contact key `contact` at `now` (epoch seconds)."""
    claim = pins.claim_attempt(claimant.subject, now, policy)
    if not claim.granted:
        return VerifyPinResponse(attempts_left="0", locked=flag(True))
    record = claimant.record
    if record is None:
        spend_a_check(pin)
    if record is None or not verify_pin_hash(pin, record.pin_hash):
        left = policy.attempts_left(claim.window, now)
        return VerifyPinResponse(attempts_left=str(left), locked=flag(left == 0))
    pins.reset_attempts(claimant.subject)
    if needs_rehash(record.pin_hash):
        _upgrade(pins, record, pin)
    # The verification is the last write, right before the answer: a body overrunning its
    # deadline is refused it, and one that made it answers at once (functions/deadline.py).
    verifications.record(contact, record.customer_id, now + VERIFICATION_TTL_S)
    return VerifyPinResponse(
        verified=flag(True),
        attempts_left=str(policy.max_failures),
        customer_id=record.customer_id,
    )


def _upgrade(pins: PinStore, record: PinRecord, pin: str) -> None:
    # The caller is verified whether or not the new hash is stored: the old one still works.
    try:
        pins.replace_hash(record, hash_pin(pin))
    except StoreError:
        observability.logger().warning(
            "pin hash upgrade failed", extra={"customer_id": record.customer_id}
        )


@connect_handler
def handler(call: Invocation[VerifyPinParameters]) -> VerifyPinResponse:
    pin = keyed_pin(call.parameters.pin)
    stores = call.container.stores
    claimant = identify_claimant(
        call.parameters,
        call.contact,
        call.settings.default_region,
        stores.pins,
        lambda: stores.customers,
    )
    contact = contact_key(call.contact)
    now = int(call.container.clock().timestamp())
    return verify(pin, claimant, contact, stores.pins, stores.verifications, now=now)
