"""A fluent test API over simulated calls (after the Go simulator's `flowtest`):

    call = run_call("contact_flows/main_inbound.json", caller="+81312345678", inputs=["1"])
    call.expect.prompt().containing("Welcome")
    call.expect.lambda_called("IdentifyCallerFunction").with_parameters(callerNumber="+8131...")
    call.expect.ended_in_queue("Gold")
    call.expect.never.prompt().containing("Sorry")
    call.expect.unordered.attribute("tier", "gold")

Checks read in order: each one searches the events after the one the previous check matched,
unless `unordered`. `never` checks that no event (after that point) matches. A check runs when
its subject is given and again for each condition added to it, so a failing one fails at the
line that made it fail. Failure messages list what was expected, every event seen, and how the
call ended.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Unpack

from ivr.engine import CallResult
from ivr.engine.events import (
    ActionEntered,
    AttributeSet,
    Event,
    InputReceived,
    LambdaCalled,
    PromptPlayed,
    describe,
)
from ivr.engine.simulator import seeded_contact_id
from ivr.scenarios import RunOptions, Scenario

Predicate = Callable[[Event], bool]


def run_call(
    flow: str | Path,
    *,
    lambdas: dict[str, Any] | None = None,
    template: str | Path | None = None,
    flows: dict[str, str | Path] | None = None,
    **call: Any,
) -> Call:
    """Simulate one call and return it ready for `call.expect...` checks.

    The keywords are a `Scenario`'s fields (caller, dialed, channel, inputs, attributes,
    hours, queue_at_capacity, metrics, lambdas, answers, seed, contact_id...), validated into
    one: an unknown keyword is a TypeError naming it. `template` and `flows`, and `listener`,
    `input_source`, `max_steps`, `extra_lambdas`, `verbose`, are how it runs (RunOptions).
    `hours_open=` is read as `hours=`, as `Simulator.call` spells it.
    """
    __tracebackhide__ = True
    options = {name: call.pop(name) for name in _RUN_OPTIONS if name in call}
    if "hours_open" in call and "hours" not in call:
        call["hours"] = call.pop("hours_open")
    if lambdas is not None:
        call["lambdas"] = lambdas
    scenario = Scenario.of(call, source="run_call", run_options=_RUN_OPTIONS)
    return run_scenario(flow, scenario, template=template, flows=flows, **options)


def run_scenario(flow: str | Path, scenario: Scenario, **options: Unpack[RunOptions]) -> Call:
    """Simulate `scenario` through `flow` and return it ready for `call.expect...` checks."""
    return Call(scenario.run(flow, **options), scenario.call_contact_id)


_RUN_OPTIONS = RunOptions.__optional_keys__


class Call:
    def __init__(self, result: CallResult, contact_id: str | None = None) -> None:
        self.result = result
        self.contact_id = contact_id or seeded_contact_id(0)
        self._cursor = 0

    def flow_log(self) -> list[dict[str, Any]]:
        """The flow-log entries Amazon Connect would write for this call (ivr.flowlogs)."""
        from ivr.flowlogs.writer import records_for, to_jsonable

        return to_jsonable(records_for(self.result, self.contact_id))

    def write_flow_log(self, path: str | Path) -> int:
        """Append this call's flow log to `path` as JSON lines; the entries written."""
        from ivr.flowlogs.writer import append_flow_log

        return append_flow_log(path, self.result, self.contact_id)

    @property
    def expect(self) -> Expect:
        return Expect(self, ordered=True, negated=False)

    @property
    def events(self) -> tuple[Event, ...]:
        return self.result.events

    def report(self) -> str:
        lines = [f"  {i:3d}. {describe(e)}" for i, e in enumerate(self.events)]
        return "\n".join(
            [
                "Events seen:",
                *lines,
                f"Call ended: {self.result.outcome.describe()}",
                f"Final attributes: {self.result.attributes}",
            ]
        )


