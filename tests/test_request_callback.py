"""request_callback through its Lambda handler, against a real SQLite store (and DynamoDB on
moto's server for the failure of an unreachable endpoint)."""

from __future__ import annotations

import copy
import json
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functions import request_callback
from functions.config import (
    CALLBACK_COUNTRIES,
    CALLBACK_NUMBER_TYPES,
    CALLBACKS_TABLE,
    DATABASE_URL,
    STORE_BACKEND,
)
from functions.errors import NotFound
from models.callback import RequestCallbackResponse
from tests.conftest import SqlBackend
from tests.containers import close_stores, environment_stores, invoke_in_environment
from tests.pin_order_env import SEEDED_BACKENDS, Seeded, seeded_environment

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
    close_stores()
    yield sqlite_backend
    close_stores()


def rows(backend: SqlBackend) -> list[tuple[Any, ...]]:
    if not Path(backend.url.removeprefix("sqlite:///")).exists():
        return []  # nothing was ever written
    return backend.query("SELECT contact_id, phone_e164, language, status FROM callbacks")


def test_callback_to_the_callers_own_number(sqlite_store: SqlBackend) -> None:
    answer = invoke_in_environment(request_callback.handler, event(), None)
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
    answer = invoke_in_environment(request_callback.handler, event({"callbackNumber": keyed}), None)
    assert (answer["status"], answer["confirmed"]) == ("ok", "true")
    assert rows(sqlite_store)[0][1] == stored


def test_a_keyed_number_is_read_in_the_callers_country(
    sqlite_store: SqlBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CALLBACK_COUNTRIES, "JP,US")  # the default policy is Japan only
    us_caller = event({"callbackNumber": "2025550123"}, address="+12025550199")
    assert invoke_in_environment(request_callback.handler, us_caller, None)["confirmed"] == "true"
    assert rows(sqlite_store)[0][1] == "+12025550123"


def test_language_from_the_parameter_else_the_contact(sqlite_store: SqlBackend) -> None:
    invoke_in_environment(
        request_callback.handler, event({"language": "en"}, initial_contact_id=None), None
    )
    invoke_in_environment(
        request_callback.handler,
        event(
            language_code="en-US",
            contact_id="22222222-2222-4222-8222-222222222222",
            initial_contact_id=None,
        ),
        None,
    )
    assert sorted(r[2] for r in rows(sqlite_store)) == ["en", "en"]


@pytest.mark.parametrize(
    ("purpose", "stored"),
    [
        ({"purpose": "order"}, "order"),
        ({"purpose": " Account "}, "account"),
        ({"purpose": "refund"}, "general"),  # not declared: general, never an error
        ({"purpose": ""}, "general"),  # the flow's attribute unset
        ({}, "general"),
    ],
)
def test_the_purpose_is_stored_and_anything_undeclared_is_general(
    sqlite_store: SqlBackend, purpose: dict[str, str], stored: str
) -> None:
    answer = invoke_in_environment(request_callback.handler, event(purpose), None)
    assert (answer["status"], answer["confirmed"]) == ("ok", "true")
    assert sqlite_store.query("SELECT purpose FROM callbacks") == [(stored,)]


def test_a_retried_invocation_stores_one_request_and_answers_the_same(
    sqlite_store: SqlBackend,
) -> None:
    first = invoke_in_environment(
        request_callback.handler, event({"callbackNumber": "09012345678"}), None
    )
    # Connect retries with a new ContactId in the same chain; the caller keyed another number.
    retry = invoke_in_environment(
        request_callback.handler,
        event({"callbackNumber": "0312345678"}, contact_id="33333333-3333-4333-8333-333333333333"),
        None,
    )
    assert retry == first
    assert rows(sqlite_store) == [(INITIAL_ID, "+819012345678", "ja", "pending")]


def test_without_initial_contact_id_the_contact_id_keys_the_request(
    sqlite_store: SqlBackend,
) -> None:
    answer = invoke_in_environment(request_callback.handler, event(initial_contact_id=None), None)
    assert answer["callbackId"] == KNOWN["Details"]["ContactData"]["ContactId"]


