"""Condition operators of Compare and the branching blocks (connect.md 2.2).

Numeric operators are false when either side is not a number, so a caller who typed nothing
(or "Timeout") never lands in a numeric branch by accident.
"""

from __future__ import annotations

import math
from collections.abc import Callable


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _numeric(test: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def compare(value: str, operand: str) -> bool:
        left, right = _number(value), _number(operand)
        return left is not None and right is not None and test(left, right)

    return compare


OPERATORS: dict[str, Callable[[str, str], bool]] = {
    "Equals": lambda value, operand: value == operand,
    "TextStartsWith": lambda value, operand: value.startswith(operand),
    "TextEndsWith": lambda value, operand: value.endswith(operand),
    "TextContains": lambda value, operand: operand in value,
    "NumberGreaterThan": _numeric(lambda a, b: a > b),
    "NumberGreaterOrEqualTo": _numeric(lambda a, b: a >= b),
    "NumberLessThan": _numeric(lambda a, b: a < b),
    "NumberLessOrEqualTo": _numeric(lambda a, b: a <= b),
}


def operator(name: str) -> Callable[[str, str], bool] | None:
    return OPERATORS.get(name)
