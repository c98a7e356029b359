"""What every rule reads: the flow, where it came from, and the template it deploys with."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ivr.template import find_template
from models.flow import Action, Flow


@dataclass
class LintContext:
    flow: Flow
    raw: dict[str, Any] | None = None
    content_chars: int | None = None
    source: Path | None = None
    template: Path | None = None
    actions: dict[str, Action] = field(init=False)

    def __post_init__(self) -> None:
        # First one wins on duplicates, as the duplicate rule reports the rest.
        self.actions = {}
        for action in self.flow.actions:
            self.actions.setdefault(action.identifier, action)

    @cached_property
    def size(self) -> int:
        """Characters of the flow as Connect's `Content` string (compact JSON), unless the
        caller measured the exact string it sends."""
        if self.content_chars is not None:
            return self.content_chars
        document = self.raw if self.raw is not None else self.flow.to_content()
        return len(json.dumps(document, separators=(",", ":"), ensure_ascii=False))

    @cached_property
    def template_path(self) -> Path | None:
        """The template given, else the template.yaml found upward from the flow's file."""
        if self.template is not None:
            return self.template
        return find_template(self.source) if self.source is not None else None

    def successors(self, action: Action) -> list[tuple[str, str]]:
        """(branch label, target) of `action` whose target exists."""
        return [(label, t) for label, t in action.transitions.targets() if t in self.actions]

    def reachable(self) -> set[str]:
        # The targets `Transitions.targets` gives, without building the branch labels it
        # also formats: this walk visits every action of the flow.
        actions = self.actions
        seen: set[str] = set()
        pending = [self.flow.start_action] if self.flow.start_action in actions else []
        while pending:
            current = pending.pop()
            if current in seen or current not in actions:
                continue  # already walked, or a dangling target (structure reports it)
            seen.add(current)
            transitions = actions[current].transitions
            if transitions.next_action:
                pending.append(transitions.next_action)
            pending.extend(c.next_action for c in transitions.conditions)
            pending.extend(e.next_action for e in transitions.errors)
        return seen
