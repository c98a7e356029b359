"""`ivr logs summary`: what the flow logs say about the contacts, per outcome and per action.

    summary = summarize(contacts(read_flow_logs(paths, report)), FlowShape.load(flow))
    print(format_summary(summary)); summary.to_dict()

With a flow, each logged action of that flow gets the branches it took (labelled as the engine
and `ivr coverage` label them) and the branches no contact took; without one, the results each
action reported. Times are from an entry to the contact's next entry.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivr.coverage import FlowShape
from ivr.engine.lambdas import function_name
from ivr.flowfile import gc_paused
from ivr.flowlogs.contacts import LoggedContact, contacts
from ivr.flowlogs.outcomes import OUTCOMES, branch_taken, ending, final_index, lambda_failure
from ivr.flowlogs.reader import ReadReport, read_flow_logs
from ivr.flowlogs.records import FlowLogRecord, timestamp_ms


@dataclass(slots=True)
class ActionTraffic:
    flow: str
    identifier: str
    type: str
    entries: int = 0
    ended_here: int = 0
    branches: Counter[str] = field(default_factory=Counter)
    results: Counter[str] = field(default_factory=Counter)
    times_ms: list[int] = field(default_factory=list)

    def to_dict(self, all_branches: list[str] | None) -> dict[str, Any]:
        taken = sum(self.branches.values())
        labels = all_branches if all_branches is not None else list(self.branches)
        data: dict[str, Any] = {
            "flow": self.flow,
            "identifier": self.identifier,
            "type": self.type,
            "entries": self.entries,
            "ended_here": self.ended_here,
            "median_ms": percentile(self.times_ms, 50),
            "p95_ms": percentile(self.times_ms, 95),
        }
        if all_branches is not None:
            data["branches"] = {
                label: {
                    "count": self.branches[label],
                    "share": round(self.branches[label] / taken, 4) if taken else 0.0,
                }
                for label in labels
            }
        else:
            data["results"] = dict(self.results.most_common())
        return data


@dataclass
class LambdaTraffic:
    calls: int = 0
    errors: int = 0
    timeouts: int = 0


@dataclass
class Summary:
    contacts: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    queues: Counter[str] = field(default_factory=Counter)
    actions: dict[tuple[str, str], ActionTraffic] = field(default_factory=dict)
    lambdas: dict[str, LambdaTraffic] = field(default_factory=dict)
    shape: FlowShape | None = None
    unreadable: int = 0

    def branch_labels(self, identifier: str) -> list[str] | None:
        if self.shape is None:
            return None
        return [b.label for b in self.shape.branches if b.identifier == identifier]

    def to_dict(self) -> dict[str, Any]:
        return {
            "contacts": self.contacts,
            "outcomes": {name: self.outcomes[name] for name in OUTCOMES},
            "queues": dict(self.queues.most_common()),
            "actions": [
                traffic.to_dict(self.branch_labels(traffic.identifier))
                for traffic in self.actions.values()
            ],
            "lambdas": {
                name: {"calls": t.calls, "errors": t.errors, "timeouts": t.timeouts}
                for name, t in sorted(self.lambdas.items())
            },
            "unreadable_entries": self.unreadable,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def percentile(values: list[int], percent: int) -> int | None:
    """The nearest-rank percentile (the median at 50); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-percent * len(ordered) // 100))  # ceil(percent/100 * n)
    return ordered[rank - 1]


def summarize(
    logged: Iterable[LoggedContact],
    shape: FlowShape | None = None,
    flow_name: str | None = None,
) -> Summary:
    """`flow_name`: the name the flow's entries carry (ContactFlowName, or the end of
    ContactFlowId); by default the flow file's name without `.json`. Identifiers are only
    unique within a flow, so entries of other flows are told apart by it."""
    summary = Summary(shape=shape)
    if shape is not None and flow_name is None:
        flow_name = shape.path.name.removesuffix(".json")
    adder = _Adder(summary, shape, flow_name or "")
    for contact in logged:
        adder.add(contact)
    return summary


def summarize_logs(
    paths: Iterable[str | Path],
    shape: FlowShape | None,
    flow_name: str | None,
    report: ReadReport,
) -> Summary:
    """The summary of the flow-log files at `paths`; `report` counts what could not be read.

    No cyclic garbage collection meanwhile: every entry read lives until the summary is made
    and a flow log makes no cycles, so each collection would only walk them all again (on a
    day of 200,000 lines, 20-30 % of the time)."""
    with gc_paused():
        return summarize(contacts(read_flow_logs(paths, report)), shape, flow_name)


def in_flow(entry: FlowLogRecord, shape: FlowShape, flow_name: str) -> bool:
    """Whether `entry` is one of the flow's (an entry naming no flow is taken as one)."""
    if entry.identifier not in shape.actions:
        return False
    if not entry.flow_name and not entry.flow_id:
        return True
    return entry.flow_name == flow_name or entry.flow_id.endswith("/" + flow_name)


