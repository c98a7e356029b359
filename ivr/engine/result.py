"""What one simulated call produced: the outcome and the event stream, with the views the CLI's
JSON (`to_dict`/`to_json`) and tests read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any

from ivr.engine.events import ActionEntered, Event, LambdaCalled, Outcome, PromptPlayed
from ivr.engine.transcript import masked


@dataclass(frozen=True)
class CallResult:
    outcome: Outcome
    events: tuple[Event, ...]
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> list[str]:
        """Identifiers of the actions run, in order (across flows and modules)."""
        return [e.identifier for e in self.events if isinstance(e, ActionEntered)]

    @property
    def prompts(self) -> list[str]:
        return [e.text for e in self.events if isinstance(e, PromptPlayed)]

    @property
    def lambda_calls(self) -> list[LambdaCalled]:
        return [e for e in self.events if isinstance(e, LambdaCalled)]

    @property
    def ok(self) -> bool:
        return self.outcome.normal

    def to_dict(self) -> dict[str, Any]:
        """The `ivr simulate --json` object."""
        return {
            "outcome": self.outcome.to_dict(),
            "path": self.path,
            "prompts": self.prompts,
            "lambda_calls": [_masked_call(call.to_dict()) for call in self.lambda_calls],
            "attributes": masked(self.attributes),
        }

    def to_json(self, indent: int | None = 2) -> str:
        document = self.to_dict()
        if indent == 2:
            # json.dumps with an indent takes the pure-Python encoder: ~0.5 s on a call of
            # 100,000 actions. The same text, laid out here.
            return _indented(document, "\n")
        return json.dumps(document, indent=indent, ensure_ascii=False)


def _indented(value: Any, newline: str) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)` at the indentation `newline` ends
    with: containers laid out here, every leaf and key by json's C encoder."""
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + "  "
        parts = []
        for key, item in value.items():
            if not isinstance(key, str):  # json converts such keys; let it do the whole dict
                return _reindented(value, newline)
            parts.append(f"{encode_basestring(key)}: {_indented(item, inner)}")
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = newline + "  "
        return "[" + inner + ("," + inner).join(_indented(i, inner) for i in value) + newline + "]"
    return json.dumps(value, ensure_ascii=False)


def _reindented(value: Any, newline: str) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline)


def _masked_call(call: dict[str, Any]) -> dict[str, Any]:
    """A Lambda call's JSON with keyed secrets (pin, passcode, ...) hidden, as the transcript
    shows it."""
    response = call.get("response")
    return {
        **call,
        "parameters": masked(call.get("parameters")),
        "response": masked(response) if isinstance(response, dict) else response,
    }
