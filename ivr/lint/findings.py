"""A lint finding: what is wrong, where, and how bad."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem in a flow.

    `code` is a short kebab-case id (`dangling-next-action`), stable for scripts and tests;
    `identifier` is the action's Identifier, "" for the flow as a whole; `path` the file,
    "" when the flow did not come from one.
    """

    severity: Severity
    code: str
    identifier: str
    message: str
    path: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, str]:
        # Not dataclasses.asdict: it deep-copies every field (seconds on 100,000 findings).
        return {
            "severity": self.severity,
            "code": self.code,
            "identifier": self.identifier,
            "message": self.message,
            "path": self.path,
        }

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.severity} [{self.code}] {self.message}"


def error(code: str, identifier: str, message: str) -> Finding:
    return Finding("error", code, identifier, message)


def warning(code: str, identifier: str, message: str) -> Finding:
    return Finding("warning", code, identifier, message)
