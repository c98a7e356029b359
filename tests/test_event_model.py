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


@pytest.mark.parametrize("value", [None, 5, ["x"], {"a": 1}])
def test_the_envelope_is_a_contact_id_string(value: object) -> None:
    raw = load("known_caller.json")
    del raw["Details"]["ContactData"]["ContactId"]
    with pytest.raises(ValidationError):
        ConnectEvent.model_validate(raw)
    raw["Details"]["ContactData"]["ContactId"] = value
    with pytest.raises(ValidationError):
        ConnectEvent.model_validate(raw)


@pytest.mark.parametrize("value", ["x", 5, ["a"]])
def test_parameters_that_are_not_an_object_break_the_envelope(value: object) -> None:
    raw = load("known_caller.json")
    raw["Details"]["Parameters"] = value
    with pytest.raises(ValidationError):
        ConnectEvent.model_validate(raw)


@pytest.mark.parametrize(
    "field", ["Channel", "InstanceARN", "InitiationMethod", "Attributes", "InitialContactId"]
)
def test_fields_no_function_needs_may_be_absent(field: str) -> None:
    raw = load("known_caller.json")
    del raw["Details"]["ContactData"][field]
    contact = ConnectEvent.model_validate(raw).contact
    assert contact.contact_id == raw["Details"]["ContactData"]["ContactId"]


@pytest.mark.parametrize(
    ("field", "value", "read"),
    [
        ("Name", -1, lambda c: c.name is None),
        ("References", "x", lambda c: c.references is None),
        ("CustomerEndpoint", {"Address": 1.5}, lambda c: c.customer_address is None),
        ("CustomerEndpoint", "+81312345678", lambda c: c.customer_endpoint is None),
        (
            "SystemEndpoint",
            {"Address": [1], "Type": "TELEPHONE_NUMBER"},
            lambda c: c.system_endpoint.address is None,
        ),
        ("Channel", {"v": 1}, lambda c: c.channel is None),
        ("InstanceARN", True, lambda c: c.instance_arn is None),
        ("Attributes", "x", lambda c: c.attributes == {}),
        ("Queue", 5, lambda c: c.queue is None),
        (
            "MediaStreams",
            {"Customer": {"Audio": 3}},
            lambda c: c.media_streams.customer.audio is None,
        ),
        ("SegmentAttributes", {"connect:Subtype": "x"}, lambda c: c.segment_attributes is None),
        ("Tags", {"a": {"b": 1}}, lambda c: c.tags is None),
        ("LanguageCode", 1.5, lambda c: c.language_code is None),
        ("InitialContactId", 7, lambda c: c.initial_contact_id is None),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_field_of_an_odd_type_is_read_as_absent(field: str, value: object, read) -> None:
    raw = load("known_caller.json")
    raw["Details"]["ContactData"][field] = value
    assert read(ConnectEvent.model_validate(raw).contact)


def test_an_odd_field_leaves_its_neighbours_alone() -> None:
    raw = load("known_caller.json")
    raw["Details"]["ContactData"]["CustomerEndpoint"] = {"Address": "+81312345678", "Type": 3}
    contact = ConnectEvent.model_validate(raw).contact
    assert contact.customer_address == "+81312345678"
    assert contact.customer_endpoint is not None and contact.customer_endpoint.type is None


@pytest.mark.parametrize(
    ("contact_id", "initial", "usable"),
    [
        ("5b7e-1", None, True),
        ("5b7e-1", "", True),
        ("", None, False),
        ("a" * 64, None, True),
        ("a" * 65, None, False),
        ("ab\x00c", None, False),
        ("ab\ud800c", None, False),
        ("5b7e-1", "x\udfff", False),
        ("5b7e-1", "x\x00", False),
    ],
)
def test_contact_ids_a_store_can_key_by(contact_id: str, initial: str | None, usable: bool) -> None:
    raw = load("known_caller.json")
    raw["Details"]["ContactData"]["ContactId"] = contact_id
    raw["Details"]["ContactData"]["InitialContactId"] = initial
    assert ConnectEvent.model_validate(raw).contact.ids_usable is usable


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
