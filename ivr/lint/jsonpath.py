"""Finding the JSONPath references (`$.External.status`) inside flow parameter values.

Connect interpolates `$.Namespace.key` inside "static or dynamic" text ("Hello
$.External.givenName.") and takes a whole value as one path elsewhere; either way the first
segment names the namespace. Owners' own templating (`${REGION}`) is not JSONPath: a `$`
followed by `{` never matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# `$.Name` or `$['Name']`, the namespace being the first segment.
_REFERENCE = re.compile(r"\$(?:\.|\[')(?P<namespace>[A-Za-z_][A-Za-z0-9_]*)")
# A key of the last Lambda's answer: STRING_MAP keys are [A-Za-z0-9_-].
_EXTERNAL_KEY = re.compile(r"\$\.External(?:\.(?P<dot>[A-Za-z0-9_-]+)|\['(?P<bracket>[^']+)'\])")


def strings_in(value: Any) -> Iterator[str]:
    """Every string value inside a parameter value (map keys are names, not read)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            # Most values are text: no nested generator for them (lint walks every
            # action's parameters several times; 100,000 actions made this a second).
            if type(item) is str:
                yield item
            else:
                yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            if type(item) is str:
                yield item
            else:
                yield from strings_in(item)


def namespaces(text: str) -> Iterator[str]:
    for match in _REFERENCE.finditer(text):
        yield match["namespace"]


def external_keys(text: str) -> Iterator[str]:
    """The keys of `$.External` a value reads."""
    for match in _EXTERNAL_KEY.finditer(text):
        yield match["dot"] or match["bracket"]
