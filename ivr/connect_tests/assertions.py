"""Assert actions (Check blocks): compare a value of the contact with an expected one.

`Equals` is the one operator seen in AWS text; the others follow the third-party list
(connect-testing.md 4.3, UNVERIFIED): TextStartsWith, TextEndsWith, TextContains, the four
Number* comparisons (false when either side is not a number, as in the flow language) and
Exists (the value is present; Operand "false" asks for it to be absent, also UNVERIFIED).
Values compare as text, the way Connect prints them: JSON leaves become strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from functions.privacy import mask_phone
from ivr.connect_tests.contact import ContactMirror, Unavailable
from ivr.connect_tests.results import PRIVATE_PATHS
from ivr.engine.conditions import OPERATORS as TEXT_OPERATORS
from models.event import as_text

# The flow language's own Compare operators: an Assert compares as a Compare block does.
OPERATORS = frozenset({*TEXT_OPERATORS, "Exists"})


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
