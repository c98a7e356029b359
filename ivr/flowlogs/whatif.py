"""What-if: each logged contact's inputs replayed through a new version of the flow, to see who
would end differently before the change is deployed.

From a contact's entries come: the keys pressed at each input action (its Results, by the
action's Identifier), each Lambda function's answers in order (ExternalResults, or the failure
Results reported), the hours (a CheckHoursOfOperation's "True"/"False") and a queue found at
capacity. The new flow runs in the engine on those alone. When it asks for something the log
cannot answer (an input action the contact never reached, a Lambda call more than logged, hours
never checked), the contact is reported as unknown with the reason,
never run on a guess. A contact that hung up in the log is unknown too: what it would have done
next is not in the log.

A contact ends differently when its outcome (queue and its name, transfer and its destination,
disconnect, end of flow, error) or the Lambda functions it called differ.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivr.engine import CallResult, Simulator
from ivr.engine.events import ActionEntered
from ivr.engine.lambdas import LambdaAnswer, LocalFunction, function_name
from ivr.flowlogs.contacts import LoggedContact
from ivr.flowlogs.outcomes import (
    CALLER_HUNG_UP,
    ENGINE_OUTCOMES,
    TIMEOUT_RESULT,
    ending,
    final_index,
)
from ivr.flowlogs.records import FlowLogRecord

EXAMPLES_KEPT = 3
_INPUT_TYPES = frozenset({"GetParticipantInput", "GetUserInput", "StoreUserInput"})
_HOURS_TYPES = frozenset({"CheckHoursOfOperation"})
_QUEUE_TYPES = frozenset({"TransferContactToQueue", "Transfer"})


@dataclass(frozen=True)
class Ended:
    """How a contact ended, as far as a comparison goes."""

    outcome: str
    detail: str
    lambdas: tuple[str, ...]

    def describe(self, *, lambdas: bool = True) -> str:
        where = f"{self.outcome} {self.detail}".strip()
        return f"{where} (Lambdas: {', '.join(self.lambdas) or 'none'})" if lambdas else where


@dataclass
class LoggedInputs:
    keys: dict[str, deque[str | None]] = field(default_factory=dict)
    answers: dict[str, deque[LambdaAnswer]] = field(default_factory=dict)
    hours_open: bool | None = None
    queue_at_capacity: bool = False


def logged_inputs(entries: Iterable[FlowLogRecord]) -> LoggedInputs:
    found = LoggedInputs()
    for entry in entries:
        kind = entry.module_type
        if kind in _INPUT_TYPES:
            keys = None if entry.results in (None, TIMEOUT_RESULT) else entry.results
            found.keys.setdefault(entry.identifier, deque()).append(keys)
        elif kind in _HOURS_TYPES and entry.results in ("True", "False"):
            found.hours_open = entry.results == "True"
        elif kind in _QUEUE_TYPES and entry.results == "QueueAtCapacity":
            found.queue_at_capacity = True
        parameters = entry.parameters
        if parameters is not None and "FunctionArn" in parameters:
            if entry.external_results is not None:
                answer = LambdaAnswer(entry.external_results)
            else:
                answer = LambdaAnswer(None, entry.results or "failed (as logged)")
            arn = str(parameters["FunctionArn"])
            found.answers.setdefault(arn, deque()).append(answer)
    return found


def logged_ending(contact: LoggedContact) -> Ended:
    final = final_index(contact.entries)
    end = ending(contact.entries[final])
    lambdas = tuple(
        function_name(str(e.parameters["FunctionArn"]))
        for e in contact.entries[: final + 1]
        if e.parameters is not None and "FunctionArn" in e.parameters
    )
    return Ended(end.outcome, end.detail, lambdas)


def engine_ending(result: CallResult) -> Ended:
    outcome = result.outcome
    detail = ""
    if outcome.type == "queue":
        detail = outcome.queue or outcome.queue_arn or ""
    elif outcome.type in ("transfer_to_flow", "third_party"):
        detail = outcome.flow or outcome.phone or ""
    lambdas = tuple(call.function for call in result.lambda_calls)
    return Ended(ENGINE_OUTCOMES[outcome.type], detail, lambdas)


class _Replay:
    """The caller and the Lambda functions of one logged contact (an InputSource, and what a
    Run calls on its `lambdas`), noting every question the log cannot answer."""

    def __init__(self) -> None:
        self.inputs = LoggedInputs()
        self.unknown: list[str] = []

    def load(self, inputs: LoggedInputs) -> None:
        self.inputs = inputs
        self.unknown = []

    def next_keys(self, identifier: str, store: bool) -> str | None:
        logged = self.inputs.keys.get(identifier)
        if not logged:
            self.unknown.append(f"input at {identifier} (not in the log)")
            return None
        # A secret written as "***" goes back as "***": the flow can still tell it from
        # silence, and the Lambda that checks it answers as logged.
        return logged.popleft()

    def find(self, raw: str, resolved: str) -> LocalFunction:
        return LocalFunction(function_name(resolved or raw))

    def invoke(
        self, function: LocalFunction, arn: str, event: Any, time_limit: float, kind: str
    ) -> LambdaAnswer:
        answers = self.inputs.answers
        for key in (arn, function.name):
            logged = answers.get(key)
            if logged:
                return logged.popleft()
        for logged_arn, logged in answers.items():
            if logged and function_name(logged_arn) == function.name:
                return logged.popleft()
        self.unknown.append(f"answer of Lambda {function.name} (not in the log)")
        return LambdaAnswer(None, "not in the log")


def change_key(before: Ended, after: Ended) -> tuple[Ended, Ended]:
    """What a change is grouped by: the Lambdas only when they changed, so "queue Gold ->
    queue Standard" is one group whatever Lambdas each of its callers met."""
    if before.lambdas == after.lambdas:
        return Ended(before.outcome, before.detail, ()), Ended(after.outcome, after.detail, ())
    return before, after


