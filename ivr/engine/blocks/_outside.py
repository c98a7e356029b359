"""Blocks made from the description of an action in ivr/flow_language.py rather than written
one by one: actions with no offline effect ("record") and actions whose outcome depends on a
service outside the flow ("answer"). The rules are the module's (its docstring says how an
answer is given and what the default is); this is how the engine runs them.

The transcript line of a "record" action is built once at compile time from its static
parameters, so running it costs one event and a NextAction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ivr.engine.blocks.base import Block
from ivr.engine.events import EffectNoted
from ivr.engine.steps import PROCEED, Fail, Result, Step
from ivr.flow_language import ActionSpec

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run

ERROR_ANSWER = "error:"
_SHOWN_PARAMETERS = 3
_SHOWN_CHARS = 60


def _summary(params: dict[str, Any]) -> str:
    """A few static parameters, `Key=value`, for the transcript."""
    shown = []
    for key, value in params.items():
        if isinstance(value, str) and value and "$" not in value:
            text = value if len(value) <= _SHOWN_CHARS else value[: _SHOWN_CHARS - 3] + "..."
            shown.append(f"{key}={text}")
        if len(shown) == _SHOWN_PARAMETERS:
            break
    return f" ({', '.join(shown)})" if shown else ""


def record_block(spec: ActionSpec) -> Block:
    def prepare(params: dict[str, Any], identifier: str) -> EffectNoted:
        return EffectNoted(identifier, spec.type, f"{spec.would}{_summary(params)}: not simulated")

    def run(action: CompiledAction, call: Run) -> Step:
        call.emit(action.params)
        return PROCEED

    return Block(spec.type, run, prepare)


def answer_block(spec: ActionSpec) -> Block:
    def prepare(params: dict[str, Any], identifier: str) -> str:
        return _summary(params)

    def run(action: CompiledAction, call: Run) -> Step:
        answers = call.options.answers
        answer = None
        if answers:
            answer = answers.get(action.identifier, answers.get(action.type))
        given = answer is not None
        if answer is None:
            answer = spec.default_answer
        if answer is None and spec.result and action.conditions:
            first = action.conditions[0]
            answer = first.static_operand
            if answer is None:
                answer = first.operand.text_in(call.contact)
        how = "answered" if given else "by default"
        shown = f": {how}, {answer!r}" if answer is not None else f": {how}, success"
        call.emit(EffectNoted(action.identifier, spec.type, f"{spec.would}{action.params}{shown}"))
        if answer is None:
            return PROCEED
        if answer.startswith(ERROR_ANSWER):
            return Fail(answer[len(ERROR_ANSWER) :].strip(), "from the call's answers")
        return Result(answer) if spec.result else PROCEED

    return Block(spec.type, run, prepare)
