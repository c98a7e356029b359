"""The state of one simulated contact: what Connect keeps while a call runs through flows.

Everything a JSONPath in a flow can read lives here (connect.md section 2.4), plus the
per-contact bookkeeping the blocks need (loop counters, event hooks, flow logging).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

DEFAULT_INSTANCE_ARN = (
    "arn:aws:connect:ap-northeast-1:123456789012:instance/00000000-0000-4000-8000-000000000000"
)
DEFAULT_VOICE = "Joanna"  # Connect's voice until a Set voice block runs
DEFAULT_LANGUAGE = "en-US"


@dataclass(slots=True)
class Contact:
    contact_id: str
    caller: str | None
    dialed: str | None
    channel: str = "VOICE"
    instance_arn: str = DEFAULT_INSTANCE_ARN
    initiation_method: str = "INBOUND"
    attributes: dict[str, str] = field(default_factory=dict)
    # The most recent Lambda answer: replaced by each call, cleared by a failed one.
    external: dict[str, Any] = field(default_factory=dict)
    stored_input: str | None = None
    flow_attributes: dict[str, str] = field(default_factory=dict)
    queue_arn: str | None = None
    queue_name: str | None = None
    voice: str = DEFAULT_VOICE
    voice_engine: str | None = None
    language_code: str = DEFAULT_LANGUAGE
    lex: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    # UpdateContactData's other fields (CustomerId, Name, Description, ...), by their key.
    data: dict[str, str] = field(default_factory=dict)
    event_hooks: dict[str, str] = field(default_factory=dict)
    flow_logging: bool = False
    recording: dict[str, Any] = field(default_factory=dict)
    loop_counters: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def region(self) -> str:
        parts = self.instance_arn.split(":")
        return parts[3] if len(parts) > 3 else ""

    def namespace(self, name: str) -> Any:
        """The value or mapping a JSONPath's first segment names; None when unknown."""
        return namespace_reader(name)(self)

    def queue(self) -> dict[str, Any] | None:
        if self.queue_arn is None:
            return None
        return {"ARN": self.queue_arn, "Name": self.queue_name, "OutboundCallerId": None}

    def contact_data(self) -> dict[str, Any]:
        """`Details.ContactData` as Connect sends it to a Lambda (connect.md 1.2)."""
        return {
            "Attributes": dict(self.attributes),
            "Channel": self.channel,
            "ContactId": self.contact_id,
            "CustomerEndpoint": _endpoint(self.caller),
            "CustomerId": self.data.get("CustomerId"),
            "Description": self.data.get("Description"),
            "InitialContactId": self.contact_id,
            "InitiationMethod": self.initiation_method,
            "InstanceARN": self.instance_arn,
            "LanguageCode": self.language_code,
            "MediaStreams": {"Customer": {"Audio": None}},
            "Name": self.data.get("Name"),
            "PreviousContactId": self.contact_id,
            "Queue": self.queue(),
            "References": {},
            "SegmentAttributes": {},
            "SystemEndpoint": _endpoint(self.dialed),
        }


def _endpoint(address: str | None) -> dict[str, str] | None:
    return {"Address": address, "Type": "TELEPHONE_NUMBER"} if address else None


# What each JSONPath namespace reads, chosen once when a path is compiled (paths.py) rather than
# matched by name on every read.
_NAMESPACES: dict[str, Callable[[Contact], Any]] = {
    "Attributes": attrgetter("attributes"),
    "External": attrgetter("external"),
    "FlowAttributes": attrgetter("flow_attributes"),
    "StoredCustomerInput": attrgetter("stored_input"),
    "CustomerEndpoint": lambda contact: _endpoint(contact.caller),
    "SystemEndpoint": lambda contact: _endpoint(contact.dialed),
    "Channel": attrgetter("channel"),
    "ContactId": attrgetter("contact_id"),
    "InitialContactId": attrgetter("contact_id"),
    "PreviousContactId": attrgetter("contact_id"),
    "InstanceARN": attrgetter("instance_arn"),
    "InitiationMethod": attrgetter("initiation_method"),
    "LanguageCode": attrgetter("language_code"),
    "TextToSpeechVoiceId": attrgetter("voice"),
    "AwsRegion": attrgetter("region"),
    "Queue": Contact.queue,
    "Lex": attrgetter("lex"),
    "Metrics": attrgetter("metrics"),
}


def namespace_reader(name: str) -> Callable[[Contact], Any]:
    """The function reading namespace `name` of a contact; other names are UpdateContactData
    fields (CustomerId, Name, ...), None until set."""
    reader = _NAMESPACES.get(name)
    if reader is None:
        return lambda contact: contact.data.get(name)
    return reader
