"""verify_pin's contract: what the flow passes and the `$.External.*` keys it branches on."""

from __future__ import annotations

from enum import StrEnum

from models.keypad import KeypadReason
from models.parameters import ConnectParameters
from models.response import ConnectResponse

# Customer numbers are keyed on the phone: fixed length, the last digit a Luhn check digit.
CUSTOMER_NUMBER_LENGTH = 8
PIN_MIN_LENGTH, PIN_MAX_LENGTH = 4, 8


class VerifyPinReason(StrEnum):
    """verify_pin's own `reason` values with `status=invalid_input` (besides the keypad's)."""

    # No customerNumber, no customerId and no usable caller ID: the flow should ask for one.
    NO_CUSTOMER = "no_customer"


class VerifyPinParameters(ConnectParameters):
    """`pin` is the keyed PIN ($.StoredCustomerInput of the PIN prompt), 4-8 digits.

    Who is checked: `customerNumber` when the caller keyed one (8 digits, the last one its
    Luhn check digit), else `customerId` (identify_caller's
    `$.External.customerId`), else the customer registered to the calling number.
    """

    pin: str
    customer_number: str = ""
    customer_id: str = ""


class VerifyPinResponse(ConnectResponse):
    """`verified` and `locked` are "true" | "false"; `attemptsLeft` a count ("0".."3").

    A wrong PIN, an unknown customer and a customer without a PIN answer the same way, so the
    answer never tells whether a customer exists. `locked=true` means no PIN is checked until
    the lockout ends (the flow should hand the caller to an agent). `customerId` is set only
    when `verified=true`. Unusable keys (timeout, `*`, too short) answer
    `status=invalid_input` with the keypad reason and count as no attempt.
    """

    reasons = ConnectResponse.reasons | frozenset(KeypadReason) | frozenset(VerifyPinReason)

    verified: str = "false"
    attempts_left: str = ""
    locked: str = "false"
    customer_id: str = ""
