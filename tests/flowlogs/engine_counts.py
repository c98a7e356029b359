"""The engine's own counts for a set of simulated calls, to hold `ivr logs summary` against."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ivr.engine import ActionEntered, CallResult
from ivr.flowlogs.outcomes import ENGINE_OUTCOMES
from ivr.flowpaths import branches_in


@dataclass
class EngineCounts:
    outcomes: Counter[str] = field(default_factory=Counter)
    queues: Counter[str] = field(default_factory=Counter)
    entries: Counter[str] = field(default_factory=Counter)
    branches: Counter[tuple[str, str]] = field(default_factory=Counter)
    lambda_calls: Counter[str] = field(default_factory=Counter)
    lambda_failures: Counter[str] = field(default_factory=Counter)


def engine_counts(results: Iterable[CallResult], flow_file: str) -> EngineCounts:
    """Counts of the actions of `flow_file` (the engine's flow name) across the calls."""
    counts = EngineCounts()
    for result in results:
        counts.outcomes[ENGINE_OUTCOMES[result.outcome.type]] += 1
        if result.outcome.type == "queue":
            counts.queues[result.outcome.queue or ""] += 1
        for identifier, label in branches_in(result, flow_file):
            counts.branches[(identifier, label)] += 1
        for event in result.events:
            if isinstance(event, ActionEntered) and event.flow == flow_file:
                counts.entries[event.identifier] += 1
        for call in result.lambda_calls:
            counts.lambda_calls[call.function] += 1
            if call.error is not None:
                counts.lambda_failures[call.function] += 1
    return counts
