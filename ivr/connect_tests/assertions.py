"""Assert actions (Check blocks): compare a value of the contact with an expected one.

`Equals` is the one operator seen in AWS text; the others follow the third-party list
(connect-testing.md 4.3, UNVERIFIED): TextStartsWith, TextEndsWith, TextContains, the four
Number* comparisons (false when either side is not a number, as in the flow language) and
Exists (the value is present; Operand "false" asks for it to be absent, also UNVERIFIED).
Values compare as text, the way Connect prints them: JSON leaves become strings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from functions.privacy import mask_phone
from ivr.connect_tests.contact import ContactMirror, Unavailable
from ivr.connect_tests.results import PRIVATE_PATHS


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _numeric(test: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def compare(actual: str, expected: str) -> bool:
        a, b = _number(actual), _number(expected)
        return a is not None and b is not None and test(a, b)

    return compare


TEXT_OPERATORS: dict[str, Callable[[str, str], bool]] = {
    "Equals": lambda a, b: a == b,
    "TextStartsWith": lambda a, b: a.startswith(b),
    "TextEndsWith": lambda a, b: a.endswith(b),
    "TextContains": lambda a, b: b in a,
    "NumberGreaterThan": _numeric(lambda a, b: a > b),
    "NumberGreaterOrEqualTo": _numeric(lambda a, b: a >= b),
    "NumberLessThan": _numeric(lambda a, b: a < b),
    "NumberLessOrEqualTo": _numeric(lambda a, b: a <= b),
}
OPERATORS = frozenset({*TEXT_OPERATORS, "Exists"})


def as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def evaluate(mirror: ContactMirror, parameters: Mapping[str, Any]) -> str | None:
    """None when the assertion holds, else why it does not (expected vs actual)."""
    namespace = str(parameters.get("Namespace", ""))
    operator = str(parameters.get("Operator", ""))
    operand = parameters.get("Operand")
    if operator not in OPERATORS:
        return f"operator {operator!r} is not one of {', '.join(sorted(OPERATORS))}"
    try:
        actual = mirror.resolve(namespace)
    except (Unavailable, ValueError) as exc:
        return f"{namespace}: {exc}"
    if operator == "Exists":
        wanted = as_text(operand).lower() != "false" if operand is not None else True
        if (actual is not None) == wanted:
            return None
        state = "absent" if actual is None else f"present ({_shown(namespace, actual)})"
        return f"expected {namespace} {'to exist' if wanted else 'to be absent'}, it is {state}"
    expected = as_text(operand) if operand is not None else ""
    if actual is not None and TEXT_OPERATORS[operator](as_text(actual), expected):
        return None
    return (
        f"expected {namespace} {operator} {_shown(namespace, expected)}, "
        f"actual {'(absent)' if actual is None else _shown(namespace, actual)}"
    )


def _shown(namespace: str, value: Any) -> str:
    text = as_text(value)
    if namespace.startswith(PRIVATE_PATHS):
        return repr(mask_phone(text))
    return repr(text)


__all__ = ["OPERATORS", "as_text", "evaluate"]
