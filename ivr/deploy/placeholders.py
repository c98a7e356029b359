"""`${Name}` placeholders in flow JSON: find them, fill them in, and put them back.

Two kinds:
  `${Name}`            a value of the environment (stack output or values file), e.g.
                       `${IdentifyCallerFunctionArn}`; the name syntax is ivr.template's.
  `${Flow:<name>}`     the ARN of another flow of the manifest (`${Module:<name>}` for a
                       module), known once deploy has found or created it.

Substitution walks the JSON strings (never the raw text), so a value can't break the JSON.
The inverse only knows ARNs: a value is turned back into its placeholder where an ARN equals
it, which is what makes `ivr export` give back the file deploy read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ivr.template import PLACEHOLDER as VALUE_PLACEHOLDER

FLOW_KINDS = ("Flow", "Module")
# ivr.template's `${Name}` pattern (the one the linter knows), widened with `${Flow:<name>}`.
_VALUE_NAME = VALUE_PLACEHOLDER.pattern.removeprefix(r"\$\{").removesuffix(r"\}")
PLACEHOLDER = re.compile(r"\$\{(?:(?P<kind>Flow|Module):(?P<flow>[^{}]+)|" + _VALUE_NAME + r")\}")


# A character that could continue an ARN: a match next to one is part of a longer ARN.
_ARN_CHAR = r"[A-Za-z0-9:/._\-]"


def flow_key(kind: str, name: str) -> str:
    """The key a managed flow's ARN has among the values: 'Flow:<name>' or 'Module:<name>'."""
    return f"{kind}:{name}"


def _key(match: re.Match[str]) -> str:
    return flow_key(match["kind"], match["flow"]) if match["kind"] else match["name"]


def _strings(document: Any) -> Iterator[str]:
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for value in document.values():
            yield from _strings(value)
    elif isinstance(document, list):
        for item in document:
            yield from _strings(item)


def _map_strings(document: Any, change: Callable[[str], str]) -> Any:
    if isinstance(document, str):
        return change(document)
    if isinstance(document, dict):
        return {key: _map_strings(value, change) for key, value in document.items()}
    if isinstance(document, list):
        return [_map_strings(item, change) for item in document]
    return document


def placeholders_in(document: Any) -> set[str]:
    """Every placeholder key used: 'CustomerQueueArn', 'Flow:ivr-transfer', ..."""
    return {_key(m) for text in _strings(document) for m in PLACEHOLDER.finditer(text)}


def flow_references(document: Any) -> set[tuple[str, str]]:
    """The managed flows a flow refers to, as (kind, name): its deploy dependencies."""
    found = set()
    for text in _strings(document):
        for match in PLACEHOLDER.finditer(text):
            if match["kind"]:
                found.add((match["kind"], match["flow"]))
    return found


def substitute(document: Any, values: Mapping[str, str]) -> tuple[Any, set[str]]:
    """The document with every known placeholder replaced, and the keys that had no value."""
    missing: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        key = _key(match)
        if key in values:
            return values[key]
        missing.add(key)
        return match[0]

    return _map_strings(document, lambda text: PLACEHOLDER.sub(fill, text)), missing


def restore(document: Any, values: Mapping[str, str]) -> Any:
    """Inverse of `substitute` for ARN values: each ARN found becomes `${key}` again.

    Only a whole ARN is restored, never the start of a longer one (the instance ARN inside a
    queue ARN stays as it is). When two keys share an ARN, flows win over plain values, then
    the alphabetically first key."""
    by_arn: dict[str, str] = {}
    for key in sorted(values, key=lambda k: (k.split(":", 1)[0] not in FLOW_KINDS, k)):
        arn = values[key]
        if arn.startswith("arn:"):
            by_arn.setdefault(arn, key)
    if not by_arn:
        return document
    arns = "|".join(re.escape(a) for a in sorted(by_arn, key=len, reverse=True))
    pattern = re.compile(rf"(?<!{_ARN_CHAR})(?:{arns})(?!{_ARN_CHAR})")
    return _map_strings(
        document, lambda text: pattern.sub(lambda m: "${" + by_arn[m[0]] + "}", text)
    )