class Expect:
    def __init__(self, call: Call, *, ordered: bool, negated: bool) -> None:
        self._call, self._ordered, self._negated = call, ordered, negated

    @property
    def never(self) -> Expect:
        return Expect(self._call, ordered=self._ordered, negated=True)

    @property
    def unordered(self) -> Expect:
        return Expect(self._call, ordered=False, negated=self._negated)

    def _check(self, what: str, predicates: list[Predicate], checked: bool = True) -> Check:
        return Check(self._call, what, predicates, self._ordered, self._negated, checked)

    def prompt(self) -> Check:
        """A prompt played; refine with .containing/.exactly/.matching."""
        __tracebackhide__ = True
        return self._check(
            "a prompt", [lambda e: isinstance(e, PromptPlayed)], checked=not self._negated
        )

    def input(self, keys: str | None = None) -> Check:
        """The caller's input at a prompt (None: silence)."""
        __tracebackhide__ = True
        return self._check(
            f"input {keys!r}",
            [lambda e: isinstance(e, InputReceived) and e.keys == keys],
        )

    def lambda_called(self, function: str) -> Check:
        """A Lambda call by logical id, function name or (part of) its ARN."""
        __tracebackhide__ = True
        return self._check(
            f"a call of Lambda {function}",
            [
                lambda e: (
                    isinstance(e, LambdaCalled) and (e.function == function or function in e.arn)
                )
            ],
        )

    def action(self, identifier: str) -> Check:
        """The call entered the action with this Identifier."""
        __tracebackhide__ = True
        return self._check(
            f"action {identifier}",
            [lambda e: isinstance(e, ActionEntered) and e.identifier == identifier],
        )

    def attribute_set(self, name: str, value: str | None = None) -> Check:
        """A block set contact attribute `name` (to `value` when given)."""
        __tracebackhide__ = True
        return self._check(
            f"contact attribute {name} set" + (f" to {value!r}" if value is not None else ""),
            [
                lambda e: (
                    isinstance(e, AttributeSet)
                    and e.scope == "contact"
                    and e.name == name
                    and (value is None or e.value == value)
                )
            ],
        )

    def attribute(self, name: str, value: str) -> None:
        """The contact attribute `name` ends the call holding `value`."""
        __tracebackhide__ = True
        actual = self._call.result.attributes.get(name)
        self._outcome_check(actual == value, f"attribute {name} = {value!r} (got {actual!r})")

    def ended_in_queue(self, queue: str | None = None) -> None:
        __tracebackhide__ = True
        outcome = self._call.result.outcome
        matches = outcome.type == "queue" and (
            queue is None or queue in (outcome.queue, outcome.queue_arn)
        )
        self._outcome_check(matches, f"the call ended in queue {queue or '(any)'}")

    def ended_with(self, outcome_type: str) -> None:
        """disconnect, transfer_to_flow, third_party, end_flow, error, step_limit, queue."""
        __tracebackhide__ = True
        self._outcome_check(
            self._call.result.outcome.type == outcome_type, f"the call ended with {outcome_type}"
        )

    def disconnected(self) -> None:
        __tracebackhide__ = True
        self.ended_with("disconnect")

    def _outcome_check(self, holds: bool, what: str) -> None:
        __tracebackhide__ = True
        if holds == self._negated:
            expected = f"not {what}" if self._negated else what
            raise AssertionError(f"Expected {expected}\n{self._call.report()}")


class Check:
    """One expectation about an event; conditions narrow it and re-check it."""

    def __init__(
        self,
        call: Call,
        what: str,
        predicates: list[Predicate],
        ordered: bool,
        negated: bool,
        checked: bool = True,
    ) -> None:
        self._call, self._what, self._predicates = call, what, predicates
        self._ordered, self._negated = ordered, negated
        self._start = call._cursor if ordered else 0
        self.event: Event | None = None
        if checked:
            self._verify()

    def _where(self, predicate: Predicate, description: str) -> Check:
        __tracebackhide__ = True
        self._predicates = [*self._predicates, predicate]
        self._what = f"{self._what} {description}"
        self._verify()
        return self

    def containing(self, text: str) -> Check:
        __tracebackhide__ = True
        return self._where(lambda e: text in getattr(e, "text", ""), f"containing {text!r}")

    def exactly(self, text: str) -> Check:
        __tracebackhide__ = True
        return self._where(lambda e: getattr(e, "text", None) == text, f"exactly {text!r}")

    def matching(self, pattern: str) -> Check:
        __tracebackhide__ = True
        regex = re.compile(pattern)
        return self._where(
            lambda e: regex.search(getattr(e, "text", "")) is not None, f"matching /{pattern}/"
        )

    def with_parameters(self, **expected: str) -> Check:
        """The Lambda got at least these parameters with these values."""
        __tracebackhide__ = True
        return self._where(
            lambda e: all(getattr(e, "parameters", {}).get(k) == v for k, v in expected.items()),
            f"with parameters {expected}",
        )

    def returning(self, **expected: str) -> Check:
        """The Lambda answered at least these keys with these values."""
        __tracebackhide__ = True
        return self._where(
            lambda e: all(
                (getattr(e, "response", None) or {}).get(k) == v for k, v in expected.items()
            ),
            f"returning {expected}",
        )

    def failing(self) -> Check:
        """The Lambda call took the Error branch."""
        __tracebackhide__ = True
        return self._where(lambda e: getattr(e, "error", None) is not None, "failing")

    def _verify(self) -> None:
        __tracebackhide__ = True
        events = self._call.events
        for index in range(self._start, len(events)):
            event = events[index]
            if all(p(event) for p in self._predicates):
                if self._negated:
                    self._fail(f"never {self._what}, but event {index} is one")
                self.event = event
                if self._ordered:
                    self._call._cursor = index + 1
                return
        if not self._negated:
            after = f" after event {self._start - 1}" if self._start else ""
            self._fail(f"{self._what}{after}")

    def _fail(self, expected: str) -> None:
        __tracebackhide__ = True
        raise AssertionError(f"Expected {expected}\n{self._call.report()}")


__all__ = ["Call", "Check", "Expect", "run_call", "run_scenario"]
