"""X-Ray subsegments without the SDK (functions/tracing.py): a real UDP socket on 127.0.0.1
plays the daemon, and each test reads the datagrams the daemon would have received."""

from __future__ import annotations

import contextlib
import datetime
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import Stubber

from functions import tracing
from functions.aws_clients import new_client
from functions.container import AwsClients
from functions.errors import TransitionRefused
from functions.stores.callbacks import Transition
from functions.stores.dynamodb.callbacks import DynamoCallbackStore
from functions.stores.dynamodb.client import new_dynamodb_client
from models.callback import CallbackRequest
from models.callback_progress import CallbackState

ROOT = "1-5759e988-bd862e3fe1be46a994272793"
PARENT = "53995c3f42cd8ad8"
PHONE = "+81312345678"
NOW = datetime.datetime(2026, 1, 5, 1, 0, tzinfo=datetime.UTC)
BOOKED = CallbackRequest(contact_id="contact-1", phone_e164=PHONE, requested_at=NOW)


class Daemon:
    """A UDP socket on 127.0.0.1: what the X-Ray daemon receives."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.socket.getsockname()[1]}"

    def datagrams(self, wait_s: float = 0.5) -> list[bytes]:
        """Every datagram received; waits `wait_s` for the first, then takes what is queued."""
        received: list[bytes] = []
        self.socket.settimeout(wait_s)
        try:
            while True:
                received.append(self.socket.recv(65536))
                self.socket.settimeout(0.05)
        except TimeoutError:
            return received

    def documents(self) -> list[dict[str, Any]]:
        return parse(self.datagrams())


def parse(datagrams: list[bytes]) -> list[dict[str, Any]]:
    """The documents of the datagrams, each checked for the daemon protocol's header."""
    found = []
    for datagram in datagrams:
        header, _, body = datagram.partition(b"\n")
        assert json.loads(header) == {"format": "json", "version": 1}
        found.append(json.loads(body))
    return found


@pytest.fixture
def daemon(monkeypatch: pytest.MonkeyPatch) -> Iterator[Daemon]:
    listening = Daemon()
    # The stubbed clients need a region of their own: moto's fixture sets one only when a
    # service test ran first (make test-fast runs none).
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv(tracing.DAEMON_ADDRESS, listening.address)
    monkeypatch.setenv(tracing.TRACE_HEADER, f"Root={ROOT};Parent={PARENT};Sampled=1")
    yield listening
    listening.socket.close()
    tracing.close()


