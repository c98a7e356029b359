"""GetParticipantInput: Get customer input (menu) and Store customer input (connect.md 2.3, 7).

Menu mode takes one key and branches on it (Equals conditions); silence is
InputTimeLimitExceeded, a key no condition lists NoMatchingCondition. Store mode collects
digits up to the termination sequence (default `#`, not stored) or MaximumLength into
`$.StoredCustomerInput`; a silent caller continues on success with the value "Timeout".
PhoneNumberValidation checks the number with libphonenumber (Local needs CountryCode; E164
digits are read with a leading +) and stores it in E.164, else InvalidPhoneNumber.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import phonenumbers

from ivr.engine.blocks._prompt import Prompt, prompt_in
from ivr.engine.blocks.base import Block, flag, static
from ivr.engine.events import InputReceived
from ivr.engine.paths import compile_tree
from ivr.engine.steps import PROCEED, Fail, Result, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run

STORED_TIMEOUT = "Timeout"
DEFAULT_TERMINATION = "#"
MENU_KEYS = frozenset("0123456789*#")


@dataclass(frozen=True)
class InputSettings:
    prompt: Prompt | None
    store: bool
    termination: str
    maximum_length: int | None
    phone_format: str | None  # "Local" | "E164" when the block validates a phone number
    country: str


def prepare(params: dict[str, Any], identifier: str) -> InputSettings:
    validation = params.get("InputValidation") or {}
    custom = validation.get("CustomValidation") or {}
    phone = validation.get("PhoneNumberValidation")
    dtmf = params.get("DTMFConfiguration") or {}
    maximum = static(custom, "MaximumLength")
    return InputSettings(
        prompt=prompt_in(
            identifier,
            compile_tree(
                {k: params[k] for k in ("Text", "SSML", "PromptId", "Media") if k in params}
            ),
        ),
        store=flag(params, "StoreInput"),
        termination=static(dtmf, "InputTerminationSequence") or DEFAULT_TERMINATION,
        maximum_length=int(maximum) if maximum.strip() else None,
        phone_format=(static(phone, "NumberFormat") or "Local")
        if isinstance(phone, dict)
        else None,
        country=static(phone, "CountryCode") if isinstance(phone, dict) else "",
    )


def run(action: CompiledAction, call: Run) -> Step:
    settings: InputSettings = action.params
    if call.contact.channel != "VOICE":
        # Keypad input exists on voice only; Connect takes the Error branch elsewhere.
        return Fail("NoMatchingError", f"DTMF input on a {call.contact.channel} contact")
    if settings.prompt is not None:
        settings.prompt.play(call)
    keys = call.inputs.next_keys(action.identifier, settings.store)
    if settings.store:
        return _store(action.identifier, settings, keys, call)
    call.emit(InputReceived(action.identifier, keys[:1] if keys else None))
    if not keys:
        return Fail("InputTimeLimitExceeded")
    if keys[0] not in MENU_KEYS:
        return Fail("NoMatchingError", f"{keys[0]!r} is not a telephone keypad key")
    return Result(keys[0])


def _store(identifier: str, settings: InputSettings, keys: str | None, call: Run) -> Step:
    call.emit(InputReceived(identifier, keys))
    if keys is None:
        call.contact.stored_input = STORED_TIMEOUT
        return PROCEED
    digits, _, _ = keys.partition(settings.termination)
    if settings.maximum_length is not None:
        digits = digits[: settings.maximum_length]
    if settings.phone_format is not None:
        number = _phone_number(digits, settings)
        if number is None:
            call.contact.stored_input = digits
            return Fail("InvalidPhoneNumber")
        digits = number
    call.contact.stored_input = digits
    return PROCEED


def _phone_number(digits: str, settings: InputSettings) -> str | None:
    text = digits if settings.phone_format != "E164" else "+" + digits.lstrip("+")
    region = settings.country.upper() if settings.phone_format != "E164" else None
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


BLOCK = Block("GetParticipantInput", run, prepare)
