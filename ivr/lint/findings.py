"""A lint finding: what is wrong, where, and how bad."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, init=False)
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

    def __init__(
        self, severity: Severity, code: str, identifier: str, message: str, path: str = ""
    ) -> None:
        # Frozen all the same, but filled in one dict update: the generated __init__ sets each
        # field through object.__setattr__ (~0.7 us a finding; a 100,000-action flow has
        # 100,000 findings, each made twice: by its rule, then stamped with its file).
        self.__dict__.update(
            severity=severity, code=code, identifier=identifier, message=message, path=path
        )

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
