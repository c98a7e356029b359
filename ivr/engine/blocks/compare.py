"""Compare (Check contact attributes): the ComparisonValue is the result the Conditions test."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block, text
from ivr.engine.steps import Result, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    return Result(text(action.params, "ComparisonValue", call))


BLOCK = Block("Compare", run)
