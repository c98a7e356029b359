"""`ivr lint`: what Connect would reject on import (errors) and what would hurt callers
(warnings), plus the contract between each flow and the functions it invokes.

    lint_flow(flow, raw=..., source=..., template=...)   one loaded flow
    lint_paths([path, ...], template=...)                files, or folders of *.json flows

Rules live one concern per module (structure, parameters, placeholders, callers, contract);
each yields `Finding`s, which this module stamps with the file they concern.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ivr.errors import ToolkitError
from ivr.flow_language import is_legacy_export
from ivr.flowfile import flow_object, gc_paused, read_document
from ivr.lint import callers, contract, parameters, placeholders, structure
from ivr.lint.context import LintContext
from ivr.lint.findings import Finding, Severity
from ivr.lint.loading import FlowFileError, is_flow_document, parse_flow, read_flow
from models.flow import Flow

__all__ = [
    "Finding",
    "FlowFileError",
    "Severity",
    "is_flow_document",
    "lint_flow",
    "lint_paths",
    "read_flow",
]

_RULES = (structure, parameters, placeholders, callers, contract)


def lint_flow(
    flow: Flow,
    *,
    raw: dict[str, Any] | None = None,
    content_chars: int | None = None,
    source: Path | None = None,
    template: Path | None = None,
) -> list[Finding]:
    """Every finding for `flow`, errors and warnings in rule order.

    `raw` is the flow's JSON as read (used to measure its size; by default the model is
    serialized), `content_chars` the exact length of the Content string if the caller built
    it, `source` the file (to find template.yaml upward from it), `template` overrides that.
    """
    ctx = LintContext(flow, raw, content_chars, source, template)
    path = str(source) if source is not None else ""
    # A new Finding, not dataclasses.replace: that one inspects the fields for every finding
    # (~1 s on 100,000).
    return [
        Finding(f.severity, f.code, f.identifier, f.message, path)
        for rule in _RULES
        for f in rule.check(ctx)
    ]


def lint_paths(paths: Sequence[Path], *, template: Path | None = None) -> list[Finding]:
    """Lint files and folders. A folder gives every *.json flow under it; JSON that is not a
    flow (contact_flows/manifest.json) is skipped there, but reported when named directly."""
    findings: list[Finding] = []
    with gc_paused():  # every object made here lives until the report is printed
        for path in paths:
            findings.extend(_lint_path(Path(path), template))
    return findings


def _lint_path(path: Path, template: Path | None) -> list[Finding]:
    if path.is_dir():
        findings: list[Finding] = []
        flows = 0
        for file in _json_files(path):
            found = _lint_file(file, template, named=False)
            if found is not None:
                flows += 1
                findings.extend(found)
        if not flows:
            raise ToolkitError(
                f"{path}: no flow found in it (no *.json holding a Flow language flow)"
            )
        return findings
    if path.is_file():
        return _lint_file(path, template, named=True) or []
    raise ToolkitError(f"{path}: no such file or folder")


def _json_files(folder: Path) -> Iterator[Path]:
    for file in sorted(folder.rglob("*.json")):
        if not any(part.startswith(".") for part in file.relative_to(folder).parts):
            yield file


def _lint_file(path: Path, template: Path | None, *, named: bool) -> list[Finding] | None:
    """The findings of one file (None: in a folder, JSON that is not a flow); a file that
    can't be read at all, is past the limits of `ivr.flowfile` or is a legacy console export
    raises its FlowFileError: the command exits 2."""
    try:
        _, document = read_document(path)
        if not named and not is_flow_document(document):
            if is_legacy_export(document):
                flow_object(document, str(path))  # raises the legacy-export error
            return None
        flow, raw = parse_flow(document, str(path))
    except FlowFileError as exc:
        if exc.fatal:
            raise
        return [Finding("error", exc.code, "", str(exc), str(path))]
    return lint_flow(flow, raw=raw, source=path, template=template)
