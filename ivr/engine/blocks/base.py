"""What a block is: a flow-language action Type bound to the function that runs it.

`prepare(parameters, identifier)` runs once when the flow is compiled (default: every string
parameter compiled into a `Value`); it gets the action's Identifier so a block can build once
the events it emits whenever they do not depend on the call. `run` runs each time a call
enters the action and answers a `Step`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ivr.engine.events import Outcome
from ivr.engine.paths import Value, compile_tree, compile_value
from ivr.engine.steps import Finish, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run

Runner = Callable[["CompiledAction", "Run"], Step]


def compile_parameters(params: dict[str, Any], identifier: str) -> Any:
    return compile_tree(params)


@dataclass(frozen=True)
class Block:
    type: str
    run: Runner
    prepare: Callable[[dict[str, Any], str], Any] = compile_parameters


def unsupported(action_type: str) -> Block:
    """The block for a Type the engine does not implement: reaching it stops the call."""

    def stop(action: CompiledAction, run: Run) -> Step:
        return Finish(
            Outcome(
                "error",
                error=(
                    f"action type {action.type} is not supported by the simulator "
                    f"(action {action.identifier} in {action.flow})"
                ),
            )
        )

    return Block(action_type, stop, lambda params, identifier: None)


def text(params: dict[str, Any], key: str, run: Run, default: str = "") -> str:
    """A compiled parameter's text for this call ("" when the flow did not set it)."""
    value = params.get(key)
    return value.text_in(run.contact) if value is not None else default


def static(raw: dict[str, Any], key: str, default: str = "") -> str:
    """A static-only parameter (InputTimeLimitSeconds, StoreInput, ...) read at compile time."""
    value = raw.get(key, default)
    return value if isinstance(value, str) else str(value)


def flag(raw: dict[str, Any], key: str) -> bool:
    return static(raw, key).strip().lower() == "true"


def value_of(raw: Any) -> Value:
    return compile_value(raw)


def proceed_after(action: Callable[[dict[str, Any], Run], None]) -> Runner:
    """A block whose whole job is a side effect on the contact, then NextAction."""
    from ivr.engine.steps import PROCEED

    def run_block(compiled: CompiledAction, run: Run) -> Step:
        action(compiled.params, run)
        return PROCEED

    return run_block
