"""Reading a flow file within limits, for every command: a hostile or broken file gives one
`FlowFileError` line, never a traceback, a multi-line dump or minutes of work.

    read_flow(path)              the Flow in a file
    read_document(path)          the parsed JSON of a flow file, size and nesting checked
    parse_flow(document, source) the Flow in parsed JSON (a CreateContactFlow body unwrapped)
    check_text(data, source)     the same checks on bytes already in hand (git show, ...)
    check_actions(document, ...) the Actions count of a parsed flow
    validation_summary(exc)      a pydantic ValidationError as one short line

The nesting depth is measured without recursion (on the brackets left once strings are
removed), so JSON nested thousands deep is refused before `json.loads`, pydantic or any walk
over it could overflow the stack. Parsing a large file pauses the cyclic garbage collector:
the millions of objects a big flow makes are all kept, and each collection would traverse
them again (13 s instead of 1 for 100,000 actions).
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ivr.errors import FlowError
from ivr.flow_language import LEGACY_EXPORT_HINT, is_legacy_export
from models.flow import Flow, unwrap

__all__ = [
    "MAX_FLOW_ACTIONS",
    "MAX_FLOW_BYTES",
    "MAX_NESTING",
    "FlowFileError",
    "check_actions",
    "check_text",
    "flow_object",
    "gc_paused",
    "is_flow_document",
    "parse_flow",
    "parse_json",
    "read_document",
    "read_flow",
    "validation_summary",
]

MAX_FLOW_BYTES = 64 * 1024 * 1024  # Connect takes 256,000 characters; this is only a guard
MAX_NESTING = 64  # a flow nests about 8 deep (Actions/Transitions/Conditions/Condition/...)
MAX_FLOW_ACTIONS = 200_000  # Connect takes 250; lint says so, this only bounds the work
_MESSAGE_CHARS = 300  # of one detail quoted in a message

# Every byte but the brackets and the quote (UTF-8 never uses an ASCII byte inside a
# multi-byte character, so this is exact on any UTF-8 text).
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_STRING = re.compile(rb'"[^"]*"')
_INNERMOST = re.compile(rb"\{\}|\[\]")


class FlowFileError(FlowError):
    """A file that does not hold a readable flow; `code` is the lint finding's code. Codes in
    `FATAL` mean the file could not even be read (the command exits 2, lint included)."""

    FATAL = frozenset({"unreadable", "too-large", "too-deep", "too-many-actions", "legacy-export"})

    def __init__(self, code: str, message: str) -> None:
        super().__init__(one_line(message))
        self.code = code

    @property
    def fatal(self) -> bool:
        return self.code in self.FATAL


def one_line(text: str, limit: int = 4 * _MESSAGE_CHARS) -> str:
    """`text` on one line, cut to `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def nesting_depth(data: bytes, limit: int = MAX_NESTING) -> int:
    """How deep arrays and objects nest in JSON `data` (at most `limit` + 1: deeper is not
    measured). Iterative: each pass removes the innermost empty pairs."""
    unescaped = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Dropping two adjacent quotes first keeps every other quote's pairing (an empty string
    # goes, or two neighbouring strings become one) and leaves the regex a tenth of the work.
    quoted = unescaped.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    brackets = _STRING.sub(b"", quoted)
    depth = 0
    while brackets:
        shorter = _INNERMOST.sub(b"", brackets)  # one scan: `[{}]` is two levels, not one
        if len(shorter) == len(brackets):
            break  # unbalanced: json.loads says where
        brackets = shorter
        depth += 1
        if depth > limit:
            break
    return depth


def check_text(data: bytes, source: str) -> str:
    """`data` as text once its size, encoding and nesting pass; FlowFileError otherwise."""
    if len(data) > MAX_FLOW_BYTES:
        raise FlowFileError(
            "too-large",
            f"{source} is {len(data):,} bytes; flows are read up to {MAX_FLOW_BYTES:,} "
            "(Connect takes 256,000 characters): is this the right file?",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FlowFileError(
            "unreadable",
            f"{source} is not UTF-8 text (byte {exc.start}): save the flow as UTF-8 JSON",
        ) from exc
    if nesting_depth(data) > MAX_NESTING:
        raise FlowFileError(
            "too-deep",
            f"{source} nests arrays and objects more than {MAX_NESTING} deep; a flow nests "
            "about 8: is this the right file?",
        )
    return text


def parse_text(text: str, source: str) -> Any:
    with gc_paused():
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise FlowFileError("invalid-json", f"{source} is not valid JSON: {exc}") from exc
        except RecursionError as exc:  # not reached after check_text; a guard for other text
            raise FlowFileError("too-deep", f"{source} nests too deep to read") from exc


def read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_FLOW_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise FlowFileError("unreadable", f"cannot read flow {path}: {reason}") from exc


def read_document(path: Path, source: str | None = None) -> tuple[str, Any]:
    """The text of the flow file `path` and its parsed JSON, within the limits."""
    shown = str(path) if source is None else source
    text = check_text(read_bytes(path), shown)
    return text, parse_text(text, shown)


def check_actions(flow: Any, source: str) -> None:
    """FlowFileError when the (unwrapped) flow object has more actions than are read."""
    actions = flow.get("Actions") if isinstance(flow, dict) else None
    if isinstance(actions, list) and len(actions) > MAX_FLOW_ACTIONS:
        raise FlowFileError(
            "too-many-actions",
            f"{source} has {len(actions):,} actions; flows are read up to "
            f"{MAX_FLOW_ACTIONS:,} (Connect takes 250): split it into modules",
        )


def validation_summary(exc: ValidationError, limit: int = 3) -> str:
    """The first `limit` problems of a ValidationError on one line: `where: what`."""
    errors = exc.errors(include_url=False, include_input=False)
    parts = [
        f"{'.'.join(str(p) for p in error['loc'])[:_MESSAGE_CHARS]}: {error['msg']}"
        for error in errors[:limit]
    ]
    more = f" (and {len(errors) - limit} more)" if len(errors) > limit else ""
    return one_line("; ".join(parts) + more)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (restored as it was after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def is_flow_document(document: Any) -> bool:
    """Whether parsed JSON is a flow (or a CreateContactFlow body wrapping one)."""
    try:
        inner = _unwrap(document, "")
    except FlowFileError:
        return False
    return isinstance(inner, dict) and isinstance(inner.get("Actions"), list)


def parse_json(text: str, source: str) -> Any:
    """Parsed JSON of `text`, within the size and nesting limits."""
    return parse_text(check_text(text.encode("utf-8", "surrogatepass"), source), source)


def _unwrap(document: Any, source: str) -> Any:
    if isinstance(document, dict) and "Actions" not in document:
        content = document.get("Content")
        if isinstance(document.get("ContactFlow"), dict):
            content = document["ContactFlow"].get("Content")
        if isinstance(content, str):
            parse_json(content, f"{source} (its Content)")  # the same limits inside
    try:
        return unwrap(document)
    except (json.JSONDecodeError, TypeError, RecursionError) as exc:
        raise FlowFileError("invalid-json", f"{source}: its Content is not valid JSON") from exc


def flow_object(document: Any, source: str) -> dict[str, Any]:
    """The flow object in parsed JSON (unwrapped from a Content string), within the limits;
    its actions are not validated (`parse_flow` does that)."""
    raw = _unwrap(document, source)
    if is_legacy_export(raw):
        raise FlowFileError("legacy-export", f"{source} is {LEGACY_EXPORT_HINT}")
    if not (isinstance(raw, dict) and isinstance(raw.get("Actions"), list)):
        raise FlowFileError(
            "not-a-flow", f"{source} is not a flow: no Actions list (nor a Content string)"
        )
    check_actions(raw, source)
    return raw


def parse_flow(document: Any, source: str) -> tuple[Flow, dict[str, Any]]:
    """The flow in parsed JSON, and the flow object as it was (the unwrapped dict)."""
    raw = flow_object(document, source)
    try:
        with gc_paused():
            return Flow.model_validate(raw), raw
    except ValidationError as exc:
        raise FlowFileError(
            "invalid-flow",
            f"{source} does not match the flow language: {validation_summary(exc, 5)}",
        ) from exc


def read_flow(path: Path) -> Flow:
    """The flow in `path`, or a FlowError saying why there is none."""
    _, document = read_document(path)
    return parse_flow(document, str(path))[0]
