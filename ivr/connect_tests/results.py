"""The outcome of running a test case offline: per observation PASSED or FAILED with the
reason, a summary shaped like GetTestCaseExecutionSummary's ObservationSummary, the LogData
values, and how the run ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from functions.privacy import mask_phone
from ivr.engine import Event

PASSED = "PASSED"
FAILED = "FAILED"
# Values read from these are caller data (numbers, PINs): shown masked on the console.
PRIVATE_PATHS = ("$.CustomerEndpoint", "$.SystemEndpoint", "$.StoredCustomerInput")


@dataclass(frozen=True)
class ObservationResult:
    identifier: str
    status: str
    reason: str = ""
    matched: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "ObservationId": self.identifier,
            "Status": self.status,
            "Reason": self.reason,
            "Matched": self.matched,
        }


@dataclass(frozen=True)
class LogEntry:
    """One LogData expression: which observation logged it, its label and value."""

    observation: str
    label: str
    value: Any
    path: str = ""

    def shown(self) -> str:
        """The value for a console line: caller data masked."""
        if self.path.startswith(PRIVATE_PATHS) and isinstance(self.value, str):
            return repr(mask_phone(self.value))
        return repr(self.value)


@dataclass(frozen=True)
class CaseResult:
    name: str
    observations: tuple[ObservationResult, ...]
    ended: str
    logs: tuple[LogEntry, ...] = ()
    problems: tuple[str, ...] = ()  # what failed the run outside any one observation
    warnings: tuple[str, ...] = ()
    events: tuple[Event, ...] = field(default=(), repr=False)

    @property
    def status(self) -> str:
        ok = not self.problems and all(o.status == PASSED for o in self.observations)
        return PASSED if ok else FAILED

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def summary(self) -> dict[str, int]:
        passed = sum(o.status == PASSED for o in self.observations)
        return {
            "Total": len(self.observations),
            "Passed": passed,
            "Failed": len(self.observations) - passed,
        }

    def observation(self, identifier: str) -> ObservationResult:
        for result in self.observations:
            if result.identifier == identifier:
                return result
        raise KeyError(f"no observation {identifier!r} in {self.name}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Status": self.status,
            "Summary": self.summary,
            "Ended": self.ended,
            "Observations": [o.to_dict() for o in self.observations],
            "Logs": [
                {"ObservationId": e.observation, "Label": e.label, "Value": e.value}
                for e in self.logs
            ],
            "Problems": list(self.problems),
            "Warnings": list(self.warnings),
        }

    def describe(self) -> str:
        summary = self.summary
        lines = [
            f"{self.name}: {self.status} ({summary['Passed']}/{summary['Total']} observations "
            f"passed; {self.ended})"
        ]
        for warning in self.warnings:
            lines.append(f"  warning: {warning}")
        for result in self.observations:
            reason = f": {result.reason}" if result.reason else ""
            lines.append(f"  {result.status:<6} {result.identifier}{reason}")
        for problem in self.problems:
            lines.append(f"  FAILED {problem}")
        for entry in self.logs:
            lines.append(f"  log [{entry.observation}] {entry.label} = {entry.shown()}")
        return "\n".join(lines)


__all__ = ["FAILED", "PASSED", "CaseResult", "LogEntry", "ObservationResult"]
