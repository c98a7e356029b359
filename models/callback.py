"""Callback requests: what request_callback stores and answers.

One request per contact: `contact_id` is the contact's InitialContactId (or its ContactId),
so a retried invocation finds the request already made instead of making a second one.
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from models.customer import Language
from models.keypad import KeypadReason
from models.language import SpokenLanguage
from models.parameters import ConnectParameters
from models.response import ConnectResponse


class CallbackStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    CANCELLED = "cancelled"


class CallbackPurpose(StrEnum):
    """What the caller wants to talk about: the outbound flow greets the caller by it."""

    ORDER = "order"
    ACCOUNT = "account"
    GENERAL = "general"


def purpose_of(value: Any) -> CallbackPurpose:
    """The purpose a flow passed; `general` for anything else (empty, a typo, an attribute the
    flow never set): a callback is booked whatever the flow says its purpose is."""
    if not isinstance(value, str):
        return CallbackPurpose.GENERAL
    try:
        return CallbackPurpose(value.strip().casefold())
    except ValueError:
        return CallbackPurpose.GENERAL


# A field of this type never fails validation (a record stored before purposes reads general).
Purpose = Annotated[CallbackPurpose, BeforeValidator(purpose_of)]


class CallbackRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    contact_id: str = Field(min_length=1, max_length=64)
    phone_e164: str = Field(pattern=r"^\+[1-9]\d{6,14}$")
    requested_at: datetime.datetime
    language: Language = Language.JA
    status: CallbackStatus = CallbackStatus.PENDING
    purpose: Purpose = CallbackPurpose.GENERAL

    @field_validator("requested_at")
    @classmethod
    def _aware_utc(cls, value: datetime.datetime) -> datetime.datetime:
        # Stored as UTC text, so every backend sorts and compares the same way.
        if value.tzinfo is None:
            raise ValueError("requested_at needs a time zone (use datetime.now(UTC))")
        return value.astimezone(datetime.UTC)


class CallbackReason(StrEnum):
    """request_callback's own `reason` values with `status=invalid_input` (the keypad's are
    models.keypad.KeypadReason)."""

    # The caller's number is withheld and no number was keyed.
    NO_NUMBER = "no_number"
    # The callback policy (IVR_CALLBACK_COUNTRIES, IVR_CALLBACK_NUMBER_TYPES) refuses the
    # number: premium-rate, international, toll-free, ... The flow says "we can't call that
    # number back"; nothing is stored.
    NUMBER_NOT_ALLOWED = "number_not_allowed"


class RequestCallbackParameters(ConnectParameters):
    """`callbackNumber`: the keys the caller typed ($.StoredCustomerInput); empty or absent
    means the caller's own number. `language`: ja | en, default the contact's language.
    `purpose`: order | account | general (default; anything else is general, never an
    error), what the callback is about: the outbound flow greets the caller by it."""

    callback_number: str = ""
    language: SpokenLanguage | None = None
    purpose: Purpose = CallbackPurpose.GENERAL


class RequestCallbackResponse(ConnectResponse):
    """`confirmed` is "true" only once the request is durably stored.

    `callbackId` identifies the request (the same on a retried invocation);
    `callbackNumberSsml` reads the number back as `<speak>` SSML, digit by digit in groups.
    Reasons with `status=invalid_input` (`confirmed=false`, nothing stored): `no_number`
    (withheld caller, no number keyed), `number_not_allowed` (the callback policy refuses
    the caller's or the keyed number; `CallbackReason`) or the keypad reason of the keyed
    number (timeout, cancelled, invalid_phone, ...).
    """

    reasons = ConnectResponse.reasons | frozenset(KeypadReason) | frozenset(CallbackReason)

    confirmed: str = "false"
    callback_id: str = ""
    callback_number_ssml: str = ""
