"""JSONPath in flow parameters, compiled once: `$.Attributes.x`, `$.Attributes.['x y']`,
`$.External.a.b`, and text with paths inside it ("Hello $.Attributes.firstName").

A parameter is compiled when its flow is compiled into a `Value` (static text, one path, or
text with paths); running a block only walks the pre-split segments. Unknown paths resolve to
"" the way Connect prints nothing for them. See connect.md sections 2.2 and 2.4.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ivr.engine.contact import Contact, namespace_reader
from models.event import as_text

# Unquoted segments are ASCII names: attribute keys in Connect are letters, digits, `-` and
# `_` (UpdateContactAttributes API), so in "$.External.firstName様、" the path ends before 様
# (UNVERIFIED how Connect's own interpolation reads it; this is the reading that speaks the name).
_SEGMENT = r"(?:\.?\['[^']*'\]|\.[\w-]+)"
PATH_IN_TEXT = re.compile(r"\$(?:\.[\w-]+|\.?\['[^']*'\])" + _SEGMENT + "*", re.ASCII)
_SEGMENTS = re.compile(r"\.?\['(?P<quoted>[^']*)'\]|\.(?P<plain>[\w-]+)", re.ASCII)


@dataclass(frozen=True, slots=True)
class Static:
    text: str

    def resolve(self, contact: Contact) -> Any:
        return self.text

    def text_in(self, contact: Contact) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Path:
    source: str
    segments: tuple[str, ...]
    # Filled in __post_init__: the namespace reader and the segments below it, so a read is a
    # function call and a few dict lookups.
    read: Callable[[Contact], Any] = field(init=False, repr=False, compare=False)
    rest: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "read", namespace_reader(self.segments[0]))
        object.__setattr__(self, "rest", self.segments[1:])

    def resolve(self, contact: Contact) -> Any:
        value = self.read(contact)
        for segment in self.rest:
            if isinstance(value, dict):
                value = value.get(segment)
            elif isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
                value = value[int(segment)]
            else:
                return None
        return value

    def text_in(self, contact: Contact) -> str:
        value = self.resolve(contact)
        return value if type(value) is str else as_text(value)


@dataclass(frozen=True, slots=True)
class Interpolated:
    parts: tuple[Static | Path, ...]

    def resolve(self, contact: Contact) -> Any:
        return self.text_in(contact)

    def text_in(self, contact: Contact) -> str:
        return "".join([part.text_in(contact) for part in self.parts])


Value = Static | Path | Interpolated


def parse_path(source: str) -> Path:
    """`$.Attributes.['a b'].c` -> Path(("Attributes", "a b", "c"))."""
    segments = tuple(
        m["quoted"] if m["quoted"] is not None else m["plain"]
        for m in _SEGMENTS.finditer(source, 1)
    )
    return Path(source, segments or ("",))


def compile_value(raw: Any) -> Value:
    """A parameter value as Connect exports it (a string) ready to resolve."""
    text = raw if isinstance(raw, str) else as_text(raw)
    if "$" not in text:
        return Static(text)
    if PATH_IN_TEXT.fullmatch(text):
        return parse_path(text)
    parts: list[Static | Path] = []
    last = 0
    for match in PATH_IN_TEXT.finditer(text):
        if match.start() > last:
            parts.append(Static(text[last : match.start()]))
        parts.append(parse_path(match.group()))
        last = match.end()
    if last < len(text):
        parts.append(Static(text[last:]))
    return Interpolated(tuple(parts)) if len(parts) > 1 else parts[0]


def compile_tree(raw: Any) -> Any:
    """Every string inside a parameters object compiled; shape kept."""
    if isinstance(raw, dict):
        return {key: compile_tree(value) for key, value in raw.items()}
    if isinstance(raw, list):
        return [compile_tree(item) for item in raw]
    return compile_value(raw)
