"""Block coverage: which actions and which branches of each flow simulated calls exercised.

A branch is one transition out of an action, labelled as `models.flow.Transitions.targets()`
labels it ('next', 'condition:<op> <operand>', 'error:<ErrorType>'); the engine's BranchTaken
events carry the same labels. `CoverageCollector` reads only the engine's event stream
(ActionEntered, BranchTaken), keyed by flow file, and merges any number of calls:

    collector = CoverageCollector()
    simulator.call(inputs=["1"], listener=collector.listener("contact_flows/main.json"))
    print(format_report(collector.report()))

`recording(collector)` records every `Simulator.call` made while it is active (the pytest
option `--flow-coverage` uses it): the engine has no global hook, so it wraps `Simulator.call`
and passes a listener, keeping the caller's own listener.

The percentage a `--fail-under` threshold reads counts actions and branches together (as
coverage.py's branch mode counts statements and branches).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivr.engine import ActionEntered, BranchTaken, Event, Simulator
from ivr.errors import FlowError
from models.flow import Flow

_ENTERED_FLOW = "flow:"  # BranchTaken label of a move into another flow: not a Transitions entry


@dataclass(frozen=True)
class Branch:
    identifier: str
    label: str
    target: str


@dataclass(frozen=True)
class FlowShape:
    """What there is to cover in one flow: its actions (Identifier -> Type) and branches."""

    path: Path
    actions: dict[str, str]
    branches: tuple[Branch, ...]

    @classmethod
    def load(cls, path: Path) -> FlowShape:
        try:
            flow = Flow.load(path)
        except (OSError, ValueError) as exc:
            raise FlowError(f"cannot read flow {path} for coverage: {exc}") from exc
        branches: dict[tuple[str, str], Branch] = {}
        for action in flow.actions:
            for label, target in action.transitions.targets():
                # A repeated error entry is one branch (the engine follows the first).
                branches.setdefault(
                    (action.identifier, label), Branch(action.identifier, label, target)
                )
        return cls(path, {a.identifier: a.type for a in flow.actions}, tuple(branches.values()))


@dataclass
class FlowCoverage:
    shape: FlowShape
    actions_hit: set[str] = field(default_factory=set)
    branches_hit: set[tuple[str, str]] = field(default_factory=set)

    @property
    def uncovered_actions(self) -> list[tuple[str, str]]:
        return [(i, t) for i, t in self.shape.actions.items() if i not in self.actions_hit]

    @property
    def uncovered_branches(self) -> list[Branch]:
        return [b for b in self.shape.branches if (b.identifier, b.label) not in self.branches_hit]

    @property
    def actions_covered(self) -> int:
        return len(self.shape.actions) - len(self.uncovered_actions)

    @property
    def branches_covered(self) -> int:
        return len(self.shape.branches) - len(self.uncovered_branches)

    @property
    def total(self) -> int:
        return len(self.shape.actions) + len(self.shape.branches)

    @property
    def covered(self) -> int:
        return self.actions_covered + self.branches_covered

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow": str(self.shape.path),
            "actions": {
                "covered": self.actions_covered,
                "total": len(self.shape.actions),
                "uncovered": [{"identifier": i, "type": t} for i, t in self.uncovered_actions],
            },
            "branches": {
                "covered": self.branches_covered,
                "total": len(self.shape.branches),
                "uncovered": [
                    {"identifier": b.identifier, "label": b.label, "target": b.target}
                    for b in self.uncovered_branches
                ],
            },
            "percent": round(self.percent, 2),
        }


@dataclass(frozen=True)
class CoverageReport:
    flows: tuple[FlowCoverage, ...]

    @property
    def percent(self) -> float:
        total = sum(f.total for f in self.flows)
        return 100.0 * sum(f.covered for f in self.flows) / total if total else 100.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "flows": [f.to_dict() for f in self.flows],
            "percent": round(self.percent, 2),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


class CoverageCollector:
    """Actions and branches hit, per flow file, merged over every call recorded."""

    def __init__(self) -> None:
        self._flows: dict[Path, FlowCoverage] = {}

    def add_flow(self, path: str | Path) -> FlowCoverage:
        """Report `path` even if no call enters it (0 covered)."""
        resolved = Path(path).resolve()
        if resolved not in self._flows:
            self._flows[resolved] = FlowCoverage(FlowShape.load(resolved))
        return self._flows[resolved]

    def listener(self, entry_flow: str | Path) -> Callable[[Event], None]:
        """A listener for one call that starts in `entry_flow`. Other flows the call moves into
        are found by name beside it (the engine names a flow by its file name)."""
        entry = Path(entry_flow).resolve()
        by_name: dict[str, FlowCoverage | None] = {entry.name: self.add_flow(entry)}
        visited: list[FlowCoverage] = []

        def flow_named(name: str) -> FlowCoverage | None:
            if name not in by_name:
                candidate = entry.parent / name
                by_name[name] = self.add_flow(candidate) if candidate.is_file() else None
            return by_name[name]

        def record(event: Event) -> None:
            if isinstance(event, ActionEntered):
                coverage = flow_named(event.flow)
                if coverage is not None:
                    coverage.actions_hit.add(event.identifier)
                    if not visited or visited[-1] is not coverage:
                        visited.append(coverage)
            elif isinstance(event, BranchTaken) and not event.branch.startswith(_ENTERED_FLOW):
                # A module's return resumes in the flow that invoked it: the most recent flow
                # visited that has this action (Identifiers are unique in practice).
                for coverage in reversed(visited):
                    if event.identifier in coverage.shape.actions:
                        coverage.branches_hit.add((event.identifier, event.branch))
                        break

        return record

    def record(self, entry_flow: str | Path, events: tuple[Event, ...] | list[Event]) -> None:
        """Record a finished call from its events (e.g. `CallResult.events`)."""
        listen = self.listener(entry_flow)
        for event in events:
            listen(event)

    def merge(self, other: CoverageCollector) -> None:
        for path, theirs in other._flows.items():
            ours = self._flows.setdefault(path, FlowCoverage(theirs.shape))
            ours.actions_hit |= theirs.actions_hit
            ours.branches_hit |= theirs.branches_hit

    def report(self) -> CoverageReport:
        return CoverageReport(tuple(self._flows[p] for p in sorted(self._flows)))


@contextlib.contextmanager
def recording(collector: CoverageCollector) -> Iterator[CoverageCollector]:
    """Record every `Simulator.call` made inside the block into `collector`.

    The engine offers no global hook, so this wraps `Simulator.call` for the duration (the
    cleaner hook: a module-level listener registry the engine consults on each call)."""
    original = Simulator.call

    def call(self: Simulator, *args: Any, listener: Any = None, **kwargs: Any) -> Any:
        record = collector.listener(self.flow.path or self.flow.name)

        def both(event: Event) -> None:
            record(event)
            if listener is not None:
                listener(event)

        return original(self, *args, listener=both, **kwargs)

    Simulator.call = call  # type: ignore[method-assign]
    try:
        yield collector
    finally:
        Simulator.call = original  # type: ignore[method-assign]


def format_report(report: CoverageReport, *, relative_to: Path | None = None) -> str:
    """The per-flow table, each flow followed by what it left uncovered."""
    base = relative_to or Path.cwd()
    rows = []
    for coverage in report.flows:
        path = coverage.shape.path
        shown = path.relative_to(base) if path.is_relative_to(base) else path
        rows.append((coverage, str(shown)))
    width = max([len("Flow"), *(len(name) for _, name in rows)])
    lines = [f"{'Flow':<{width}}  {'Actions':>9}  {'Branches':>9}  {'Cover':>6}"]
    for coverage, name in rows:
        actions = f"{coverage.actions_covered}/{len(coverage.shape.actions)}"
        branches = f"{coverage.branches_covered}/{len(coverage.shape.branches)}"
        lines.append(f"{name:<{width}}  {actions:>9}  {branches:>9}  {coverage.percent:5.1f}%")
        for identifier, type_ in coverage.uncovered_actions:
            lines.append(f"    action not run:  {identifier} ({type_})")
        for branch in coverage.uncovered_branches:
            lines.append(
                f"    branch not taken: {branch.identifier} {branch.label} -> {branch.target}"
            )
    lines.append(f"{'TOTAL':<{width}}  {'':>9}  {'':>9}  {report.percent:5.1f}%")
    return "\n".join(lines)


__all__ = [
    "Branch",
    "CoverageCollector",
    "CoverageReport",
    "FlowCoverage",
    "FlowShape",
    "format_report",
    "recording",
]
