"""DistributeByPercentage: a random number 1..100 from the call's seeded generator; the
Conditions (NumberLessThan chains) pick the branch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block
from ivr.engine.steps import Result, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    return Result(str(call.rng.randint(1, 100)))


BLOCK = Block("DistributeByPercentage", run)
