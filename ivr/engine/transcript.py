"""The readable transcript of a call, one line per thing a person would notice: what the IVR
said, the keys the caller pressed, each Lambda call with its parameters and answer, and where
the call ended. A local test tool: numbers are shown as they are; PIN values are not."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ivr.engine.events import (
    ActionEntered,
    AttributeSet,
    BranchTaken,
    EffectNoted,
    Ended,
    Event,
    InputReceived,
    LambdaCalled,
    PromptPlayed,
)

_SECRET_KEY = re.compile(r"pin|passcode|password", re.IGNORECASE)
_SSML_TAG = re.compile(r"<[^>]+>")
HIDDEN = "***"
_VERBOSE_ONLY = frozenset({"action", "attribute", "branch"})


def masked(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """`values` with the value of every secret-looking key (pin, passcode, password) hidden."""
    if values is None:
        return {}
    return {k: HIDDEN if _SECRET_KEY.search(str(k)) else v for k, v in values.items()}


def shown(values: Mapping[str, Any] | None) -> str:
    return json.dumps(masked(values), ensure_ascii=False)


def line(event: Event, *, verbose: bool = False) -> str | None:
    """The transcript line for an event; None for events only verbose mode shows."""
    if not verbose and event.kind in _VERBOSE_ONLY:
        return None  # two events of three on a long flow: no pattern matching for them
    match event:
        case PromptPlayed(text=text, format="ssml"):
            return f"IVR: {' '.join(_SSML_TAG.sub(' ', text).split())}"
        case PromptPlayed(text=text, format="prompt"):
            return f"IVR: [recording {text}]"
        case PromptPlayed(text=text):
            return f"IVR: {text}"
        case InputReceived(keys=None):
            return "Caller stays silent"
        case InputReceived(keys=keys):
            return f"Caller presses {keys}"
        case LambdaCalled(function=name, parameters=params, response=response, error=error):
            answer = f"error: {error}" if error else f"answered {shown(response)}"
            return f"Lambda {name} called with {shown(params)}, {answer}"
        case EffectNoted(type=type_, text=text):
            return f"Connect {text} ({type_})"
        case Ended(outcome=outcome):
            return f"Call ended: {outcome.describe()}"
        case ActionEntered(identifier=ident, type=type_) if verbose:
            return f"  > {type_} {ident}"
        case AttributeSet(name=name, value=value, scope=scope) if verbose:
            value_shown = HIDDEN if _SECRET_KEY.search(name) else value
            return f"  set {scope} attribute {name} = {value_shown}"
        case BranchTaken(branch=branch, target=target) if verbose:
            return f"  -> {branch} -> {target}"
    return None


def render(events: tuple[Event, ...] | list[Event], *, verbose: bool = False) -> list[str]:
    return [text for event in events if (text := line(event, verbose=verbose)) is not None]
