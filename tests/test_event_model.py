"""The event model parses what Connect sends, today and after Connect adds fields."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from models.event import Channel, ConnectEvent, InitiationMethod

EVENTS = Path(__file__).parent / "events"
REFERENCE = Path(__file__).parents[1].parent / "shared" / "reference" / "connect.md"


def load(name: str) -> dict:
    return json.loads((EVENTS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(EVENTS.glob("*.json")), ids=lambda p: p.stem)
def test_every_recorded_event_parses(path: Path) -> None:
    event = ConnectEvent.model_validate(json.loads(path.read_text(encoding="utf-8")))
    assert event.contact.contact_id
    assert event.contact.instance_arn.startswith("arn:aws:connect:")


def test_every_example_in_the_reference_parses() -> None:
    if not REFERENCE.is_file():
        pytest.skip(f"{REFERENCE} is absent (a fresh clone has no ../shared)")
    blocks = re.findall(r"```json\n(.*?)```", REFERENCE.read_text(encoding="utf-8"), re.S)
    events = [json.loads(b) for b in blocks if '"ContactFlowEvent"' in b]
    assert len(events) >= 2
    for raw in events:
        ConnectEvent.model_validate(raw)


def test_reference_b_fields_are_read() -> None:
    event = ConnectEvent.model_validate(load("reference_b_transfer_pin.json"))
    contact = event.contact
    assert contact.initiation_method is InitiationMethod.TRANSFER
    assert contact.queue is not None and contact.queue.name == "Billing"
    assert contact.queue.outbound_caller_id is not None
    assert contact.queue.outbound_caller_id.address == "+18005550100"
    assert contact.media_streams and contact.media_streams.customer
    assert contact.media_streams.customer.audio
    assert contact.media_streams.customer.audio.start_timestamp == "1565781909613"
    assert event.parameters == {"action": "verifyPin", "pin": "4321", "accountId": "A-1001"}
    assert contact.attributes["flowVersion"] == "ivr-main@1.4.0"


def test_task_without_endpoints_parses() -> None:
    event = ConnectEvent.model_validate(load("task_no_endpoint.json"))
    assert event.contact.channel is Channel.TASK
    assert event.contact.customer_endpoint is None
    assert event.contact.customer_address is None
    assert event.contact.references and event.contact.references["order"].type == "URL"


def test_values_connect_adds_later_are_kept_as_strings() -> None:
    raw = load("known_caller.json")
    contact = raw["Details"]["ContactData"]
    contact["Channel"] = "VIDEO"
    contact["InitiationMethod"] = "WEBRTC_API"
    contact["SomethingNew"] = {"nested": True}
    event = ConnectEvent.model_validate(raw)
    assert event.contact.channel == "VIDEO"
    assert not isinstance(event.contact.channel, Channel)
    assert event.contact.initiation_method == "WEBRTC_API"


def test_known_values_become_enum_members() -> None:
    event = ConnectEvent.model_validate(load("known_caller.json"))
    assert event.contact.channel is Channel.VOICE
    assert event.contact.initiation_method is InitiationMethod.INBOUND


@pytest.mark.parametrize(
    "field", ["CustomerEndpoint", "SystemEndpoint", "Queue", "MediaStreams", "LanguageCode"]
)
def test_optional_fields_may_be_null_or_absent(field: str) -> None:
    raw = load("known_caller.json")
    raw["Details"]["ContactData"][field] = None
    ConnectEvent.model_validate(raw)
    del raw["Details"]["ContactData"][field]
    ConnectEvent.model_validate(raw)


@pytest.mark.parametrize("field", ["ContactId", "Channel", "InstanceARN", "InitiationMethod"])
def test_envelope_fields_are_required(field: str) -> None:
    raw = load("known_caller.json")
    del raw["Details"]["ContactData"][field]
    with pytest.raises(ValidationError):
        ConnectEvent.model_validate(raw)


def test_queue_given_as_a_bare_name_is_read() -> None:
    raw = load("known_caller.json")
    raw["Details"]["ContactData"]["Queue"] = "QueueName"
    assert ConnectEvent.model_validate(raw).contact.queue.name == "QueueName"


def test_parameters_and_attributes_become_strings() -> None:
    raw = load("known_caller.json")
    raw["Details"]["Parameters"] = {"n": 5, "b": True, "none": None, "obj": {"a": 1}}
    raw["Details"]["ContactData"]["Attributes"] = {"count": 2}
    event = ConnectEvent.model_validate(raw)
    assert event.parameters == {"n": "5", "b": "true", "none": "", "obj": '{"a":1}'}
    assert event.contact.attributes == {"count": "2"}


def test_missing_parameters_are_empty() -> None:
    raw = load("known_caller.json")
    del raw["Details"]["Parameters"]
    assert ConnectEvent.model_validate(raw).parameters == {}
