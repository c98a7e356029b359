"""What a block answers the run loop: go on, branch on a result, take an error, end, or move
into another flow. Blocks return one of these; only the run loop follows transitions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ivr.engine.events import Outcome

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledFlow


@dataclass(frozen=True, slots=True)
class Proceed:
    """Follow NextAction."""


@dataclass(frozen=True, slots=True)
class Result:
    """Evaluate the Conditions on this value (first match wins, else NoMatchingCondition)."""

    value: str


@dataclass(frozen=True, slots=True)
class Fail:
    """Take the Errors entry for `error_type`, else the NoMatchingError entry."""

    error_type: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Finish:
    """The call leaves the flow."""

    outcome: Outcome


@dataclass(frozen=True, slots=True)
class Enter:
    """Continue at another flow's StartAction; a module (`returns`) comes back to NextAction."""

    flow: CompiledFlow
    returns: bool = False


@dataclass(frozen=True, slots=True)
class Return:
    """A flow module ended: resume after the InvokeFlowModule that entered it."""


PROCEED = Proceed()
Step = Proceed | Result | Fail | Finish | Enter | Return