@pytest.mark.parametrize("address", [None, "anonymous", "", "sip:anonymous@carrier"])
def test_withheld_caller_without_a_keyed_number_is_no_number(
    sqlite_store: SqlBackend, address: str | None
) -> None:
    answer = invoke_in_environment(request_callback.handler, event(address=address), None)
    assert (answer["status"], answer["reason"], answer["confirmed"]) == (
        "invalid_input",
        "no_number",
        "false",
    )
    assert rows(sqlite_store) == []


def test_withheld_caller_may_key_a_number(sqlite_store: SqlBackend) -> None:
    answer = invoke_in_environment(
        request_callback.handler,
        event({"callbackNumber": "09012345678"}, address="anonymous"),
        None,
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
    answer = invoke_in_environment(request_callback.handler, event({"callbackNumber": keyed}), None)
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
    close_stores()
    try:
        answer = invoke_in_environment(request_callback.handler, event(), None)
    finally:
        close_stores()
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
    close_stores()
    try:
        answer = invoke_in_environment(
            request_callback.handler, event({"timeLimitSeconds": "8"}), None
        )
    finally:
        close_stores()
    assert (answer["status"], answer["reason"], answer["confirmed"]) == (
        "unavailable",
        "store_unavailable",
        "false",
    )


# --- the callback number policy (issue 9, toll fraud) ---------------------------------------

# What the issue booked callbacks to, keyed by a caller in Japan.
REFUSED_BY_DEFAULT = {
    "01019005550123": "US premium rate (+1 900)",
    "0990123456": "JP premium rate (Dial Q2)",
    "010442079460000": "international (+44)",
    "01012684601234": "Antigua behind +1 (+1 268)",
    "0120123456": "JP toll-free",
    "05012345678": "JP VoIP (off unless configured)",
    "0570012345": "JP Navi Dial (UAN)",
}


@pytest.fixture(params=SEEDED_BACKENDS)
def seeded(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Seeded]:
    if request.param == "dynamodb":
        make_table = request.getfixturevalue("dynamodb_table")
        monkeypatch.setenv(CALLBACKS_TABLE, make_table("CallbacksTable"))
    yield from seeded_environment(request, monkeypatch, tmp_path)


def nothing_stored(contact_id: str = INITIAL_ID) -> bool:
    try:
        environment_stores().callbacks.get(contact_id)
    except NotFound:
        return True
    return False


def assert_refused(answer: dict[str, str]) -> None:
    assert (answer["status"], answer["reason"], answer["confirmed"]) == (
        "invalid_input",
        "number_not_allowed",
        "false",
    )
    assert answer["callbackId"] == "" and answer["callbackNumberSsml"] == ""


@pytest.mark.parametrize("keyed", sorted(REFUSED_BY_DEFAULT), ids=REFUSED_BY_DEFAULT.get)
def test_a_keyed_number_outside_the_policy_is_refused_and_not_stored(
    seeded: Seeded, keyed: str
) -> None:
    assert_refused(
        invoke_in_environment(
            request_callback.handler, event({"callbackNumber": keyed + "#"}), None
        )
    )
    assert nothing_stored()


@pytest.mark.parametrize(
    "address",
    ["+19005550123", "+442079460000", "+12684601234", "+12025550123", "+881612345678"],
)
def test_the_callers_own_number_outside_the_policy_is_refused(seeded: Seeded, address: str) -> None:
    assert_refused(invoke_in_environment(request_callback.handler, event(address=address), None))
    assert nothing_stored()


def test_a_refused_caller_may_key_a_home_number(seeded: Seeded) -> None:
    # Keyed from the UK, a national form would be a UK number: 00 81 is Japan from there.
    answer = invoke_in_environment(
        request_callback.handler,
        event({"callbackNumber": "00819012345678"}, address="+442079460000"),
        None,
    )
    assert (answer["status"], answer["confirmed"]) == ("ok", "true")
    assert environment_stores().callbacks.get(INITIAL_ID).phone_e164 == "+819012345678"


@pytest.mark.parametrize("keyed", ["09012345678", "0312345678", "0612345678"])
def test_home_mobiles_and_landlines_are_booked(seeded: Seeded, keyed: str) -> None:
    answer = invoke_in_environment(request_callback.handler, event({"callbackNumber": keyed}), None)
    assert (answer["status"], answer["confirmed"]) == ("ok", "true")


def test_configured_countries_and_types_widen_the_policy(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CALLBACK_COUNTRIES, "JP,US")
    monkeypatch.setenv(CALLBACK_NUMBER_TYPES, "fixed_line,mobile,toll_free")
    # Premium rate and Antigua stay refused with the US allowed; each on its own contact.
    for keyed in ("01019005550123", "01012684601234"):
        contact = str(uuid.uuid4())
        answer = invoke_in_environment(
            request_callback.handler,
            event({"callbackNumber": keyed}, initial_contact_id=contact),
            None,
        )
        assert_refused(answer)
        assert nothing_stored(contact)
    for keyed, stored in (("0120123456", "+81120123456"), ("01012025550123", "+12025550123")):
        contact = str(uuid.uuid4())
        answer = invoke_in_environment(
            request_callback.handler,
            event({"callbackNumber": keyed}, initial_contact_id=contact),
            None,
        )
        assert answer["confirmed"] == "true", keyed
        assert environment_stores().callbacks.get(contact).phone_e164 == stored


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        (CALLBACK_NUMBER_TYPES, "mobile,premium_rate"),
        (CALLBACK_NUMBER_TYPES, "landline"),
        (CALLBACK_COUNTRIES, "JP,XX"),
    ],
)
def test_a_wrong_policy_setting_books_nothing(
    sqlite_store: SqlBackend, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    answer = invoke_in_environment(
        request_callback.handler, event({"callbackNumber": "09012345678"}), None
    )
    assert (answer["status"], answer["reason"], answer["confirmed"]) == (
        "unavailable",
        "configuration_error",
        "false",
    )
    assert rows(sqlite_store) == []


def test_a_refusal_is_logged_by_country_and_type_without_the_number(
    sqlite_store: SqlBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    invoke_in_environment(
        request_callback.handler, event({"callbackNumber": "01019005550123"}), None
    )
    logged = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    refusal = next(r for r in logged if r["message"] == "callback number refused by policy")
    assert (refusal["country"], refusal["number_type"]) == ("US", "premium_rate")
    assert "9005550123" not in json.dumps(logged)


# Digits as a caller keys them, weighted towards the prefixes where the issue found premium,
# international and special-rate numbers.
KEYED = st.one_of(
    st.text(alphabet="0123456789", min_size=1, max_size=16),
    st.tuples(
        st.sampled_from(["010", "0101", "01044", "0990", "0120", "0570", "050", "090", "03"]),
        st.text(alphabet="0123456789", min_size=4, max_size=12),
    ).map("".join),
)
ALLOWED_TYPES = {phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE}


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keyed=KEYED)
def test_any_keyed_digits_are_refused_or_booked_to_a_home_landline_or_mobile(
    sqlite_store: SqlBackend, keyed: str
) -> None:
    contact = str(uuid.uuid4())
    answer = invoke_in_environment(
        request_callback.handler, event({"callbackNumber": keyed}, initial_contact_id=contact), None
    )
    if answer["status"] == "invalid_input":
        assert answer["confirmed"] == "false"
        assert nothing_stored(contact)
        return
    assert (answer["status"], answer["confirmed"]) == ("ok", "true")
    number = phonenumbers.parse(environment_stores().callbacks.get(contact).phone_e164, None)
    # Checked on phonenumbers directly, not through the policy under test.
    assert phonenumbers.region_code_for_number(number) == "JP"
    assert phonenumbers.number_type(number) in ALLOWED_TYPES
