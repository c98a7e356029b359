"""The event Amazon Connect sends a Lambda function from a flow's InvokeLambdaFunction block.

Input tolerant: unknown keys are ignored, every ContactData field except ContactId, Channel,
InstanceARN, InitiationMethod and Attributes is optional and nullable, and Channel and
InitiationMethod keep values added after this was written (TASK, EMAIL, QUEUE_TRANSFER, ...)
as plain strings. See ../shared/reference/connect.md section 1 and
https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_pascal


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


class _Tolerant(BaseModel):
    model_config = ConfigDict(
        extra="ignore", alias_generator=to_pascal, populate_by_name=True, frozen=True
    )


class Endpoint(_Tolerant):
    address: str | None = None
    type: str | None = None


class Queue(_Tolerant):
    arn: str | None = Field(default=None, alias="ARN")
    name: str | None = None
    outbound_caller_id: Endpoint | None = None


class Audio(_Tolerant):
    stream_arn: str | None = Field(default=None, alias="StreamARN")
    start_timestamp: str | None = None
    stop_timestamp: str | None = None
    start_fragment_number: str | None = None
    stop_fragment_number: str | None = None


class CustomerMedia(_Tolerant):
    audio: Audio | None = None


class MediaStreams(_Tolerant):
    customer: CustomerMedia | None = None


class Reference(_Tolerant):
    type: str | None = None
    value: str | None = None


class ContactData(_Tolerant):
    contact_id: str
    channel: ChannelValue
    instance_arn: str = Field(alias="InstanceARN")
    initiation_method: InitiationMethodValue
    attributes: dict[str, str]
    initial_contact_id: str | None = None
    previous_contact_id: str | None = None
    customer_endpoint: Endpoint | None = None
    system_endpoint: Endpoint | None = None
    queue: Queue | None = None
    media_streams: MediaStreams | None = None
    language_code: str | None = None
    customer_id: str | None = None
    name: str | None = None
    description: str | None = None
    references: dict[str, Reference] | None = None
    segment_attributes: dict[str, dict[str, Any]] | None = None
    tags: dict[str, str] | None = None

    @field_validator("queue", mode="before")
    @classmethod
    def _queue_name_only(cls, value: Any) -> Any:
        # An old admin-guide sample sends the queue as its bare name.
        return {"Name": value} if isinstance(value, str) else value

    @field_validator("attributes", mode="before")
    @classmethod
    def _attributes_as_strings(cls, value: Any) -> Any:
        return _stringify_map(value) if value is not None else {}

    @property
    def customer_address(self) -> str | None:
        return self.customer_endpoint.address if self.customer_endpoint else None


class Details(_Tolerant):
    contact_data: ContactData
    parameters: dict[str, str] = Field(default_factory=dict)

    @field_validator("parameters", mode="before")
    @classmethod
    def _parameters_as_strings(cls, value: Any) -> Any:
        return _stringify_map(value) if value is not None else {}


class ConnectEvent(_Tolerant):
    """`{"Name": "ContactFlowEvent", "Details": {"ContactData": ..., "Parameters": ...}}`."""

    name: str = "ContactFlowEvent"
    details: Details

    @property
    def contact(self) -> ContactData:
        return self.details.contact_data

    @property
    def parameters(self) -> dict[str, str]:
        return self.details.parameters


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
