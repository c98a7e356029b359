"""The Amazon Connect Flow Language (Version 2019-10-30) as data: one model for the engine,
the linter, the differ, the renderer and deploy.

Parsing is tolerant on purpose (parameter values stay as JSON gave them, unknown keys are kept)
so the linter can report what Connect would reject instead of failing to load.
See ../shared/reference/connect.md section 2 and
https://docs.aws.amazon.com/connect/latest/APIReference/flow-language.html
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_pascal

FLOW_LANGUAGE_VERSION = "2019-10-30"
MAX_ACTIONS = 250
MAX_CONTENT_CHARS = 256_000


class _Node(BaseModel):
    model_config = ConfigDict(extra="allow", alias_generator=to_pascal, populate_by_name=True)


class Condition(_Node):
    operator: str = ""
    operands: list[Any] = Field(default_factory=list)


class ConditionTransition(_Node):
    next_action: str = ""
    condition: Condition = Field(default_factory=Condition)


class ErrorTransition(_Node):
    next_action: str = ""
    error_type: str = ""


class Transitions(_Node):
    next_action: str | None = None
    conditions: list[ConditionTransition] = Field(default_factory=list)
    errors: list[ErrorTransition] = Field(default_factory=list)

    def targets(self) -> Iterator[tuple[str, str]]:
        """Every (branch label, target Identifier): 'next', 'condition:<op> <operand>',
        'error:<ErrorType>'."""
        if self.next_action:
            yield "next", self.next_action
        for c in self.conditions:
            operand = ",".join(str(o) for o in c.condition.operands)
            yield f"condition:{c.condition.operator} {operand}", c.next_action
        for e in self.errors:
            yield f"error:{e.error_type}", e.next_action


class Action(_Node):
    identifier: str
    type: str
    parameters: dict[str, Any] | None = None
    transitions: Transitions = Field(default_factory=Transitions)

    @property
    def params(self) -> dict[str, Any]:
        return self.parameters or {}


class Flow(_Node):
    version: str = ""
    start_action: str = ""
    metadata: dict[str, Any] | None = None
    actions: list[Action] = Field(default_factory=list)
    settings: dict[str, Any] | None = None

    def action(self, identifier: str) -> Action:
        for action in self.actions:
            if action.identifier == identifier:
                return action
        raise KeyError(f"no action with Identifier {identifier!r}")

    def by_identifier(self) -> dict[str, Action]:
        return {a.identifier: a for a in self.actions}

    @classmethod
    def from_json(cls, text: str) -> Flow:
        return cls.model_validate(unwrap(json.loads(text)))

    @classmethod
    def load(cls, path: str | Path) -> Flow:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def to_content(self) -> dict[str, Any]:
        """The flow as Connect's `Content` object (the shape `load` read)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def unwrap(document: Any) -> Any:
    """A CreateContactFlow request body (`{"Name", "Type", "Content": "<json>"}`) or a
    describe_contact_flow answer (`{"ContactFlow": {...}}`) gives the flow inside it."""
    if isinstance(document, dict):
        if isinstance(document.get("ContactFlow"), dict):
            document = document["ContactFlow"]
        if "Actions" not in document and isinstance(document.get("Content"), str):
            return json.loads(document["Content"])
    return document
