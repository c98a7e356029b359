"""MessageParticipant (Play prompt): speaks Text or SSML (with `$.x` interpolated) or a prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ivr.engine.blocks._prompt import Prompt, prompt_in
from ivr.engine.blocks.base import Block
from ivr.engine.paths import compile_tree
from ivr.engine.steps import PROCEED, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


# What prompt_in reads: only these are compiled (a flow of 100,000 prompts compiled every
# parameter of each, for nothing).
_PROMPT_KEYS = ("Text", "SSML", "PromptId", "Media")


def prepare(params: dict[str, Any], identifier: str) -> Prompt | None:
    return prompt_in(
        identifier, {key: compile_tree(params[key]) for key in _PROMPT_KEYS if key in params}
    )


def run(action: CompiledAction, call: Run) -> Step:
    prompt: Prompt | None = action.params
    if prompt is not None:
        prompt.play(call)
    return PROCEED


BLOCK = Block("MessageParticipant", run, prepare)
