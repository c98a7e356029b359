"""CheckHoursOfOperation: "True" when the run options say the hours are open, else "False"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block
from ivr.engine.steps import Result, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    return Result("True" if call.options.hours_open else "False")


BLOCK = Block("CheckHoursOfOperation", run)