class _Adder:
    """Adds contacts to a summary; what it looks up per entry is prepared once here."""

    def __init__(self, summary: Summary, shape: FlowShape | None, flow_name: str) -> None:
        self.summary, self.shape, self.flow_name = summary, shape, flow_name
        # Identifier -> its branches in the flow's order, and target -> the labels leading there.
        self.ways: dict[str, list[tuple[str, str]]] = {}
        self.ways_to: dict[str, dict[str, list[str]]] = {}
        if shape is not None:
            for branch in shape.branches:
                self.ways.setdefault(branch.identifier, []).append((branch.label, branch.target))
                targets = self.ways_to.setdefault(branch.identifier, {})
                targets.setdefault(branch.target, []).append(branch.label)
        self.names: dict[str, str] = {}  # FunctionArn -> function name
        self.by_identifier: dict[str, ActionTraffic] = {}  # with a flow: its actions' traffic

    def add(self, contact: LoggedContact) -> None:
        entries = contact.entries
        if not entries:
            return
        summary, shape = self.summary, self.shape
        summary.contacts += 1
        final = final_index(entries)
        end = ending(entries[final])
        summary.outcomes[end.outcome] += 1
        if end.outcome == "queue":
            summary.queues[end.detail] += 1
        actions = summary.actions
        by_identifier = self.by_identifier
        flow_actions = shape.actions if shape is not None else None
        flow_name, suffix, ways_to = self.flow_name, "/" + self.flow_name, self.ways_to
        pending: ActionTraffic | None = None  # the flow's last action still to learn its branch
        pending_ways: dict[str, list[str]] | None = None
        pending_results: str | None = None
        last = len(entries) - 1
        times = list(map(timestamp_ms, [entry.timestamp for entry in entries]))
        for index, entry in enumerate(entries):
            parameters = entry.parameters
            if parameters is not None and "FunctionArn" in parameters:
                self._lambda(entry, str(parameters["FunctionArn"]))
            identifier = entry.identifier
            if flow_actions is not None:
                # in_flow(), inline: this loop runs once per log line.
                if identifier not in flow_actions:
                    continue  # an entry of another flow (a module, a transfer)
                name = entry.flow_name
                if (
                    name != flow_name
                    and (name or entry.flow_id)
                    and not entry.flow_id.endswith(suffix)
                ):
                    continue
                action = by_identifier.get(identifier)
                if action is None:
                    action = by_identifier[identifier] = actions[("", identifier)] = ActionTraffic(
                        name, identifier, entry.module_type
                    )
            else:
                key = (entry.flow_name, identifier)
                action = actions.get(key)
                if action is None:
                    action = actions[key] = ActionTraffic(
                        entry.flow_name, identifier, entry.module_type
                    )
            action.entries += 1
            if index == final:
                action.ended_here += 1
            if index != last:
                now, then = times[index], times[index + 1]
                if now is not None and then is not None:
                    action.times_ms.append(then - now)
            if flow_actions is None:
                action.results[entry.results if entry.results is not None else ""] += 1
                continue
            if pending is not None and pending_ways is not None:
                labels = pending_ways.get(identifier)
                if labels:
                    label = (
                        labels[0]
                        if len(labels) == 1
                        else branch_taken(
                            self.ways[pending.identifier], identifier, pending_results
                        )
                    )
                    if label is not None:  # always, with labels leading there
                        pending.branches[label] += 1
            pending, pending_ways, pending_results = (
                action,
                ways_to.get(identifier),
                entry.results,
            )

    def _lambda(self, entry: FlowLogRecord, arn: str) -> None:
        name = self.names.get(arn)
        if name is None:
            name = self.names[arn] = function_name(arn)
        lambdas = self.summary.lambdas
        traffic = lambdas.get(name)
        if traffic is None:
            traffic = lambdas[name] = LambdaTraffic()
        traffic.calls += 1
        failure = lambda_failure(entry)
        if failure == "timeout":
            traffic.timeouts += 1
        elif failure == "error":
            traffic.errors += 1


def format_summary(summary: Summary) -> str:
    """The summary as tables: outcomes, queues, Lambda functions, then each action."""
    total = summary.contacts
    lines = [f"Contacts: {total}", "", "Outcome            Contacts   Share"]
    for name in OUTCOMES:
        count = summary.outcomes[name]
        lines.append(f"{name:<18} {count:>8}  {_share(count, total):>6}")
    if summary.queues:
        lines += ["", "Queue                          Contacts"]
        lines += [f"{name or '(unnamed)':<30} {n:>8}" for name, n in summary.queues.most_common()]
    if summary.lambdas:
        lines += ["", "Lambda                         Calls  Errors  Time-outs"]
        for name, t in sorted(summary.lambdas.items()):
            lines.append(f"{name:<30} {t.calls:>5}  {t.errors:>6}  {t.timeouts:>9}")
    lines += [
        "",
        "Action                         Type                        Entries  Ended  "
        "Median ms  p95 ms",
    ]
    for traffic in summary.actions.values():
        median = percentile(traffic.times_ms, 50)
        p95 = percentile(traffic.times_ms, 95)
        lines.append(
            f"{traffic.identifier[:30]:<30} {traffic.type[:27]:<27} {traffic.entries:>7}  "
            f"{traffic.ended_here:>5}  {_number(median):>9}  {_number(p95):>6}"
        )
        labels = summary.branch_labels(traffic.identifier)
        counts = traffic.branches if labels is not None else traffic.results
        taken = sum(counts.values())
        for label in labels if labels is not None else list(counts):
            shown = label if labels is not None else f"result {label or '(none)'}"
            lines.append(
                f"    {shown[:52]:<52} {counts[label]:>7}  {_share(counts[label], taken):>6}"
            )
    if summary.unreadable:
        lines += ["", f"Unreadable entries skipped: {summary.unreadable}"]
    return "\n".join(lines) + "\n"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _number(value: int | None) -> str:
    return "-" if value is None else str(value)