@dataclass
class Change:
    before: Ended
    after: Ended
    contact_ids: list[str] = field(default_factory=list)

    @property
    def contacts(self) -> int:
        return len(self.contact_ids)

    @property
    def examples(self) -> list[str]:
        return self.contact_ids[:EXAMPLES_KEPT]

    @property
    def lambdas_changed(self) -> bool:
        return self.before.lambdas != self.after.lambdas

    def describe(self) -> str:
        shown = self.lambdas_changed
        return f"{self.before.describe(lambdas=shown)} -> {self.after.describe(lambdas=shown)}"


@dataclass
class WhatIfReport:
    contacts: int = 0
    same: int = 0
    changes: dict[tuple[Ended, Ended], Change] = field(default_factory=dict)
    unknown: Counter[str] = field(default_factory=Counter)
    unknown_examples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(change.contacts for change in self.changes.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "contacts": self.contacts,
            "same": self.same,
            "changed": self.changed,
            "unknown": sum(self.unknown.values()),
            "changes": [
                {
                    "before": vars(change.before) | {"lambdas": list(change.before.lambdas)},
                    "after": vars(change.after) | {"lambdas": list(change.after.lambdas)},
                    "contacts": change.contacts,
                    "examples": change.examples,
                    "contact_ids": change.contact_ids,
                }
                for change in sorted(self.changes.values(), key=lambda c: -c.contacts)
            ],
            "unknown_reasons": [
                {"reason": reason, "contacts": n, "examples": self.unknown_examples[reason]}
                for reason, n in self.unknown.most_common()
            ],
        }


class WhatIf:
    """The new flow compiled once; `replay` runs one logged contact through it."""

    def __init__(self, flow: str | Path) -> None:
        self.simulator = Simulator(flow)
        self._replay = _Replay()
        self.simulator.lambdas = self._replay  # type: ignore[assignment]
        self.report = WhatIfReport()

    def replay(self, contact: LoggedContact) -> None:
        report = self.report
        report.contacts += 1
        before = logged_ending(contact)
        if before.outcome == CALLER_HUNG_UP:
            self._unknown("the caller hung up (what they would do next is not logged)", contact)
            return
        inputs = logged_inputs(contact.entries)
        self._replay.load(inputs)
        result = self.simulator.call(
            input_source=self._replay,
            hours_open=True if inputs.hours_open is None else inputs.hours_open,
            queue_at_capacity=inputs.queue_at_capacity,
            contact_id=contact.contact_id,
        )
        unknown = self._replay.unknown
        if inputs.hours_open is None and any(
            type(e) is ActionEntered and e.type == "CheckHoursOfOperation" for e in result.events
        ):
            unknown.append("hours of operation (never checked in the log)")
        if unknown:
            self._unknown(unknown[0], contact)
            return
        after = engine_ending(result)
        if after == before:
            report.same += 1
            return
        key = change_key(before, after)
        change = report.changes.get(key)
        if change is None:
            change = report.changes[key] = Change(*key)
        change.contact_ids.append(contact.contact_id)

    def _unknown(self, reason: str, contact: LoggedContact) -> None:
        self.report.unknown[reason] += 1
        examples = self.report.unknown_examples.setdefault(reason, [])
        if len(examples) < EXAMPLES_KEPT:
            examples.append(contact.contact_id)


def format_report(report: WhatIfReport) -> str:
    lines = [
        f"Contacts replayed: {report.contacts}",
        f"  same ending:      {report.same}",
        f"  ending changed:   {report.changed}",
        f"  unknown:          {sum(report.unknown.values())}",
    ]
    if report.changes:
        lines += ["", "Changes:"]
        for change in sorted(report.changes.values(), key=lambda c: -c.contacts):
            shown = change.lambdas_changed
            lines.append(f"  {change.contacts:>6}  {change.before.describe(lambdas=shown)}")
            lines.append(f"          -> {change.after.describe(lambdas=shown)}")
            lines.append(f"          e.g. {', '.join(change.examples)}")
    if report.unknown:
        lines += ["", "Unknown (the log cannot answer what the new flow asks):"]
        for reason, count in report.unknown.most_common():
            lines.append(f"  {count:>6}  {reason}")
            lines.append(f"          e.g. {', '.join(report.unknown_examples[reason])}")
    return "\n".join(lines) + "\n"
