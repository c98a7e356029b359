"""request_callback (SAM `RequestCallbackFunction`): queue a callback to the caller.

Parameters: `callbackNumber` ($.StoredCustomerInput; empty or absent: the caller's own
number, `CustomerEndpoint.Address`) and `language` (default the contact's LanguageCode).
A keyed number is read as a number of the caller's country (else IVR_DEFAULT_REGION) and
stored in E.164. One request per contact, keyed by InitialContactId (or ContactId): a
retried invocation answers the request already stored. `confirmed` is "true" only after the
write is durable; a failed write is `status=unavailable`, `confirmed=false`.
"""

from __future__ import annotations

import datetime

from functions.caller_id import CallerId, CallerIdStatus, identify_number
from functions.errors import InvalidInput
from functions.keypad import keyed_phone
from functions.runtime import Invocation, connect_handler
from functions.ssml import say_telephone, speak
from functions.stores.callbacks import CallbackStore
from functions.stores.factory import callback_store
from models.callback import CallbackRequest, RequestCallbackParameters, RequestCallbackResponse
from models.customer import Language
from models.event import ContactData
from models.language import language_of
from models.response import flag


def callback_number(keyed: str, caller: CallerId, default_region: str) -> str:
    """E.164 of the number to call back; `InvalidInput` with the reason when there is none."""
    if keyed.strip():
        return keyed_phone(keyed, caller.country, default_region).value_or_raise()
    if caller.status is CallerIdStatus.VALID:
        return caller.e164
    raise InvalidInput("no_number", "the caller's number is withheld and no number was keyed")


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


@connect_handler(response=RequestCallbackResponse, parameters=RequestCallbackParameters)
def handler(call: Invocation) -> RequestCallbackResponse:
    region = call.settings.default_region
    caller = identify_number(call.contact.customer_address, region)
    language: Language = call.parameters.language or language_of(call.contact.language_code)
    callback = CallbackRequest(
        contact_id=contact_key(call.contact),
        phone_e164=callback_number(call.parameters.callback_number, caller, region),
        requested_at=datetime.datetime.now(datetime.UTC),
        language=language,
    )
    return request(callback, callback_store(), region)
