"""The typed event stream a simulated call emits.

The transcript, the JSON result, the fluent test API and block coverage all read these events;
none of them looks inside the engine. Events are small frozen dataclasses with a `kind` tag so
consumers can `match` on the class or filter on the tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, final

OutcomeType = Literal[
    "queue", "disconnect", "transfer_to_flow", "third_party", "end_flow", "error", "step_limit"
]
NORMAL_ENDINGS: frozenset[str] = frozenset(
    {"queue", "disconnect", "transfer_to_flow", "third_party", "end_flow"}
)


@final  # the run loop tells it from a Transition by `type(x) is Outcome`
@dataclass(frozen=True)
class Outcome:
    """How the call left the flow: `type` plus the detail that type carries."""

    type: OutcomeType
    queue: str | None = None  # the queue's name (as far as the flow tells it)
    queue_arn: str | None = None
    flow: str | None = None
    phone: str | None = None
    error: str | None = None

    @property
    def normal(self) -> bool:
        return self.type in NORMAL_ENDINGS

    def to_dict(self) -> dict[str, str]:
        data: dict[str, str] = {"type": self.type}
        for name in ("queue", "queue_arn", "flow", "phone", "error"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data

    def describe(self) -> str:
        match self.type:
            case "queue":
                return f"transferred to queue {self.queue}"
            case "disconnect":
                return "disconnected"
            case "transfer_to_flow":
                return f"transferred to flow {self.flow}"
            case "third_party":
                return f"transferred to {self.phone}"
            case "end_flow":
                return "flow ended"
            case _:
                return f"{self.type}: {self.error}"


@dataclass(frozen=True)
class ActionEntered:
    flow: str
    identifier: str
    type: str
    kind: Literal["action"] = "action"


PromptFormat = Literal["text", "ssml", "prompt"]


@dataclass(frozen=True)
class PromptPlayed:
    identifier: str
    text: str
    format: PromptFormat = "text"
    kind: Literal["prompt"] = "prompt"


@dataclass(frozen=True)
class InputReceived:
    """Keys the caller pressed for one GetParticipantInput; `keys is None` means silence."""

    identifier: str
    keys: str | None
    kind: Literal["input"] = "input"

    @property
    def timed_out(self) -> bool:
        return self.keys is None


@dataclass(frozen=True)
class LambdaCalled:
    identifier: str
    function: str  # logical id, function name or the ARN as the flow gave it
    arn: str
    parameters: dict[str, str]
    response: dict[str, Any] | None
    error: str | None = None
    kind: Literal["lambda"] = "lambda"

    def to_dict(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "parameters": dict(self.parameters),
            "response": self.response,
            "error": self.error,
        }


@dataclass(frozen=True)
class AttributeSet:
    identifier: str
    name: str
    value: str
    scope: Literal["contact", "flow"] = "contact"
    kind: Literal["attribute"] = "attribute"


@dataclass(frozen=True)
class EffectNoted:
    """What Connect would do at an action that has no offline effect (media streaming, tags,
    ...) or whose outcome came from the call's answers (a view, a case, a profile)."""

    identifier: str
    type: str
    text: str
    kind: Literal["noted"] = "noted"


@dataclass(frozen=True)
class BranchTaken:
    """The transition followed out of an action: 'next', 'condition:<op> <operand>',
    'error:<ErrorType>' (the labels of models.flow.Transitions.targets)."""

    identifier: str
    branch: str
    target: str
    kind: Literal["branch"] = "branch"


@dataclass(frozen=True)
class Ended:
    outcome: Outcome
    identifier: str | None = None
    kind: Literal["ended"] = "ended"


Event = (
    ActionEntered
    | PromptPlayed
    | InputReceived
    | LambdaCalled
    | AttributeSet
    | EffectNoted
    | BranchTaken
    | Ended
)


def describe(event: Event) -> str:
    """One line for a failure message or a debug listing."""
    match event:
        case ActionEntered(flow=flow, identifier=ident, type=type_):
            return f"action {ident} ({type_}) in {flow}"
        case PromptPlayed(text=text, format=fmt):
            return f"prompt [{fmt}] {text!r}"
        case InputReceived(keys=keys):
            return "input: silence" if keys is None else f"input: {keys!r}"
        case LambdaCalled(function=fn, parameters=params, response=resp, error=err):
            answer = f"error {err!r}" if err else f"-> {resp}"
            return f"lambda {fn}({params}) {answer}"
        case AttributeSet(name=name, value=value, scope=scope):
            return f"set {scope} attribute {name} = {value!r}"
        case EffectNoted(type=type_, text=text):
            return f"{type_}: {text}"
        case BranchTaken(branch=branch, target=target):
            return f"branch {branch} -> {target}"
        case Ended(outcome=outcome):
            return f"ended: {outcome.describe()}"
    return repr(event)  # pragma: no cover - every event class is matched above


__all__ = [
    "NORMAL_ENDINGS",
    "ActionEntered",
    "AttributeSet",
    "BranchTaken",
    "EffectNoted",
    "Ended",
    "Event",
    "InputReceived",
    "LambdaCalled",
    "Outcome",
    "OutcomeType",
    "PromptPlayed",
    "describe",
]
