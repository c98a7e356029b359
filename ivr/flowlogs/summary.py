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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from operator import sub
from pathlib import Path
from typing import Any, cast

from ivr.coverage import FlowShape
from ivr.engine.lambdas import function_name
from ivr.flowfile import gc_paused
from ivr.flowlogs.contacts import LoggedContact, contacts
from ivr.flowlogs.outcomes import OUTCOMES, branch_taken, ending, final_index, lambda_failure
from ivr.flowlogs.reader import ReadReport, read_flow_log_chunks
from ivr.flowlogs.records import FlowLogRecord, timestamps_ms


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
    adder.finish()
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
        records = chain.from_iterable(read_flow_log_chunks(paths, report))
        return summarize(contacts(records), shape, flow_name)


def in_flow(entry: FlowLogRecord, shape: FlowShape, flow_name: str) -> bool:
    """Whether `entry` is one of the flow's (an entry naming no flow is taken as one)."""
    if entry.identifier not in shape.actions:
        return False
    if not entry.flow_name and not entry.flow_id:
        return True
    return entry.flow_name == flow_name or entry.flow_id.endswith("/" + flow_name)


class _Adder:
    """Adds contacts to a summary, a contact's columns at a time (its identifiers, timestamps,
    results, ... as zip(*entries) gives them) in C loops where it can: this runs for every log
    line. Entries, endings and the steps from one action to the next are counted by key here
    and given to the actions, labelled, by finish(): a branch label is found once per distinct
    step (action, next action, Results), not once per line."""

    def __init__(self, summary: Summary, shape: FlowShape | None, flow_name: str) -> None:
        self.summary, self.shape, self.flow_name = summary, shape, flow_name
        self.suffix = "/" + flow_name
        self.flow_actions = shape.actions if shape is not None else None
        # Identifier -> its branches in the flow's order, and target -> the labels leading there.
        self.ways: dict[str, list[tuple[str, str]]] = {}
        self.ways_to: dict[str, dict[str, list[str]]] = {}
        if shape is not None:
            for branch in shape.branches:
                self.ways.setdefault(branch.identifier, []).append((branch.label, branch.target))
                targets = self.ways_to.setdefault(branch.identifier, {})
                targets.setdefault(branch.target, []).append(branch.label)
        self.names: dict[str, str] = {}  # FunctionArn -> function name
        # An action's key -> its traffic: with a flow its Identifier (the summary's key is
        # ("", Identifier)), without one (ContactFlowName, Identifier) as in the summary.
        self.traffic: dict[Any, ActionTraffic] = {} if shape is not None else summary.actions
        self.ended: Counter[Any] = Counter()  # action key -> contacts that left there
        # With a flow: (Identifier, the Identifier of the contact's next entry in the flow or
        # None, Results) -> entries. Without one: (action key, Results) -> entries.
        self.steps: Counter[tuple[str, str | None, str | None]] = Counter()
        self.results: Counter[tuple[Any, str | None]] = Counter()

    def add(self, contact: LoggedContact) -> None:
        entries = contact.entries
        if not entries:
            return
        summary = self.summary
        summary.contacts += 1
        final = final_index(entries)
        end = ending(entries[final])
        summary.outcomes[end.outcome] += 1
        if end.outcome == "queue":
            summary.queues[end.detail] += 1
        _, flow_ids, names, types, identifiers, stamps, parameters, results, _ = zip(
            *entries, strict=True
        )
        for index, parameter in enumerate(parameters):
            if parameter and "FunctionArn" in parameter:
                self._lambda(entries[index], str(parameter["FunctionArn"]))

        # Which entries are the flow's (with a flow: in_flow(), by columns), and their keys.
        flow_actions, flow_name, count = self.flow_actions, self.flow_name, len(entries)
        kept: Sequence[int]
        keys: Sequence[Any]
        if flow_actions is None:
            kept, keys = range(count), list(zip(names, identifiers, strict=True))
        elif names.count(flow_name) == count and all(map(flow_actions.__contains__, identifiers)):
            kept, keys = range(count), identifiers  # the usual contact: all in the flow
        else:
            suffix = self.suffix
            kept = [
                index
                for index in range(count)
                if identifiers[index] in flow_actions
                and (
                    names[index] == flow_name
                    or not (names[index] or flow_ids[index])
                    or flow_ids[index].endswith(suffix)
                )
            ]
            keys = [identifiers[index] for index in kept]
        if not keys:
            return
        traffic = self.traffic
        if not all(map(traffic.__contains__, keys)):
            for index, key in zip(kept, keys, strict=True):
                if key not in traffic:
                    traffic[key] = ActionTraffic(names[index], identifiers[index], types[index])
                    if flow_actions is not None:
                        summary.actions[("", key)] = traffic[key]
        if len(kept) == count:
            self.ended[keys[final]] += 1
            kept_results: Sequence[str | None] = results
        else:
            if final in kept:
                self.ended[identifiers[final]] += 1
            kept_results = [results[index] for index in kept]
        if flow_actions is None:
            self.results.update(zip(keys, kept_results, strict=True))
        else:
            self.steps.update(zip(keys, chain(keys[1:], (None,)), kept_results, strict=True))

        # Time from each of the flow's entries to the contact's next entry.
        times = timestamps_ms(stamps)
        spans: list[int | None]
        try:
            spans = list(map(sub, times[1:], times))
            read_all = True
        except TypeError:  # a timestamp could not be read
            spans = [
                then - now if now is not None and then is not None else None
                for now, then in pairwise(times)
            ]
            read_all = False
        if read_all and len(kept) == count:
            for key, span in zip(keys, cast("list[int]", spans), strict=False):  # but the last
                traffic[key].times_ms.append(span)
        else:
            for index, key in zip(kept, keys, strict=True):
                if index < count - 1 and (known := spans[index]) is not None:
                    traffic[key].times_ms.append(known)

    def finish(self) -> None:
        """Hands the counts to the actions."""
        traffic = self.traffic
        for key, count in self.ended.items():
            traffic[key].ended_here += count
        for (key, results), count in self.results.items():
            traffic[key].entries += count
            traffic[key].results[results if results is not None else ""] += count
        ways_to = self.ways_to
        for (identifier, following, results), count in self.steps.items():
            traffic[identifier].entries += count
            if following is None:
                continue  # the contact's last entry in the flow
            labels = ways_to.get(identifier, {}).get(following)
            if labels:
                label = (
                    labels[0]
                    if len(labels) == 1
                    else branch_taken(self.ways[identifier], following, results)
                )
                if label is not None:  # always, with labels leading there
                    traffic[identifier].branches[label] += count

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
