"""The event Amazon Connect sends a Lambda function from a flow's InvokeLambdaFunction block.

Tolerant where Connect varies, strict where it matters (issue 9). The envelope is
`Details.ContactData` (an object with a string `ContactId`) and `Details.Parameters` (an
object, or absent): only an event without it fails to parse. Every other field is optional,
and a field of a JSON type it never has in Connect's events (`"Name": -1`, `"References": "x"`,
`"CustomerEndpoint": {"Address": 1.5}`) is read as absent, never fatal: a function that uses
the field then takes its "not given" path (no caller number: withheld). Unknown keys are
ignored; Channel and InitiationMethod keep values added after this was written (TASK, EMAIL,
QUEUE_TRANSFER, ...) as plain strings. See ../shared/reference/connect.md section 1 and
https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html
("AWS keeps adding fields": a consumer must not break on one it doesn't know).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
)
from pydantic.alias_generators import to_pascal

from models.text import is_storable

# Connect's contact ids are UUIDs (36 characters); the stores key callbacks by them in 64
# (models/callback.py). A longer one, or one with text no store accepts, comes from a
# hand-made or corrupted event: the function answers invalid_input with this reason.
MAX_CONTACT_ID_LENGTH = 64
INVALID_CONTACT_ID = "invalid_contact_id"


class Channel(StrEnum):
    VOICE = "VOICE"
    CHAT = "CHAT"
    TASK = "TASK"
    EMAIL = "EMAIL"


class InitiationMethod(StrEnum):
    INBOUND = "INBOUND"
    OUTBOUND = "OUTBOUND"
    TRANSFER = "TRANSFER"
    CALLBACK = "CALLBACK"
    API = "API"
    QUEUE_TRANSFER = "QUEUE_TRANSFER"
    DISCONNECT = "DISCONNECT"


# A known value becomes the enum member; a value Connect added later stays a plain string.
ChannelValue = Annotated[Channel | str, Field(union_mode="left_to_right")]
InitiationMethodValue = Annotated[InitiationMethod | str, Field(union_mode="left_to_right")]


T = TypeVar("T")


def _absent_if_unusable(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError:
        return None


# An optional field: None when absent, null, or of a type the field never has.
Lenient = Annotated[T | None, WrapValidator(_absent_if_unusable)]


class _Tolerant(BaseModel):
    model_config = ConfigDict(
        extra="ignore", alias_generator=to_pascal, populate_by_name=True, frozen=True
    )


class Endpoint(_Tolerant):
    address: Lenient[str] = None
    type: Lenient[str] = None


class Queue(_Tolerant):
    arn: Lenient[str] = Field(default=None, alias="ARN")
    name: Lenient[str] = None
    outbound_caller_id: Lenient[Endpoint] = None


class Audio(_Tolerant):
    stream_arn: Lenient[str] = Field(default=None, alias="StreamARN")
    start_timestamp: Lenient[str] = None
    stop_timestamp: Lenient[str] = None
    start_fragment_number: Lenient[str] = None
    stop_fragment_number: Lenient[str] = None


class CustomerMedia(_Tolerant):
    audio: Lenient[Audio] = None


class MediaStreams(_Tolerant):
    customer: Lenient[CustomerMedia] = None


class Reference(_Tolerant):
    type: Lenient[str] = None
    value: Lenient[str] = None


class ContactData(_Tolerant):
    """`ContactId` is the only field every function relies on (logs, store keys); the rest
    may be absent or odd without costing the caller the answer."""

    contact_id: str
    channel: Lenient[ChannelValue] = None
    instance_arn: Lenient[str] = Field(default=None, alias="InstanceARN")
    initiation_method: Lenient[InitiationMethodValue] = None
    attributes: dict[str, str] = Field(default_factory=dict)
    initial_contact_id: Lenient[str] = None
    previous_contact_id: Lenient[str] = None
    customer_endpoint: Lenient[Endpoint] = None
    system_endpoint: Lenient[Endpoint] = None
    queue: Lenient[Queue] = None
    media_streams: Lenient[MediaStreams] = None
    language_code: Lenient[str] = None
    customer_id: Lenient[str] = None
    name: Lenient[str] = None
    description: Lenient[str] = None
    references: Lenient[dict[str, Reference]] = None
    segment_attributes: Lenient[dict[str, dict[str, Any]]] = None
    tags: Lenient[dict[str, str]] = None

    @field_validator("queue", mode="before")
    @classmethod
    def _queue_name_only(cls, value: Any) -> Any:
        # An old admin-guide sample sends the queue as its bare name.
        return {"Name": value} if isinstance(value, str) else value

    @field_validator("attributes", mode="before")
    @classmethod
    def _attributes_as_strings(cls, value: Any) -> Any:
        # Unused by every function: an odd value is no attributes, not a failed call.
        return _stringify_map(value) if isinstance(value, dict) else {}

    @property
    def customer_address(self) -> str | None:
        return self.customer_endpoint.address if self.customer_endpoint else None

    @property
    def ids_usable(self) -> bool:
        """Whether ContactId and InitialContactId (when given) can key a store record."""
        initial = self.initial_contact_id
        return usable_id(self.contact_id) and (not initial or usable_id(initial))


class Details(_Tolerant):
    contact_data: ContactData
    parameters: dict[str, str] = Field(default_factory=dict)

    @field_validator("parameters", mode="before")
    @classmethod
    def _parameters_as_strings(cls, value: Any) -> Any:
        return _stringify_map(value) if value is not None else {}


class ConnectEvent(_Tolerant):
    """`{"Name": "ContactFlowEvent", "Details": {"ContactData": ..., "Parameters": ...}}`."""

    name: Lenient[str] = "ContactFlowEvent"
    details: Details

    @property
    def contact(self) -> ContactData:
        return self.details.contact_data

    @property
    def parameters(self) -> dict[str, str]:
        return self.details.parameters


def usable_id(text: str) -> bool:
    """1 to MAX_CONTACT_ID_LENGTH characters of text every store accepts."""
    return 0 < len(text) <= MAX_CONTACT_ID_LENGTH and is_storable(text)


def _stringify_map(value: Any) -> Any:
    """Connect sends strings; a hand-made event may carry numbers. Keep both usable."""
    if not isinstance(value, dict):
        return value
    return {str(k): as_text(v) for k, v in value.items()}


def as_text(value: Any) -> str:
    """How Connect shows a value as text: JSON leaves as strings, objects as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
