"""Amazon Connect test cases (the Testing language, connect-testing.md sections 2-4) as data.

Reading is tolerant the way the rest of the toolkit is (unknown keys kept, `Usage` optional)
and checks what the offline runner relies on: unique observation Identifiers, links that
exist, known event and action types. A test case file may be the `Content` document itself,
a `CreateTestCase` request (`{"Name", "Content": "<json>", "EntryPoint", "InitializationData"}`)
or a `DescribeTestCase` answer (`{"TestCase": {...}}`); the entry point gives the caller and
the dialed number, InitializationData the initial contact attributes.

Version: the AWS example uses "2025-06-21" (what we write); "2019-10-30" (the flow language's
version, which two third-party write-ups use) is accepted with a warning (connect-testing.md 9).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_pascal

from ivr.errors import ToolkitError

TESTING_LANGUAGE_VERSION = "2025-06-21"
LEGACY_VERSION = "2019-10-30"

EVENT_TYPES = frozenset({"TestInitiated", "TestCompleted", "MessageReceived", "FlowActionStarted"})
ACTION_TYPES = frozenset({"SendInstruction", "OverrideSystemBehavior", "Assert", "TestControl"})
# FlowActionStarted action types the AWS pages document; DisconnectParticipant is our
# UNVERIFIED extension (connect-testing.md 3). Any other type still matches by Type, with a
# warning.
DOCUMENTED_FLOW_ACTIONS = frozenset(
    {
        "InvokeLambdaFunction",
        "CheckHoursOfOperation",
        "TransferContactToQueue",
        "ConnectParticipantWithLexBot",
    }
)
EXTENSION_FLOW_ACTIONS = frozenset({"DisconnectParticipant"})


class _Node(BaseModel):
    model_config = ConfigDict(extra="allow", alias_generator=to_pascal, populate_by_name=True)


class ActionTransitions(_Node):
    next_action: str | None = None


class CaseAction(_Node):
    identifier: str = ""
    type: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    transitions: ActionTransitions = Field(default_factory=ActionTransitions)


class CaseEvent(_Node):
    identifier: str = ""
    type: str
    actor: str = "System"
    properties: dict[str, Any] = Field(default_factory=dict)
    # The AWS example puts `"MatchingCriteria": "Similarity"` beside Properties; the schema
    # puts `{"Type": ...}` inside them. Both are read (matching.criteria).
    matching_criteria: Any = None


class Usage(_Node):
    type: str = "EXACTLY"
    times: int = 1


class ObservationTransitions(_Node):
    next_observations: list[str] = Field(default_factory=list)


class Observation(_Node):
    identifier: str
    event: CaseEvent
    actions: list[CaseAction] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    transitions: ObservationTransitions = Field(default_factory=ObservationTransitions)

    def action_chain(self) -> list[CaseAction]:
        """The actions in the order they run: the first listed is the head, then each
        NextAction until an empty one (connect-testing.md 2; head rule UNVERIFIED)."""
        by_id = {a.identifier: a for a in self.actions}
        chain: list[CaseAction] = []
        current = self.actions[0] if self.actions else None
        while current is not None and current not in chain:
            chain.append(current)
            following = current.transitions.next_action
            current = by_id.get(following) if following else None
        return chain


class CaseContent(_Node):
    version: str = ""
    metadata: dict[str, Any] | None = None
    observations: list[Observation] = Field(default_factory=list)


class ConnectTestCase(BaseModel):
    """A test case ready to run: the content, the simulated contact it starts, and what was
    worth a warning while reading it."""

    name: str
    content: CaseContent
    caller: str | None = None
    dialed: str | None = None
    channel: str = "VOICE"
    attributes: dict[str, str] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)


def load_case(path: str | Path) -> ConnectTestCase:
    source = Path(path)
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ToolkitError(f"cannot read test case {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise ToolkitError(f"test case {path} is not valid JSON: {exc}") from exc
    return parse_case(document, source.stem)


def parse_case(document: Any, name: str = "test case") -> ConnectTestCase:
    if isinstance(document, dict) and isinstance(document.get("TestCase"), dict):
        document = document["TestCase"]
    request: dict[str, Any] = {}
    if isinstance(document, dict) and "Observations" not in document and "Content" in document:
        request, raw = document, document["Content"]
        try:
            document = json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError as exc:
            raise ToolkitError(f"{name}: Content is not valid JSON: {exc}") from exc
    try:
        content = CaseContent.model_validate(document)
    except ValidationError as exc:
        raise ToolkitError(f"{name} is not a Connect test case: {exc}") from exc
    warnings = _check(content, name)
    case = ConnectTestCase(
        name=str(request.get("Name") or name), content=content, warnings=warnings
    )
    _entry_point(case, request)
    return case


def _check(content: CaseContent, name: str) -> list[str]:
    problems: list[str] = []
    warnings: list[str] = []
    if content.version == LEGACY_VERSION:
        warnings.append(
            f"Version {LEGACY_VERSION} is the flow language's; the Testing language example "
            f"uses {TESTING_LANGUAGE_VERSION} (accepted, UNVERIFIED which one Connect requires)"
        )
    elif content.version != TESTING_LANGUAGE_VERSION:
        problems.append(
            f"Version is {content.version!r}; use {TESTING_LANGUAGE_VERSION!r} "
            f"(or {LEGACY_VERSION!r})"
        )
    identifiers = [o.identifier for o in content.observations]
    for identifier in {i for i in identifiers if identifiers.count(i) > 1}:
        problems.append(f"observation Identifier {identifier!r} is used more than once")
    for observation in content.observations:
        where = f"observation {observation.identifier}"
        for target in observation.transitions.next_observations:
            if target not in identifiers:
                problems.append(f"{where} links to {target!r}, which is not an observation")
        event = observation.event
        if event.type not in EVENT_TYPES:
            problems.append(
                f"{where}: event Type {event.type!r} is not one of {_listed(EVENT_TYPES)}"
            )
        if event.type == "FlowActionStarted":
            flow_action = event.properties.get("ActionType", "")
            if not flow_action:
                problems.append(f"{where}: FlowActionStarted needs Properties.ActionType")
            elif flow_action in EXTENSION_FLOW_ACTIONS:
                warnings.append(
                    f"{where}: FlowActionStarted {flow_action} is UNVERIFIED in Connect"
                )
            elif flow_action not in DOCUMENTED_FLOW_ACTIONS:
                warnings.append(
                    f"{where}: FlowActionStarted {flow_action} is not documented by AWS; "
                    "matched offline by action type only"
                )
        if observation.usage.type not in ("EXACTLY", "ANY"):
            problems.append(f"{where}: Usage Type {observation.usage.type!r} is not EXACTLY or ANY")
        for action in observation.actions:
            if action.type not in ACTION_TYPES:
                problems.append(
                    f"{where}: action {action.identifier!r} Type {action.type!r} is not one of "
                    f"{_listed(ACTION_TYPES)}"
                )
        chain = observation.action_chain()
        for action in observation.actions:
            if action not in chain:
                warnings.append(
                    f"{where}: action {action.identifier!r} is not reached from the first "
                    "action's NextAction chain and will not run"
                )
    if problems:
        raise ToolkitError(f"{name}: " + "; ".join(problems))
    return warnings


def _entry_point(case: ConnectTestCase, request: dict[str, Any]) -> None:
    entry = request.get("EntryPoint") or {}
    voice = entry.get("VoiceCallEntryPointParameters") or {}
    case.caller = voice.get("SourcePhoneNumber") or None
    case.dialed = voice.get("DestinationPhoneNumber") or None
    if entry.get("ChatEntryPointParameters") or entry.get("Type") == "CHAT":
        case.channel = "CHAT"
    data = request.get("InitializationData")
    if data:
        try:
            values = json.loads(data) if isinstance(data, str) else data
        except json.JSONDecodeError as exc:
            raise ToolkitError(f"{case.name}: InitializationData is not JSON: {exc}") from exc
        # UNVERIFIED shape: a map of attributes, or {"Attributes": {...}}.
        if isinstance(values, dict) and isinstance(values.get("Attributes"), dict):
            values = values["Attributes"]
        if not isinstance(values, dict):
            raise ToolkitError(f"{case.name}: InitializationData must be a JSON object")
        case.attributes = {str(k): str(v) for k, v in values.items()}


def _listed(names: frozenset[str]) -> str:
    return ", ".join(sorted(names))


__all__ = [
    "LEGACY_VERSION",
    "TESTING_LANGUAGE_VERSION",
    "CaseAction",
    "CaseContent",
    "CaseEvent",
    "ConnectTestCase",
    "Observation",
    "load_case",
    "parse_case",
]
