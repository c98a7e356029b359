"""`CallResult.to_json` lays out its indented JSON by hand (ivr/engine/result.py); the text
must stay exactly what `json.dumps(..., indent=2, ensure_ascii=False)` writes."""

from __future__ import annotations

import json

from ivr.engine.events import ActionEntered, Outcome, PromptPlayed
from ivr.engine.result import CallResult


def test_to_json_is_the_text_json_dumps_writes():
    result = CallResult(
        Outcome("disconnected"),
        (
            ActionEntered("f", "a1", "MessageParticipant"),
            PromptPlayed("a1", 'こんにちは "caller"\n', "text"),
        ),
        {"lang": "ja", "note": "tab\there"},
    )
    expected = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    assert result.to_json() == expected
    assert result.to_json(indent=None) == json.dumps(result.to_dict(), ensure_ascii=False)
