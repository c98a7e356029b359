"""Condition operators as the run loop evaluates them: the tests themselves are part of the
description of Connect in ivr/flow_language.py (connect.md 2.2); this is the engine's view."""

from __future__ import annotations

from collections.abc import Callable

from ivr.flow_language import CONDITION_OPERATORS

OPERATORS: dict[str, Callable[[str, str], bool]] = {
    name: op.test for name, op in CONDITION_OPERATORS.items()
}


def operator(name: str) -> Callable[[str, str], bool] | None:
    return OPERATORS.get(name)
