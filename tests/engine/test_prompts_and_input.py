"""MessageParticipant and GetParticipantInput: what the caller hears and what their keys do."""

from __future__ import annotations

import pytest

from ivr.engine import BranchTaken, InputReceived, PromptPlayed, simulate
from tests.engine.conftest import action, say


def menu(**extra: str) -> dict:
    return action(
        "menu",
        "GetParticipantInput",
        {"Text": "Press 1 or 2", "StoreInput": "False", "InputTimeLimitSeconds": "5"},
        conditions={"1": "one", "2": "two"},
        errors={
            "InputTimeLimitExceeded": "timeout",
            "NoMatchingCondition": "nomatch",
            "NoMatchingError": "hangup",
            **extra,
        },
    )


MENU_TARGETS = [
    say("one", "You chose one", "hangup"),
    say("two", "You chose two", "hangup"),
    say("timeout", "We did not hear you", "hangup"),
    say("nomatch", "That is not an option", "hangup"),
]


def test_text_interpolates_attributes_and_system_paths(write_flow):
    path = write_flow(
        action(
            "set",
            "UpdateContactAttributes",
            {"Attributes": {"firstName": "Dana", "full name": "Dana Smith"}},
            next_action="hi",
        ),
        say(
            "hi",
            "Hello $.Attributes.firstName. You are $.Attributes.['full name'] "
            "calling from $.CustomerEndpoint.Address on $.Channel.",
            "ssml",
        ),
        action(
            "ssml",
            "MessageParticipant",
            {"SSML": "<speak>Dialed $.SystemEndpoint.Address $.Unknown.path</speak>"},
            next_action="recording",
        ),
        action(
            "recording", "MessageParticipant", {"PromptId": "arn:prompt/1"}, next_action="hangup"
        ),
    )
    result = simulate(path, caller="+81312345678", dialed="+81120111222")
    assert result.prompts == [
        "Hello Dana. You are Dana Smith calling from +81312345678 on VOICE.",
        "<speak>Dialed +81120111222 </speak>",
        "arn:prompt/1",
    ]
    formats = [e.format for e in result.events if isinstance(e, PromptPlayed)]
    assert formats == ["text", "ssml", "prompt"]
    assert result.outcome.type == "disconnect"


@pytest.mark.parametrize(
    ("keys", "expected_prompt", "branch"),
    [
        (["1"], "You chose one", "condition:Equals 1"),
        (["2"], "You chose two", "condition:Equals 2"),
        (["9"], "That is not an option", "error:NoMatchingCondition"),
        (["timeout"], "We did not hear you", "error:InputTimeLimitExceeded"),
        ([], "We did not hear you", "error:InputTimeLimitExceeded"),
    ],
)
def test_menu_branches_on_one_key(write_flow, keys, expected_prompt, branch):
    result = simulate(write_flow(menu(), *MENU_TARGETS), inputs=keys)
    assert result.prompts == ["Press 1 or 2", expected_prompt]
    branches = [e.branch for e in result.events if isinstance(e, BranchTaken)]
    assert branch in branches


def test_menu_takes_the_first_key_only(write_flow):
    result = simulate(write_flow(menu(), *MENU_TARGETS), inputs=["21"])
    assert [e.keys for e in result.events if isinstance(e, InputReceived)] == ["2"]
    assert result.prompts[-1] == "You chose two"


def test_menu_without_timeout_entry_falls_back_to_no_matching_error(write_flow):
    flow = action(
        "menu",
        "GetParticipantInput",
        {"Text": "Press 1", "InputTimeLimitSeconds": "5"},
        conditions={"1": "one"},
        errors={"NoMatchingError": "fallback"},
    )
    result = simulate(
        write_flow(flow, say("one", "one", "hangup"), say("fallback", "fallback", "hangup"))
    )
    assert result.prompts[-1] == "fallback"


def store(validation: dict, dtmf: dict | None = None) -> dict:
    params = {
        "Text": "Enter your number",
        "StoreInput": "True",
        "InputTimeLimitSeconds": "5",
        "InputValidation": validation,
    }
    if dtmf:
        params["DTMFConfiguration"] = dtmf
    return action(
        "store",
        "GetParticipantInput",
        params,
        next_action="echo",
        errors={"InvalidPhoneNumber": "invalid", "NoMatchingError": "hangup"},
    )


ECHO = [say("echo", "Got $.StoredCustomerInput", "hangup"), say("invalid", "Invalid", "hangup")]


@pytest.mark.parametrize(
    ("keys", "dtmf", "stored"),
    [
        (["12345#"], None, "12345"),
        (["12345#678"], None, "12345"),
        (["1234567890123"], None, "123456"),
        (["12*9"], {"InputTerminationSequence": "*"}, "12"),
        (["timeout"], None, "Timeout"),
        ([], None, "Timeout"),
        (["#"], None, ""),
    ],
)
def test_store_mode_collects_digits(write_flow, keys, dtmf, stored):
    path = write_flow(store({"CustomValidation": {"MaximumLength": "6"}}, dtmf), *ECHO)
    result = simulate(path, inputs=keys)
    assert result.prompts == ["Enter your number", f"Got {stored}"]
    assert result.outcome.type == "disconnect"


@pytest.mark.parametrize(
    ("validation", "keys", "prompt"),
    [
        ({"NumberFormat": "Local", "CountryCode": "JP"}, "0312345678#", "Got +81312345678"),
        ({"NumberFormat": "Local", "CountryCode": "US"}, "2025550143#", "Got +12025550143"),
        ({"NumberFormat": "Local", "CountryCode": "JP"}, "123#", "Invalid"),
        ({"NumberFormat": "E164"}, "81312345678#", "Got +81312345678"),
        ({"NumberFormat": "E164"}, "0000#", "Invalid"),
    ],
)
def test_phone_number_validation(write_flow, validation, keys, prompt):
    path = write_flow(store({"PhoneNumberValidation": validation}), *ECHO)
    assert simulate(path, inputs=[keys]).prompts[-1] == prompt


def test_each_input_answers_the_next_prompt(write_flow):
    first = menu()
    second = dict(menu(), Identifier="menu2")
    first["Transitions"]["Conditions"][0]["NextAction"] = "menu2"
    result = simulate(write_flow(first, second, *MENU_TARGETS), inputs=["1", "2"])
    assert [e.keys for e in result.events if isinstance(e, InputReceived)] == ["1", "2"]
    assert result.prompts[-1] == "You chose two"


def test_keypad_input_on_chat_takes_the_error_branch(write_flow):
    path = write_flow(menu(), *MENU_TARGETS)
    result = simulate(path, channel="CHAT", inputs=["1"])
    assert result.prompts == []
    assert result.path == ["menu", "hangup"]
