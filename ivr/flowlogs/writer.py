"""The flow log Amazon Connect would write for a simulated call, built from the call's event
stream after it ran (the engine needs no hook): one entry per action entered, with the fields
of records.py.

What goes in each entry, and why:
    * ContactFlowName is the flow file's name without `.json`; ContactFlowId an ARN made of
      the simulated instance's ARN and that name, so entries of different flows differ.
    * ContactFlowModuleType is the action's Flow Language type. (Connect's own entries name
      some blocks by their older module names, "SetQueue" in the guide's example; nothing
      here reads the type to find a branch, only the Identifier.)
    * Results: the key pressed (menu) or the keys typed (store input), "Timeout" for silence;
      for any other action the operand of the condition it matched ("True"/"False" of an
      hours check) or the ErrorType of the error it took; the reason a Lambda call failed.
      The last entry of a call that ended in an error says "Error" when nothing else did.
    * Parameters: a Lambda's FunctionArn and Parameters, the attributes an action set, the
      queue a contact was transferred to. ExternalResults: the Lambda's answer.
    * Secrets stay out of the file as they stay out of the transcript: values under pin /
      passcode / password keys, and the keys typed at an input action whose Identifier
      names one, are written as "***" (so `ivr whatif` reports them as unknown).
    * Timestamps: from `start`, each action a fixed, plausible time (a prompt by its length,
      input 2 s or the 5 s time-out, a Lambda 120 ms), so time-spent figures are repeatable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from ivr.engine.contact import DEFAULT_INSTANCE_ARN
from ivr.engine.events import (
    ActionEntered,
    AttributeSet,
    BranchTaken,
    Ended,
    Event,
    InputReceived,
    LambdaCalled,
    PromptPlayed,
)
from ivr.engine.result import CallResult
from ivr.engine.transcript import masked
from ivr.flowlogs.records import FlowLogRecord

DEFAULT_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TIMEOUT_RESULT = "Timeout"
ERROR_RESULT = "Error"
_ACTION_MS = 40
_PROMPT_MS_PER_CHARACTER = 60
_INPUT_MS = 2000
_SILENCE_MS = 5000
_LAMBDA_MS = 120
_ENTERED_FLOW = "flow:"


def flow_name(engine_flow: str) -> str:
    """The name a flow's entries carry: the engine's (its file name) without `.json`."""
    return engine_flow.removesuffix(".json")


def flow_id(name: str) -> str:
    return f"{DEFAULT_INSTANCE_ARN}/contact-flow/{name}"


def records_for(
    result: CallResult, contact_id: str, *, start: datetime = DEFAULT_START
) -> list[FlowLogRecord]:
    """The entries Connect would log for `result`, the call with `contact_id`."""
    entries: list[_Draft] = []
    elapsed = 0
    current: _Draft | None = None
    for event in result.events:
        if type(event) is ActionEntered:
            name = flow_name(event.flow)
            current = _Draft(
                contact_id,
                flow_id(name),
                name,
                event.type,
                event.identifier,
                _stamp(start, elapsed),
            )
            entries.append(current)
            elapsed += _ACTION_MS
        elif current is not None:
            elapsed += _describe(current, event)
    if entries and not result.outcome.normal and entries[-1].results is None:
        entries[-1].results = ERROR_RESULT
    return [entry.record() for entry in entries]


@dataclass(slots=True)
class _Draft:
    """An entry while its action's events fill it in (records are immutable)."""

    contact_id: str
    flow_id: str
    flow_name: str
    module_type: str
    identifier: str
    timestamp: str
    parameters: dict[str, Any] | None = None
    results: str | None = None
    external_results: dict[str, Any] | None = None

    def record(self) -> FlowLogRecord:
        return FlowLogRecord(
            self.contact_id,
            self.flow_id,
            self.flow_name,
            self.module_type,
            self.identifier,
            self.timestamp,
            self.parameters,
            self.results,
            self.external_results,
        )


def _describe(entry: _Draft, event: Event) -> int:
    """Fill `entry` from one of its action's events; the milliseconds the event took."""
    if type(event) is InputReceived:
        if event.keys is None:
            entry.results = TIMEOUT_RESULT
            return _SILENCE_MS
        entry.results = masked({event.identifier: event.keys})[event.identifier]
        return _INPUT_MS
    if type(event) is PromptPlayed:
        return _PROMPT_MS_PER_CHARACTER * min(len(event.text), 400)
    if type(event) is LambdaCalled:
        entry.parameters = {"FunctionArn": event.arn, "Parameters": masked(event.parameters)}
        if event.error is not None:
            entry.results = event.error
        elif event.response is not None:
            entry.external_results = masked(event.response)
        return _LAMBDA_MS
    if type(event) is AttributeSet:
        parameters = entry.parameters if entry.parameters is not None else {}
        parameters.setdefault("Attributes", {}).update(masked({event.name: event.value}))
        entry.parameters = parameters
        return 0
    if type(event) is BranchTaken:
        if entry.results is None:
            entry.results = _branch_result(event.branch)
        return 0
    if type(event) is Ended:
        outcome = event.outcome
        if outcome.type == "queue":
            entry.parameters = {
                **(entry.parameters or {}),
                "Queue": outcome.queue_arn or outcome.queue or "",
                "QueueName": outcome.queue or "",
            }
        elif outcome.type in ("transfer_to_flow", "third_party"):
            entry.parameters = {
                **(entry.parameters or {}),
                "Destination": outcome.flow or outcome.phone or "",
            }
    return 0


def _branch_result(label: str) -> str | None:
    if label.startswith("condition:"):
        return label.partition(" ")[2]
    if label.startswith("error:"):
        return label[len("error:") :]
    return None  # next, or a move into another flow: nothing to report


def _stamp(start: datetime, elapsed_ms: int) -> str:
    moment = start + timedelta(milliseconds=elapsed_ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def write_records(records: Iterable[FlowLogRecord], out: IO[str]) -> int:
    """The entries as JSON lines (one CloudWatch log event each); how many were written."""
    written = 0
    dumps = json.dumps
    for record in records:
        out.write(dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        written += 1
    return written


def append_flow_log(
    path: str | Path, result: CallResult, contact_id: str, *, start: datetime = DEFAULT_START
) -> int:
    """Append the call's flow log to `path` (created when missing); entries written."""
    with open(path, "a", encoding="utf-8") as out:
        return write_records(records_for(result, contact_id, start=start), out)


def to_jsonable(records: Iterable[FlowLogRecord]) -> list[dict[str, Any]]:
    return [record.to_dict() for record in records]
