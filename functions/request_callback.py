"""request_callback (SAM `RequestCallbackFunction`): queue a callback to the caller.

Parameters: `callbackNumber` ($.StoredCustomerInput; empty or absent: the caller's own
number, `CustomerEndpoint.Address`), `language` (default the contact's LanguageCode) and
`purpose` (order | account | general, default general; anything else reads general: stored
with the request, the outbound flow greets the caller by it). A keyed number is read as a
number of the caller's country (else IVR_DEFAULT_REGION) and stored in E.164. One request
per contact, keyed by InitialContactId (or ContactId): a retried invocation answers the
request already stored. `confirmed` is "true" only after the write is durable; a failed
write is `status=unavailable`, `confirmed=false`.

Either number, the caller's own or a keyed one, must pass the callback policy
(functions/callback_policy.py: IVR_CALLBACK_COUNTRIES, IVR_CALLBACK_NUMBER_TYPES) before
anything is stored; one that doesn't is `status=invalid_input`, `reason=number_not_allowed`.
"""

from __future__ import annotations

from functions import observability
from functions.callback_policy import CallbackPolicy
from functions.caller_id import CallerId, CallerIdStatus, identify_number
from functions.config import (
    CALLBACK_COUNTRIES,
    CALLBACK_NUMBER_TYPES,
    DEFAULT_CALLBACK_NUMBER_TYPES,
    env,
)
from functions.container import Container
from functions.errors import ConfigurationError, InvalidInput
from functions.keypad import keyed_phone
from functions.runtime import Invocation, connect_handler
from functions.ssml import say_telephone, speak
from functions.stores.callbacks import CallbackStore
from models.callback import (
    CallbackReason,
    CallbackRequest,
    RequestCallbackParameters,
    RequestCallbackResponse,
)
from models.customer import Language
from models.event import ContactData
from models.language import language_of
from models.response import flag


def callback_policy(container: Container) -> CallbackPolicy:
    """The policy the environment configures, read and parsed once per container."""
    return container.shared(_policy_from_env)


def _policy_from_env(container: Container) -> CallbackPolicy:
    countries = env(CALLBACK_COUNTRIES)
    number_types = env(CALLBACK_NUMBER_TYPES, DEFAULT_CALLBACK_NUMBER_TYPES)
    try:
        return CallbackPolicy.parse(countries, number_types, container.settings.default_region)
    except ValueError as exc:
        # Answered as unavailable/configuration_error: no callback is booked on a policy
        # nobody meant.
        raise ConfigurationError(
            f"{CALLBACK_COUNTRIES} or {CALLBACK_NUMBER_TYPES} is wrong: {exc}"
        ) from exc


def callback_number(
    keyed: str, caller: CallerId, default_region: str, policy: CallbackPolicy
) -> str:
    """E.164 of the number to call back; `InvalidInput` with the reason when there is none
    or the policy refuses it."""
    if keyed.strip():
        number = keyed_phone(keyed, caller.country, default_region).value_or_raise()
    elif caller.status is CallerIdStatus.VALID:
        number = caller.e164
    else:
        raise InvalidInput(
            CallbackReason.NO_NUMBER, "the caller's number is withheld and no number was keyed"
        )
    verdict = policy.verdict(number)
    if not verdict.allowed:
        # Country and type only: enough to see an attack in the logs, no personal data.
        observability.logger().warning(
            "callback number refused by policy",
            extra={
                "country": verdict.country,
                "number_type": verdict.number_type.value,
                "keyed": bool(keyed.strip()),
            },
        )
        raise InvalidInput(
            CallbackReason.NUMBER_NOT_ALLOWED,
            f"callbacks to {verdict.number_type} numbers of {verdict.country or 'no country'} "
            f"are not allowed; set {CALLBACK_COUNTRIES} / {CALLBACK_NUMBER_TYPES} to allow them",
        )
    return number


def contact_key(contact: ContactData) -> str:
    """The contact a callback belongs to: the first of its chain, so Connect's own retries
    and transfers share it."""
    return contact.initial_contact_id or contact.contact_id


def request(
    callback: CallbackRequest, store: CallbackStore, region: str
) -> RequestCallbackResponse:
    """Store the request (or find it stored) and confirm it."""
    stored = store.request(callback)  # raises on failure: nothing is confirmed unwritten
    return RequestCallbackResponse(
        confirmed=flag(True),
        callback_id=stored.contact_id,
        callback_number_ssml=speak(say_telephone(stored.phone_e164, region)),
    )


@connect_handler
def handler(call: Invocation[RequestCallbackParameters]) -> RequestCallbackResponse:
    region = call.settings.default_region
    caller = identify_number(call.contact.customer_address, region)
    language: Language = call.parameters.language or language_of(call.contact.language_code)
    callback = CallbackRequest(
        contact_id=contact_key(call.contact),
        phone_e164=callback_number(
            call.parameters.callback_number, caller, region, callback_policy(call.container)
        ),
        requested_at=call.container.clock(),
        language=language,
        purpose=call.parameters.purpose,
    )
    return request(callback, call.container.stores.callbacks, region)
