"""Data shapes only, no I/O: the Connect event, responses, records and the flow language."""

from models.customer import Customer, Language, Tier
from models.event import Channel, ConnectEvent, ContactData, Endpoint, InitiationMethod
from models.response import (
    STRING_MAP_LIMIT_BYTES,
    ConnectResponse,
    ResponseContractError,
    Status,
    flag,
    string_map,
)

__all__ = [
    "STRING_MAP_LIMIT_BYTES",
    "Channel",
    "ConnectEvent",
    "ConnectResponse",
    "ContactData",
    "Customer",
    "Endpoint",
    "InitiationMethod",
    "Language",
    "ResponseContractError",
    "Status",
    "Tier",
    "flag",
    "string_map",
]
