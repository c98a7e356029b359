"""MessageParticipant (Play prompt): speaks Text or SSML (with `$.x` interpolated) or a prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks._prompt import play
from ivr.engine.blocks.base import Block
from ivr.engine.steps import PROCEED, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


def run(action: CompiledAction, call: Run) -> Step:
    play(action.identifier, action.params, call)
    return PROCEED


BLOCK = Block("MessageParticipant", run)
