"""Lambda handlers the engine tests invoke in-process (real functions, not fakes of the engine).

Each records the event it received so a test can check what Connect's event would hold.
"""

from __future__ import annotations

import time
from typing import Any

from functions.runtime import ConnectParameters, Invocation, connect_handler
from models.response import ConnectResponse, Status

received: list[dict[str, Any]] = []


def echo(event: dict[str, Any], context: Any) -> dict[str, str]:
    """Answers its parameters back, plus how many calls came before."""
    received.append(event)
    return {**event["Details"]["Parameters"], "calls": str(len(received))}


def tier_lookup(event: dict[str, Any], context: Any) -> dict[str, str]:
    caller = event["Details"]["ContactData"]["CustomerEndpoint"]["Address"]
    return {"status": "ok", "tier": "gold" if caller.endswith("8") else "silver"}


def nested(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"status": "ok", "name": {"first": "Dana", "last": "Smith"}}


def number_value(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"status": "ok", "balance": 1000}


def oversized(event: dict[str, Any], context: Any) -> dict[str, str]:
    return {"status": "ok", "blob": "x" * (32 * 1024)}


def not_an_object(event: dict[str, Any], context: Any) -> list[str]:
    return ["ok"]


def raises(event: dict[str, Any], context: Any) -> dict[str, str]:
    raise RuntimeError("database is down")


def slow(event: dict[str, Any], context: Any) -> dict[str, str]:
    # 1.5 s in short naps: the engine's watchdog interrupts between them when the flow's
    # limit passes (a single sleep would hold the call until it ends).
    until = time.monotonic() + 1.5
    while time.monotonic() < until:
        time.sleep(0.01)
    return {"status": "ok"}


def remaining_time(event: dict[str, Any], context: Any) -> dict[str, str]:
    return {"remainingMs": str(context.get_remaining_time_in_millis())}


class GreetingResponse(ConnectResponse):
    greeting: str = ""


class GreetingParameters(ConnectParameters):
    name: str


@connect_handler
def greet(call: Invocation[GreetingParameters]) -> GreetingResponse:
    """A handler built on the project's runtime, as every deployed function is."""
    return GreetingResponse(status=Status.OK, greeting=f"Hello {call.parameters.name}")
