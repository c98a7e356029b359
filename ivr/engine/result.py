"""What one simulated call produced: the outcome and the event stream, with the views the CLI's
JSON (`to_dict`/`to_json`) and tests read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _masked_call(call: dict[str, Any]) -> dict[str, Any]:
    """A Lambda call's JSON with keyed secrets (pin, passcode, ...) hidden, as the transcript
    shows it."""
    response = call.get("response")
    return {
        **call,
        "parameters": masked(call.get("parameters")),
        "response": masked(response) if isinstance(response, dict) else response,
    }
