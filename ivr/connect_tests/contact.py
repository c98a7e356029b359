"""What a test case can read of the simulated contact (`$.Attributes.x`, `$.Queue.Name`, ...),
kept from the engine's event stream alone.

The engine does not expose its contact to listeners, so this mirror follows the events:
AttributeSet (contact and flow attributes), LambdaCalled (`$.External`, replaced by each call,
emptied by a failed one), InputReceived (`$.StoredCustomerInput` in store mode, `$.Lex` at a
Lex block), and the working queue a Set working queue action names once it leaves by `next`.
Parameters are read from the flow file (models.flow). Anything else an assertion asks for is
reported as not available offline rather than guessed. (The hook that would replace this: a
read-only view of the contact passed with each event.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivr.engine import (
    ActionEntered,
    AttributeSet,
    BranchTaken,
    Event,
    InputReceived,
    LambdaCalled,
)
from ivr.engine.blocks.update_contact_target_queue import queue_name
from models.flow import Action, Flow

_SEGMENT = re.compile(r"\.?\['(?P<quoted>[^']*)'\]|\.(?P<plain>[^.\[]+)")
_WHOLE_PATH = re.compile(r"^\$(?:\.[\w-]+|\['[^']*'\])(?:\.?\['[^']*'\]|\.[\w-]+)*$")
_MISSING = object()


class Unavailable(LookupError):
    """A namespace the offline mirror does not keep."""


def segments(path: str) -> list[str]:
    """`$.Attributes['a b'].c` -> ['Attributes', 'a b', 'c']."""
    if not path.startswith("$"):
        raise ValueError(f"{path!r} is not a JSONPath (start it with $.)")
    return [
        m["quoted"] if m["quoted"] is not None else m["plain"] for m in _SEGMENT.finditer(path, 1)
    ]


class FlowCatalog:
    """The flow files a call may run through, by the name the engine gives them (file name)."""

    def __init__(self, entry: str | Path) -> None:
        self.entry = Path(entry).resolve()
        self._flows: dict[str, dict[str, Action] | None] = {}

    def action(self, flow_name: str, identifier: str) -> Action | None:
        if flow_name not in self._flows:
            path = self.entry.parent / flow_name
            try:
                self._flows[flow_name] = Flow.load(path).by_identifier() if path.is_file() else None
            except ValueError:
                self._flows[flow_name] = None
        actions = self._flows[flow_name]
        return actions.get(identifier) if actions else None

    def neighbours(self) -> list[Flow]:
        """The entry flow and every flow file beside it (those that load)."""
        flows = []
        for path in sorted({self.entry, *self.entry.parent.glob("*.json")}):
            try:
                flows.append(Flow.load(path))
            except (OSError, ValueError):
                continue
        return flows


@dataclass
class ContactMirror:
    caller: str | None
    dialed: str | None
    channel: str
    attributes: dict[str, str] = field(default_factory=dict)
    flow_attributes: dict[str, str] = field(default_factory=dict)
    external: dict[str, Any] = field(default_factory=dict)
    stored_input: str | None = None
    queue_arn: str | None = None
    queue_name: str | None = None
    lex: dict[str, Any] = field(default_factory=dict)
    resources: Mapping[str, str] = field(default_factory=dict)
    action: Action | None = None  # the action running now
    _pending_queue: tuple[str, str] | None = None

    def observe(self, event: Event, action: Action | None = None) -> None:
        """Follow one engine event; `action` is the flow action an ActionEntered names."""
        if isinstance(event, ActionEntered):
            self.action = action
            if action is not None and action.type == "UpdateContactTargetQueue":
                params = action.params
                reference = self.value(params.get("QueueId") or params.get("AgentId") or "")
                self._pending_queue = (action.identifier, reference)
        elif isinstance(event, BranchTaken):
            pending = self._pending_queue
            if pending and pending[0] == event.identifier and event.branch == "next":
                self.set_queue(pending[1])
            self._pending_queue = None
        elif isinstance(event, AttributeSet):
            target = self.attributes if event.scope == "contact" else self.flow_attributes
            target[event.name] = event.value
        elif isinstance(event, LambdaCalled):
            self.external = dict(event.response or {})
        elif isinstance(event, InputReceived) and self.action is not None:
            self._input(self.action, event.keys)

    def set_queue(self, reference: str) -> None:
        """The working queue: its ARN as the cloud knows it (through `resources`), its name as
        the engine reads it from the flow's reference (`${GoldQueueArn}` -> Gold)."""
        self.queue_arn = self.resources.get(reference, reference)
        self.queue_name = queue_name(reference)

    def _input(self, action: Action, keys: str | None) -> None:
        params = action.params
        if action.type == "ConnectParticipantWithLexBot":
            self.lex = {"IntentName": keys or "", "Slots": {}, "SessionAttributes": {}}
        elif (
            action.type == "GetParticipantInput" and str(params.get("StoreInput")).lower() == "true"
        ):
            if keys is None:
                self.stored_input = "Timeout"
                return
            dtmf = params.get("DTMFConfiguration") or {}
            digits = keys.partition(str(dtmf.get("InputTerminationSequence") or "#"))[0]
            maximum = str(
                ((params.get("InputValidation") or {}).get("CustomValidation") or {}).get(
                    "MaximumLength", ""
                )
            )
            self.stored_input = digits[: int(maximum)] if maximum.isdigit() else digits

    def value(self, raw: Any) -> str:
        """A parameter value that is static text or one JSONPath, as text for this contact."""
        text = raw if isinstance(raw, str) else str(raw)
        if not _WHOLE_PATH.match(text.strip()):
            return text
        try:
            found = self.resolve(text.strip())
        except Unavailable:
            return ""
        return "" if found is None else found if isinstance(found, str) else str(found)

    def resolve(self, path: str) -> Any:
        """The value at `path`; None when absent; Unavailable for what the mirror lacks."""
        parts = segments(path)
        if not parts:
            raise Unavailable(f"{path} names no namespace")
        root = self._namespace(parts[0])
        if root is _MISSING:
            raise Unavailable(
                f"{parts[0]} is not available offline (the simulator tracks Attributes, "
                "FlowAttributes, External, StoredCustomerInput, Queue, Channel, "
                "CustomerEndpoint, SystemEndpoint, Lex)"
            )
        value = root
        for part in parts[1:]:
            if isinstance(value, Mapping):
                value = value.get(part)
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                return None
        return value

    def _namespace(self, name: str) -> Any:
        match name:
            case "Attributes":
                return self.attributes
            case "FlowAttributes":
                return self.flow_attributes
            case "External":
                return self.external
            case "StoredCustomerInput":
                return self.stored_input
            case "Channel":
                return self.channel
            case "CustomerEndpoint":
                return _endpoint(self.caller)
            case "SystemEndpoint":
                return _endpoint(self.dialed)
            case "Queue":
                if self.queue_arn is None:
                    return None
                return {"ARN": self.queue_arn, "Name": self.queue_name}
            case "Lex":
                return self.lex
        return _MISSING


def _endpoint(address: str | None) -> dict[str, str] | None:
    return {"Address": address, "Type": "TELEPHONE_NUMBER"} if address else None


__all__ = ["ContactMirror", "FlowCatalog", "Unavailable", "segments"]