def by_name(documents: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {document["name"]: document for document in documents}


@pytest.mark.service
def test_a_store_operation_and_its_dynamodb_call_are_nested_subsegments(
    daemon: Daemon, dynamodb_table: Any
) -> None:
    store = DynamoCallbackStore(dynamodb_table("CallbacksTable"), client=new_dynamodb_client())
    daemon.datagrams(wait_s=0.1)  # nothing of the table's creation
    store.request(BOOKED)
    datagrams = daemon.datagrams()
    raw = b"".join(datagrams)
    assert PHONE.encode() not in raw and b"312345678" not in raw  # nor the masked digits
    found = by_name(parse(datagrams))
    operation, call = found["DynamoCallbackStore.request"], found["DynamoDB"]
    assert operation["type"] == call["type"] == "subsegment"
    assert operation["trace_id"] == call["trace_id"] == ROOT
    assert operation["parent_id"] == PARENT  # the function's segment
    assert call["parent_id"] == operation["id"]  # inside the store operation
    assert operation["annotations"] == {"store_backend": "dynamodb"}
    assert (call["namespace"], call["aws"]["operation"]) == ("aws", "PutItem")
    assert call["http"] == {"response": {"status": 200}}
    assert operation["start_time"] <= call["start_time"] <= call["end_time"]
    assert call["end_time"] <= operation["end_time"]
    assert "error" not in operation and "error" not in call


@pytest.mark.service
def test_a_refused_transition_is_flagged_by_its_error_type_only(
    daemon: Daemon, dynamodb_table: Any
) -> None:
    store = DynamoCallbackStore(dynamodb_table("CallbacksTable"), client=new_dynamodb_client())
    store.request(BOOKED)
    daemon.datagrams(wait_s=0.1)
    connected = Transition(CallbackState.CONNECTED, (CallbackState.DIALING,), "exec-a")
    with pytest.raises(TransitionRefused):
        store.transition(BOOKED.contact_id, connected, NOW)
    found = by_name(daemon.documents())
    operation, call = found["DynamoCallbackStore.transition"], found["DynamoDB"]
    assert operation["error"] is True
    # The store's own error (the port reads it as TransitionRefused after the operation).
    assert [e["type"] for e in operation["cause"]["exceptions"]] == ["AlreadyExists"]
    assert "message" not in operation["cause"]["exceptions"][0]
    assert (call["error"], call["http"]["response"]["status"]) == (True, 400)


def test_an_aws_call_names_service_and_operation_never_its_parameters(daemon: Daemon) -> None:
    connect = new_client("connect")
    clients = AwsClients({"connect": connect})
    with Stubber(connect) as stub:
        stub.add_response("start_outbound_voice_contact", {"ContactId": "outbound-1"})
        stub.add_client_error(
            "start_outbound_voice_contact", "ThrottlingException", http_status_code=429
        )
        for _ in range(2):
            with contextlib.suppress(connect.exceptions.ThrottlingException):
                clients.client("connect").start_outbound_voice_contact(
                    InstanceId="instance",
                    ContactFlowId="flow",
                    DestinationPhoneNumber=PHONE,
                    Attributes={"pin": "4321"},
                )
    datagrams = daemon.datagrams()
    raw = b"".join(datagrams)
    assert PHONE.encode() not in raw and b"4321" not in raw
    placed, throttled = parse(datagrams)
    assert (placed["name"], placed["aws"]["operation"]) == ("Connect", "StartOutboundVoiceContact")
    assert placed["parent_id"] == PARENT and placed["trace_id"] == ROOT
    assert "error" not in placed and "throttle" not in placed
    assert (throttled["throttle"], throttled["error"]) == (True, True)


def test_nothing_is_sent_unless_lambda_samples_the_invocation(
    daemon: Daemon, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(tracing.TRACE_HEADER, f"Root={ROOT};Parent={PARENT};Sampled=0")
    with tracing.subsegment("not sampled") as opened:
        assert opened is None
    monkeypatch.delenv(tracing.TRACE_HEADER)
    with tracing.subsegment("no trace header") as opened:
        assert opened is None
    assert daemon.datagrams(wait_s=0.2) == []


def test_a_client_built_without_a_daemon_is_left_as_botocore_made_it(
    daemon: Daemon, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lambda sets AWS_XRAY_DAEMON_ADDRESS at init when tracing is on: a client built where it
    # is unset gets no hooks, so a later trace header finds nothing to send.
    monkeypatch.delenv(tracing.DAEMON_ADDRESS)
    client = tracing.instrument(new_client("connect"))
    monkeypatch.setenv(tracing.DAEMON_ADDRESS, daemon.address)
    with Stubber(client) as stub:
        stub.add_response("start_outbound_voice_contact", {"ContactId": "c"})
        client.start_outbound_voice_contact(
            InstanceId="i", ContactFlowId="f", DestinationPhoneNumber=PHONE
        )
    assert daemon.datagrams(wait_s=0.2) == []


def test_a_nested_block_names_its_parent_and_an_exception_passes_through(daemon: Daemon) -> None:
    with pytest.raises(KeyError), tracing.subsegment("outer"), tracing.subsegment("inner"):
        raise KeyError(PHONE)
    found = by_name(daemon.documents())
    assert found["inner"]["parent_id"] == found["outer"]["id"]
    assert found["outer"]["parent_id"] == PARENT
    assert found["inner"]["cause"]["exceptions"][0]["type"] == "KeyError"
    assert PHONE not in json.dumps(found)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("169.254.79.129:2000", ("169.254.79.129", 2000)),
        ("tcp:127.0.0.1:2000 udp:127.0.0.2:2001", ("127.0.0.2", 2001)),
        ("nonsense", None),
    ],
)
def test_daemon_address_forms(text: str, address: tuple[str, int] | None) -> None:
    assert tracing.daemon_address(text) == address
