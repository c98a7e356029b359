"""InvokeLambdaFunction: builds the event Connect sends (connect.md 1.1-1.2), runs the local
stand-in for the ARN, and puts the answer in `$.External` (replaced by each call, cleared when
one fails). Every failure (no handler, exception, time-out, answer Connect would refuse) is
the NoMatchingError branch, as in Connect."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ivr.engine.blocks.base import Block, static
from ivr.engine.events import LambdaCalled
from ivr.engine.lambdas import MAX_TIME_LIMIT_S, MIN_TIME_LIMIT_S, LambdaAnswer, function_name
from ivr.engine.paths import Value, compile_value
from ivr.engine.steps import PROCEED, Fail, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run


@dataclass(frozen=True)
class LambdaSettings:
    arn: Value
    raw_arn: str
    parameters: dict[str, Value]
    time_limit_s: float
    response_type: str


def prepare(params: dict[str, Any], identifier: str) -> LambdaSettings:
    raw_arn = static(params, "LambdaFunctionARN")
    limit = MAX_TIME_LIMIT_S
    with contextlib.suppress(ValueError):
        raw = float(static(params, "InvocationTimeLimitSeconds"))
        limit = min(MAX_TIME_LIMIT_S, max(MIN_TIME_LIMIT_S, raw))
    validation = params.get("ResponseValidation") or {}
    attributes = params.get("LambdaInvocationAttributes") or {}
    return LambdaSettings(
        arn=compile_value(raw_arn),
        raw_arn=raw_arn,
        parameters={str(k): compile_value(v) for k, v in attributes.items()},
        time_limit_s=limit,
        response_type=static(validation, "ResponseType") or "STRING_MAP",
    )


def run(action: CompiledAction, call: Run) -> Step:
    settings: LambdaSettings = action.params
    contact = call.contact
    arn = settings.arn.text_in(contact)
    parameters = {k: v.text_in(contact) for k, v in settings.parameters.items()}
    function = call.lambdas.find(settings.raw_arn, arn)
    if function is None:
        answer = LambdaAnswer(None, f"no handler for ARN {arn or settings.raw_arn!r}")
        name = function_name(arn or settings.raw_arn)
    else:
        event = {
            "Name": "ContactFlowEvent",
            "Details": {"ContactData": contact.contact_data(), "Parameters": parameters},
        }
        answer = call.lambdas.invoke(
            function, arn, event, settings.time_limit_s, settings.response_type
        )
        name = function.name
    call.emit(LambdaCalled(action.identifier, name, arn, parameters, answer.response, answer.error))
    if answer.response is None:
        contact.external = {}
        return Fail("NoMatchingError", answer.error or "")
    contact.external = answer.response
    return PROCEED


BLOCK = Block("InvokeLambdaFunction", run, prepare)
