"""request_callback through its Lambda handler, against a real SQLite store (and DynamoDB on
moto's server for the failure of an unreachable endpoint)."""

from __future__ import annotations

import copy
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from functions import request_callback
from functions.config import DATABASE_URL, STORE_BACKEND
from functions.stores import factory
from models.callback import RequestCallbackResponse
from tests.conftest import SqlBackend

EVENTS = Path(__file__).parent / "events"
KNOWN = json.loads((EVENTS / "known_caller.json").read_text())
INITIAL_ID = KNOWN["Details"]["ContactData"]["InitialContactId"]


def event(
    parameters: dict[str, str] | None = None,
    *,
    address: str | None = "+81312345678",
    contact_id: str | None = None,
    initial_contact_id: str | None = INITIAL_ID,
    language_code: str | None = "ja-JP",
) -> dict[str, Any]:
    built = copy.deepcopy(KNOWN)
    data = built["Details"]["ContactData"]
    data["CustomerEndpoint"]["Address"] = address
    data["InitialContactId"] = initial_contact_id
    data["LanguageCode"] = language_code
    if contact_id:
        data["ContactId"] = contact_id
    built["Details"]["Parameters"] = parameters or {}
    return built


@pytest.fixture
def sqlite_store(
    sqlite_backend: SqlBackend, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SqlBackend]:
    monkeypatch.setenv(STORE_BACKEND, "sql")
    monkeypatch.setenv(DATABASE_URL, sqlite_backend.url)
    factory.reset()
    yield sqlite_backend
    factory.reset()


def rows(backend: SqlBackend) -> list[tuple[Any, ...]]:
    if not Path(backend.url.removeprefix("sqlite:///")).exists():
        return []  # nothing was ever written
    return backend.query("SELECT contact_id, phone_e164, language, status FROM callbacks")


def test_callback_to_the_callers_own_number(sqlite_store: SqlBackend) -> None:
    answer = request_callback.handler(event(), None)
    assert answer["status"] == "ok"
    assert answer["confirmed"] == "true"
    assert answer["callbackId"] == INITIAL_ID
    assert answer["callbackNumberSsml"].startswith("<speak>")
    assert '<say-as interpret-as="digits">03</say-as>' in answer["callbackNumberSsml"]
    assert "+81312345678" not in json.dumps(answer)  # the full number stays in the store
    assert set(answer) == RequestCallbackResponse.keys()
    assert rows(sqlite_store) == [(INITIAL_ID, "+81312345678", "ja", "pending")]


@pytest.mark.parametrize(
    ("keyed", "stored"),
    [
        ("09012345678", "+819012345678"),  # a national mobile number of the caller's country
        ("0312345679#", "+81312345679"),  # the terminating # Connect may leave
        (
            "\uff10\uff19\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
            "+819012345678",
        ),  # full-width
    ],
)
def test_callback_to_a_keyed_number(sqlite_store: SqlBackend, keyed: str, stored: str) -> None:
    answer = request_callback.handler(event({"callbackNumber": keyed}), None)
    assert (answer["status"], answer["confirmed"]) == ("ok", "true")
    assert rows(sqlite_store)[0][1] == stored


def test_a_keyed_number_is_read_in_the_callers_country(sqlite_store: SqlBackend) -> None:
    us_caller = event({"callbackNumber": "2025550123"}, address="+12025550199")
    assert request_callback.handler(us_caller, None)["confirmed"] == "true"
    assert rows(sqlite_store)[0][1] == "+12025550123"


def test_language_from_the_parameter_else_the_contact(sqlite_store: SqlBackend) -> None:
    request_callback.handler(event({"language": "en"}, initial_contact_id=None), None)
    request_callback.handler(
        event(
            language_code="en-US",
            contact_id="22222222-2222-4222-8222-222222222222",
            initial_contact_id=None,
        ),
        None,
    )
    assert sorted(r[2] for r in rows(sqlite_store)) == ["en", "en"]


