"""Reading a flow file: JSON, a CreateContactFlow body unwrapped, then the flow model.

Each failure is a `FlowFileError` whose `code` lint reports as a finding and whose message the
other commands print as is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ivr.errors import FlowError
from models.flow import Flow, unwrap


class FlowFileError(FlowError):
    """A file that does not hold a readable flow; `code` is the lint finding's code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def is_flow_document(document: Any) -> bool:
    """Whether parsed JSON is a flow (or a CreateContactFlow body wrapping one)."""
    try:
        inner = unwrap(document)
    except (json.JSONDecodeError, TypeError):
        return False
    return isinstance(inner, dict) and isinstance(inner.get("Actions"), list)


def parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FlowFileError("invalid-json", f"{source} is not valid JSON: {exc}") from exc


def parse_flow(document: Any, source: str) -> tuple[Flow, dict[str, Any]]:
    """The flow in parsed JSON, and the flow object as it was (the unwrapped dict)."""
    if not is_flow_document(document):
        raise FlowFileError(
            "not-a-flow", f"{source} is not a flow: no Actions list (nor a Content string)"
        )
    raw = unwrap(document)
    try:
        return Flow.model_validate(raw), raw
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise FlowFileError(
            "invalid-flow", f"{source} does not match the flow language: {details}"
        ) from exc


def read_flow(path: Path) -> Flow:
    """The flow in `path`, or a FlowError saying why there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FlowFileError("unreadable", f"cannot read {path}: {exc}") from exc
    return parse_flow(parse_json(text, str(path)), str(path))[0]
