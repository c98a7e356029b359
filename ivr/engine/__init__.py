"""The offline flow engine: a call through a Flow Language flow, as Amazon Connect runs it,
with no AWS account.

    result = simulate("contact_flows/main_inbound.json", inputs=["1"])
    result.outcome.type, result.path, result.prompts, result.lambda_calls, result.attributes

    simulator = Simulator("contact_flows/main_inbound.json")   # compile once
    for digits in ("1", "2"):
        simulator.call(inputs=[digits])
"""

from __future__ import annotations

from ivr.engine.blocks import BLOCKS
from ivr.engine.events import (
    ActionEntered,
    AttributeSet,
    BranchTaken,
    Ended,
    Event,
    InputReceived,
    LambdaCalled,
    Outcome,
    PromptPlayed,
)
from ivr.engine.result import CallResult
from ivr.engine.run import InputSource, ScriptedInput
from ivr.engine.simulator import Simulator, simulate

SUPPORTED_TYPES = frozenset(BLOCKS)

__all__ = [
    "SUPPORTED_TYPES",
    "ActionEntered",
    "AttributeSet",
    "BranchTaken",
    "CallResult",
    "Ended",
    "Event",
    "InputReceived",
    "InputSource",
    "LambdaCalled",
    "Outcome",
    "PromptPlayed",
    "ScriptedInput",
    "Simulator",
    "simulate",
]