def test_a_retried_invocation_stores_one_request_and_answers_the_same(
    sqlite_store: SqlBackend,
) -> None:
    first = request_callback.handler(event({"callbackNumber": "09012345678"}), None)
    # Connect retries with a new ContactId in the same chain; the caller keyed another number.
    retry = request_callback.handler(
        event({"callbackNumber": "0312345678"}, contact_id="33333333-3333-4333-8333-333333333333"),
        None,
    )
    assert retry == first
    assert rows(sqlite_store) == [(INITIAL_ID, "+819012345678", "ja", "pending")]


def test_without_initial_contact_id_the_contact_id_keys_the_request(
    sqlite_store: SqlBackend,
) -> None:
    answer = request_callback.handler(event(initial_contact_id=None), None)
    assert answer["callbackId"] == KNOWN["Details"]["ContactData"]["ContactId"]


@pytest.mark.parametrize("address", [None, "anonymous", "", "sip:anonymous@carrier"])
def test_withheld_caller_without_a_keyed_number_is_no_number(
    sqlite_store: SqlBackend, address: str | None
) -> None:
    answer = request_callback.handler(event(address=address), None)
    assert (answer["status"], answer["reason"], answer["confirmed"]) == (
        "invalid_input",
        "no_number",
        "false",
    )
    assert rows(sqlite_store) == []


def test_withheld_caller_may_key_a_number(sqlite_store: SqlBackend) -> None:
    answer = request_callback.handler(
        event({"callbackNumber": "09012345678"}, address="anonymous"), None
    )
    assert answer["confirmed"] == "true"


@pytest.mark.parametrize(
    ("keyed", "reason"),
    [
        ("Timeout", "timeout"),
        ("*", "cancelled"),
        ("1' OR '1'='1", "not_digits"),
        ("<speak>hi</speak>", "not_digits"),
        ("123", "invalid_phone"),
        ("0901234567890123", "invalid_phone"),
        ("9" * 300, "too_long"),
        ("#", "empty"),
    ],
)
def test_bad_keyed_input_is_invalid_input(
    sqlite_store: SqlBackend, keyed: str, reason: str
) -> None:
    answer = request_callback.handler(event({"callbackNumber": keyed}), None)
    assert (answer["status"], answer["reason"], answer["confirmed"]) == (
        "invalid_input",
        reason,
        "false",
    )
    assert answer["callbackId"] == "" and answer["callbackNumberSsml"] == ""


@pytest.mark.parametrize("blocker", ["file_as_folder", "folder_as_file"])
def test_a_store_that_cannot_write_is_unavailable_and_unconfirmed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blocker: str
) -> None:
    # Real SQLite failures that happen as root too (a read-only folder doesn't stop root).
    if blocker == "file_as_folder":
        (tmp_path / "not-a-folder").write_text("")
        path = tmp_path / "not-a-folder" / "ivr.sqlite3"
    else:
        path = tmp_path / "ivr.sqlite3"
        path.mkdir()
    monkeypatch.setenv(STORE_BACKEND, "sql")
    monkeypatch.setenv(DATABASE_URL, f"sqlite:///{path}")
    factory.reset()
    try:
        answer = request_callback.handler(event(), None)
    finally:
        factory.reset()
    assert (answer["status"], answer["confirmed"], answer["callbackId"]) == (
        "unavailable",
        "false",
        "",
    )
    assert answer["reason"] == "configuration_error"


def test_an_unreachable_dynamodb_is_unavailable_and_unconfirmed(
    moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(STORE_BACKEND, "dynamodb")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{port}")
    factory.reset()
    try:
        answer = request_callback.handler(event({"timeLimitSeconds": "8"}), None)
    finally:
        factory.reset()
    assert (answer["status"], answer["reason"], answer["confirmed"]) == (
        "unavailable",
        "store_unavailable",
        "false",
    )
