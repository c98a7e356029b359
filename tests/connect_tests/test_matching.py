"""Prompt matching (Inclusion, the documented Similarity approximation, exact), resource
references, and the Assert operators."""

from __future__ import annotations

import pytest

from ivr.connect_tests.assertions import evaluate
from ivr.connect_tests.contact import ContactMirror, Unavailable
from ivr.connect_tests.matching import (
    SIMILARITY_THRESHOLD,
    prompt_matches,
    same_resource,
    similarity,
    text_matches,
)

PROMPT = "Thank you for calling. Can you please key in your personal number so we can verify."


def test_similarity_is_the_share_of_expected_words_heard() -> None:
    assert SIMILARITY_THRESHOLD == 0.8
    assert similarity("Can you please key in your personal number", PROMPT) == 1.0
    assert text_matches("can you PLEASE key in your personal number!", PROMPT, "Similarity")
    # 2 of 8 words: another prompt of the same flow does not match.
    assert similarity("Can you please key in your personal number", "Please open your app") == 0.25
    assert not text_matches("Please hold for an agent now", PROMPT, "Similarity")


def test_inclusion_and_exact() -> None:
    assert text_matches("Press 1 if", "Welcome\n\nPress 1   if you", "Inclusion")
    assert not text_matches("press 1", "Press 1", "Inclusion")  # case as written
    assert text_matches("Press 1", " Press  1 ", "")
    assert not text_matches("Press 1", "Press 1 now", "")


def test_text_is_compared_with_the_words_of_an_ssml_prompt() -> None:
    ssml = "<speak><prosody rate='90%'>Hello &amp; welcome</prosody></speak>"
    props = {"Text": "Hello & welcome", "MatchingCriteria": {"Type": "Inclusion"}}
    assert prompt_matches(props, None, ssml, "ssml")
    assert prompt_matches({"Text": "hello welcome"}, "Similarity", ssml, "ssml")  # sibling form
    assert not prompt_matches({"SSML": "<speak>Hi</speak>"}, None, "Hi", "text")


def test_resources() -> None:
    arn = "arn:aws:connect:us-east-1:1:instance/I/queue/Q1"
    assert same_resource(arn, "${SalesQueueArn}", {"${SalesQueueArn}": arn})
    assert same_resource("Q1", arn, {})
    assert same_resource("bankid", "arn:aws:lambda:eu-north-1:1:function:bankid", {})
    assert not same_resource(arn, "arn:aws:connect:us-east-1:2:instance/J/queue/Q1", {})
    assert same_resource("", "anything", {})


MIRROR = ContactMirror(
    "+15550100",
    "+15550199",
    "VOICE",
    attributes={"tier": "gold", "count": "7", "empty": ""},
    external={"nested": {"ok": True}},
)


@pytest.mark.parametrize(
    ("namespace", "operator", "operand", "holds"),
    [
        ("$.Attributes.tier", "Equals", "gold", True),
        ("$.Attributes.tier", "Equals", "Gold", False),
        ("$.Attributes.tier", "TextStartsWith", "go", True),
        ("$.Attributes.tier", "TextEndsWith", "ld", True),
        ("$.Attributes.tier", "TextContains", "ol", True),
        ("$.Attributes.count", "NumberGreaterThan", "6", True),
        ("$.Attributes.count", "NumberGreaterOrEqualTo", 7, True),
        ("$.Attributes.count", "NumberLessThan", "7", False),
        ("$.Attributes.count", "NumberLessOrEqualTo", "7.0", True),
        ("$.Attributes.tier", "NumberLessThan", "9", False),  # not a number: false
        ("$.Attributes.empty", "Exists", None, True),
        ("$.Attributes.missing", "Exists", "false", True),
        ("$.Attributes.missing", "Exists", None, False),
        ("$.External.nested.ok", "Equals", "true", True),
        ("$.Channel", "Equals", "VOICE", True),
        ("$.CustomerEndpoint.Address", "Equals", "+15550100", True),
        ("$.Queue.Name", "Exists", "false", True),
    ],
)
def test_assert_operators(namespace: str, operator: str, operand, holds: bool) -> None:
    assert (
        evaluate(MIRROR, {"Namespace": namespace, "Operator": operator, "Operand": operand}) is None
    ) == holds


def test_failures_say_why_and_mask_caller_data() -> None:
    reason = evaluate(
        MIRROR, {"Namespace": "$.CustomerEndpoint.Address", "Operator": "Equals", "Operand": "x"}
    )
    assert reason == "expected $.CustomerEndpoint.Address Equals '*', actual '+15****00'"
    assert "not one of" in evaluate(MIRROR, {"Namespace": "$.Channel", "Operator": "Like"})
    unavailable = evaluate(MIRROR, {"Namespace": "$.ContactId", "Operator": "Exists"})
    assert unavailable.startswith("$.ContactId: ContactId is not available offline")
    with pytest.raises(Unavailable):
        MIRROR.resolve("$.Wisdom.SessionArn")
