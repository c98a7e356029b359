"""What a block sees of the call in progress: the contact, the caller's script, the options
and the services (Lambda handlers, other flows), and `emit` for the event stream."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ivr.engine.contact import Contact
from ivr.engine.events import Event

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledFlow
    from ivr.engine.lambdas import LambdaInvoker

TIMEOUT_WORD = "timeout"


class InputSource(Protocol):
    """Answers each GetParticipantInput: the keys pressed, or None for a silent caller."""

    def next_keys(self, identifier: str, store: bool) -> str | None: ...


class ScriptedInput:
    """`--input` answers in order; the word `timeout`, or running out, is silence."""

    def __init__(self, inputs: list[str] | tuple[str, ...]) -> None:
        self._inputs = list(inputs)
        self._next = 0

    def next_keys(self, identifier: str, store: bool) -> str | None:
        if self._next >= len(self._inputs):
            return None
        answer = self._inputs[self._next]
        self._next += 1
        return None if answer.strip().lower() == TIMEOUT_WORD else answer


@dataclass(frozen=True)
class CallOptions:
    """How the world around the flow behaves during one call."""

    hours_open: bool = True
    queue_at_capacity: bool = False
    metrics: Mapping[str, float] = field(default_factory=dict)
    # What services outside the flow answer (views, cases, profiles, Voice ID, Wait...), by
    # action Identifier or Type; the rules and defaults are in ivr/flow_language.py.
    answers: Mapping[str, str] = field(default_factory=dict)


class FlowFinder(Protocol):
    def find(self, raw: str, resolved: str) -> CompiledFlow | None: ...


@dataclass
class Run:
    contact: Contact
    inputs: InputSource
    options: CallOptions
    lambdas: LambdaInvoker
    flows: FlowFinder
    seed: int = 0
    events: list[Event] = field(default_factory=list)
    listener: Callable[[Event], Any] | None = None
    # emit(event): appends to `events` and tells the listener. Without a listener it is the
    # list's own append, so recording an event costs one call.
    emit: Callable[[Event], None] = field(init=False, repr=False)
    _rng: random.Random | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.emit = self.events.append if self.listener is None else self._emit_and_tell

    def _emit_and_tell(self, event: Event) -> None:
        self.events.append(event)
        if self.listener is not None:
            self.listener(event)

    @property
    def rng(self) -> random.Random:
        """The call's seeded generator, built on first use (seeding costs more than most
        calls spend in their blocks), in the state it always had: past the contact id."""
        if self._rng is None:
            self._rng = random.Random(self.seed)
            self._rng.getrandbits(128)  # the contact id was drawn first (simulator.contact_id)
        return self._rng
