"""Does what the simulated call did match what an observation waits for?

Prompts (MessageReceived). An observation gives `Text`, `SSML` or `PromptId`. `Text` is compared
with what the caller hears: the prompt's text, or an SSML prompt with its tags removed.
`SSML` is compared with the SSML as written, `PromptId` with the prompt's reference (an ARN
and its trailing id name the same prompt). Whitespace runs count as one space everywhere.

    Inclusion   the heard text contains the expected text (case as written).
    Similarity  Connect says "semantic match" without defining it. Offline: at least
                SIMILARITY_THRESHOLD (80%) of the expected text's distinct words (lower-cased,
                Unicode letters and digits) are among the words heard. It tolerates
                punctuation, case, SSML and a prompt that says more than the test quotes;
                it does not understand paraphrase. Our documented approximation.
    (none)      the heard text equals the expected text.

Resources (FlowActionStarted ActionParameters, override targets). The flow names a resource as
exported (an ARN, or a placeholder such as `${SalesQueueArn}` until deploy); `resources` maps
those references to the ARNs the test case names. An ARN and its trailing id (`.../queue/ID`,
`...:function:NAME`) name the same resource; an empty expected value matches any resource.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

SIMILARITY_THRESHOLD = 0.8
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def spoken(ssml: str) -> str:
    """What an SSML prompt says: tags removed, entities decoded."""
    return normalize(html.unescape(_TAG.sub(" ", ssml)))


def words(text: str) -> set[str]:
    return set(_WORD.findall(normalize(text).casefold()))


def similarity(expected: str, heard: str) -> float:
    """Share of the expected text's words that were heard (1.0 when nothing is expected)."""
    wanted = words(expected)
    return len(wanted & words(heard)) / len(wanted) if wanted else 1.0


def criteria(properties: Mapping[str, Any], sibling: Any) -> str:
    """Inclusion, Similarity or "" (exact), from Properties.MatchingCriteria.Type or the
    example's `"MatchingCriteria": "<type>"` beside Properties."""
    for value in (properties.get("MatchingCriteria"), sibling):
        if isinstance(value, Mapping) and value.get("Type"):
            return str(value["Type"])
        if isinstance(value, str) and value:
            return value
    return ""


def text_matches(expected: str, heard: str, how: str) -> bool:
    expected, heard = normalize(expected), normalize(heard)
    if how == "Inclusion":
        return expected in heard
    if how == "Similarity":
        return similarity(expected, heard) >= SIMILARITY_THRESHOLD
    return expected == heard


def prompt_matches(properties: Mapping[str, Any], sibling: Any, text: str, fmt: str) -> bool:
    """An observed prompt (`text` in format text|ssml|prompt) against MessageReceived props."""
    how = criteria(properties, sibling)
    if "Text" in properties:
        if fmt == "prompt":
            return False
        heard = spoken(text) if fmt == "ssml" else text
        return text_matches(str(properties["Text"]), heard, how)
    if "SSML" in properties:
        return fmt == "ssml" and text_matches(str(properties["SSML"]), text, how)
    if "PromptId" in properties:
        return fmt == "prompt" and same_resource(str(properties["PromptId"]), text, {})
    media = properties.get("Media")
    if isinstance(media, Mapping) and media.get("Uri"):
        return fmt == "prompt" and str(media["Uri"]) == text
    return True  # a MessageReceived with no content waits for any prompt


def resource_id(reference: str) -> str:
    """The trailing id of an ARN ('.../queue/ID' -> 'ID', '...:function:NAME' -> 'NAME')."""
    if not reference.startswith("arn:"):
        return reference
    tail = reference.rsplit(":", 1)[-1] if "/" not in reference else reference
    return tail.rsplit("/", 1)[-1]


def same_resource(expected: str, observed: str | None, resources: Mapping[str, str]) -> bool:
    if not expected:
        return True
    if observed is None:
        return False
    for candidate in dict.fromkeys((resources.get(observed, observed), observed)):
        if candidate == expected:
            return True
        # An id matches the ARN that ends in it; two ARNs must be equal.
        if candidate.startswith("arn:") != expected.startswith("arn:") and resource_id(
            candidate
        ) == resource_id(expected):
            return True
    return False


def parameters_match(expected: Any, observed: Any, resources: Mapping[str, str]) -> bool:
    """Every key the observation gives matches the observed parameters (recursively)."""
    if isinstance(expected, Mapping):
        if not isinstance(observed, Mapping):
            return not expected
        return all(
            parameters_match(value, observed.get(key), resources) for key, value in expected.items()
        )
    return same_resource(str(expected), None if observed is None else str(observed), resources)


__all__ = [
    "SIMILARITY_THRESHOLD",
    "criteria",
    "normalize",
    "parameters_match",
    "prompt_matches",
    "resource_id",
    "same_resource",
    "similarity",
    "spoken",
    "text_matches",
]
