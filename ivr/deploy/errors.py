"""Errors of `ivr deploy` and `ivr export`, all DeployError so the CLI prints them and exits 2.

DeployError (ivr.errors)
├── ManifestError           contact_flows/manifest.json missing, unreadable or inconsistent
├── ValuesError             the values file or the stack outputs can't be read
├── UnresolvedPlaceholders  flows name `${...}` values nobody supplied (lists each, per flow)
├── LintFailed              the linter found errors; nothing was deployed
└── ContentRejected         Connect refused a flow's content (InvalidContactFlowException)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ivr.errors import DeployError


class ManifestError(DeployError):
    """The manifest is missing, malformed or names a flow file that isn't there."""


class ValuesError(DeployError):
    """The environment's values (values file, stack outputs, instance) can't be determined."""


class UnresolvedPlaceholders(DeployError):
    """Placeholders without a value; `missing` maps flow name -> sorted placeholder names."""

    def __init__(self, missing: Mapping[str, Collection[str]]) -> None:
        self.missing = {flow: sorted(names) for flow, names in missing.items()}
        lines = [
            f"  {flow}: {', '.join('${' + n + '}' for n in names)}"
            for flow, names in sorted(self.missing.items())
        ]
        super().__init__(
            "placeholders without a value (add them to the values file, or to the stack's "
            "outputs):\n" + "\n".join(lines)
        )


class LintFailed(DeployError):
    """Lint errors stop a deploy; `findings` holds every finding (errors and warnings)."""

    def __init__(self, findings: Sequence[Any]) -> None:
        self.findings = list(findings)
        errors = [f for f in self.findings if f.severity == "error"]
        lines = [f"  {f.path}: {f.code} {f.identifier}: {f.message}" for f in errors]
        super().__init__(
            f"lint found {len(errors)} error(s); fix them and deploy again:\n" + "\n".join(lines)
        )


class ContentRejected(DeployError):
    """Connect's InvalidContactFlow(Module)Exception, with its `problems` messages."""

    def __init__(self, flow: str, problems: Sequence[str], detail: str = "") -> None:
        self.flow = flow
        self.problems = list(problems)
        listed = "\n".join(f"  - {p}" for p in self.problems) or f"  - {detail or 'no detail'}"
        super().__init__(f"Connect rejected the content of {flow}; fix the flow:\n{listed}")
