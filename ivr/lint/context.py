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
    # Per action of `flow.actions`, in order: the targets of NextAction, Conditions, Errors.
    targets: list[tuple[str, ...]] = field(init=False)
    # Per action of `flow.actions`, in order: the ErrorTypes of its Errors.
    error_types: list[frozenset[str]] = field(init=False)

    def __post_init__(self) -> None:
        # One pass over the models: the rules then walk plain tuples (on a flow of 100,000
        # actions each pass over the models cost about 0.1 s). First one wins on
        # duplicates, as the duplicate rule reports the rest.
        self.actions, self.targets, self.error_types = {}, [], []
        none: frozenset[str] = frozenset()
        for action in self.flow.actions:
            transitions = action.transitions
            conditions, errors = transitions.conditions, transitions.errors
            targets: tuple[str, ...] = (transitions.next_action,) if transitions.next_action else ()
            if conditions or errors:
                targets += tuple(c.next_action for c in conditions)
                targets += tuple(e.next_action for e in errors)
            self.targets.append(targets)
            self.error_types.append(frozenset(e.error_type for e in errors) if errors else none)
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
        edges: dict[str, tuple[str, ...]] = {}
        for action, targets in zip(self.flow.actions, self.targets, strict=True):
            edges.setdefault(action.identifier, targets)
        seen: set[str] = set()
        pending = [self.flow.start_action] if self.flow.start_action in edges else []
        while pending:
            current = pending.pop()
            if current in seen or current not in edges:
                continue  # already walked, or a dangling target (structure reports it)
            seen.add(current)
            pending.extend(edges[current])
        return seen
