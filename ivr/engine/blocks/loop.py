"""Loop: ContinueLooping LoopCount times, then DoneLooping once, then the counter resets;
one counter per Loop action Identifier (connect.md 7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block, text
from ivr.engine.steps import Result, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run

CONTINUE, DONE = "ContinueLooping", "DoneLooping"


def run(action: CompiledAction, call: Run) -> Step:
    raw = text(action.params, "LoopCount", call, "0")
    try:
        count = max(0, int(raw.strip() or "0"))
    except ValueError:
        count = 0
    key = (action.flow, action.identifier)
    done = call.contact.loop_counters.get(key, 0)
    if done < count:
        call.contact.loop_counters[key] = done + 1
        return Result(CONTINUE)
    call.contact.loop_counters[key] = 0
    return Result(DONE)


BLOCK = Block("Loop", run)
