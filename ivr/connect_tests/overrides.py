"""OverrideSystemBehavior offline: one-shot overrides, FIFO per resource (connect-testing.md 4.2).

An override applies to the next single invocation of its resource; several for one resource
apply oldest first. How each reaches the engine without an engine hook:

- InvokeLambdaFunction: every Lambda ARN the flows name is mapped to an interceptor (the
  engine accepts Python callables); on each call it pops the FIFO: MockResponse
  ExecutionResult answers `LoadedData` (a JSON string, -> `$.External`); MockResponse Error
  raises, so the block takes its error branch (as does a DelaySeconds at or beyond the time
  limit); SubstituteResource runs the handler mapped to the substitute ARN. No override: the
  handler the run was given for the ARN (or template.yaml's).
- CheckHoursOfOperation / TransferContactToQueue: the engine takes `hours_open` and
  `queue_at_capacity` once per call, so the runner starts the call with what the first
  override registered at TestInitiated asks (InHours/OutOfHours, QueueAtCapacity), and as
  each of these blocks starts it takes the next override from the FIFO and checks the call's
  setting agrees; when it does not (a second check wanting the other answer, an override
  registered later), or when an Error such as NoMatchingError is asked of these blocks, the
  run FAILS saying the override cannot be applied offline. The hook that would lift this:
  per-block outcome callbacks on `Simulator.call` (e.g. `hours_open: Callable[[str], bool]`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ivr.connect_tests.matching import same_resource

# Where each overridable block names its resource, in ActionParameters.
RESOURCE_PATHS: dict[str, tuple[str, ...]] = {
    "InvokeLambdaFunction": ("LambdaFunctionARN",),
    "CheckHoursOfOperation": ("HoursOfOperationId",),
    "TransferContactToQueue": ("QueueId",),
    "DequeueAndTransferToQueue": ("QueueId",),
    "ConnectParticipantWithLexBot": ("LexV2Bot", "AliasArn"),
}


class MockedLambdaError(RuntimeError):
    """A mocked Lambda failure: the block takes its error branch."""


def resource_in(action_type: str, parameters: Mapping[str, Any]) -> str:
    value: Any = parameters
    for key in RESOURCE_PATHS.get(action_type, ()):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Override:
    action_type: str
    resource: str  # "" = any resource of that type
    strategy: str  # SubstituteResource | MockResponse
    source: str  # "observation X, action Y": for messages
    substitute: str = ""
    error: str = ""  # MockResponse Error Value (the error branch name)
    value: str = ""  # MockResponse ExecutionResult Value (hours: InHours | OutOfHours)
    data: dict[str, Any] = field(default_factory=dict)  # ExecutionResult LoadedData
    delay_s: float = 0.0


def parse_override(parameters: Mapping[str, Any], source: str) -> Override:
    """The override an OverrideSystemBehavior action's Parameters describe; ValueError with
    what to fix when they do not."""
    behavior = parameters.get("Behavior") or {}
    props = behavior.get("Properties") or {}
    action_type = str(props.get("ActionType", ""))
    if action_type not in RESOURCE_PATHS:
        raise ValueError(
            f"{source}: overriding {action_type or '(no ActionType)'} is not supported; "
            f"use one of {', '.join(RESOURCE_PATHS)}"
        )
    resource = resource_in(action_type, props.get("ActionParameters") or {})
    strategy = props.get("Strategy") or {}
    kind = str(strategy.get("Type", ""))
    if kind == "SubstituteResource":
        substitute = str(strategy.get("SubstituteArn", ""))
        if not substitute:
            raise ValueError(f"{source}: SubstituteResource needs SubstituteArn")
        return Override(action_type, resource, kind, source, substitute=substitute)
    if kind != "MockResponse":
        raise ValueError(f"{source}: Strategy Type must be SubstituteResource or MockResponse")
    response = strategy.get("Response") or {}
    if response.get("Type") == "Error":
        error = response.get("Error") or {}
        value = str(error.get("Value", "")) or "NoMatchingError"
        return Override(action_type, resource, kind, source, error=value)
    if response.get("Type") != "ExecutionResult":
        raise ValueError(f"{source}: MockResponse Response Type must be ExecutionResult or Error")
    result = response.get("ExecutionResult") or {}
    delay = float(result.get("DelaySeconds") or 0)
    if action_type == "CheckHoursOfOperation":
        value = str(result.get("Value", ""))
        if value not in ("InHours", "OutOfHours"):
            raise ValueError(f"{source}: hours ExecutionResult Value must be InHours or OutOfHours")
        return Override(action_type, resource, kind, source, value=value, delay_s=delay)
    # The documented key is LoadedData; one third-party report says Value (both JSON strings).
    loaded = result.get("LoadedData", result.get("Value", "{}"))
    try:
        data = json.loads(loaded) if isinstance(loaded, str) else loaded
    except json.JSONDecodeError as exc:
        raise ValueError(f"{source}: LoadedData is not a JSON string: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{source}: LoadedData must hold a JSON object (it becomes $.External)")
    return Override(action_type, resource, kind, source, data=data, delay_s=delay)


class Overrides:
    """Registered overrides; `take` consumes the oldest one for a resource."""

    def __init__(self, resources: Mapping[str, str]) -> None:
        self._resources = resources
        self._pending: list[Override] = []

    def register(self, override: Override) -> None:
        self._pending.append(override)

    def take(self, action_type: str, *observed: str) -> Override | None:
        for index, override in enumerate(self._pending):
            if override.action_type == action_type and any(
                same_resource(override.resource, ref, self._resources) for ref in observed
            ):
                return self._pending.pop(index)
        return None

    def first(self, action_type: str) -> Override | None:
        """The oldest override registered for this block type (not consumed)."""
        return next((o for o in self._pending if o.action_type == action_type), None)

    def left(self) -> list[Override]:
        return list(self._pending)


class LambdaFinder(Protocol):
    """What the interceptor falls back on: the engine's own lookup (Simulator.lambdas)."""

    def find(self, raw: str, resolved: str) -> Any: ...

    def invoke(
        self, function: Any, arn: str, event: dict[str, Any], time_limit_s: float, kind: str
    ) -> Any: ...


def lambda_interceptor(
    raw_arn: str, overrides: Overrides, fallback: LambdaFinder
) -> Callable[[dict[str, Any], Any], Any]:
    """A handler for every call of `raw_arn` (as the flow writes it) that applies overrides."""

    def handle(event: dict[str, Any], context: Any) -> Any:
        arn = str(context.invoked_function_arn or raw_arn)
        limit_s = context.get_remaining_time_in_millis() / 1000
        override = overrides.take("InvokeLambdaFunction", arn, raw_arn)
        target, raw = arn, raw_arn
        if override is not None and override.strategy == "MockResponse":
            if override.error:
                raise MockedLambdaError(f"mocked {override.error} ({override.source})")
            if override.delay_s >= limit_s:
                raise MockedLambdaError(
                    f"mocked DelaySeconds={override.delay_s:g} reaches the time limit "
                    f"({override.source})"
                )
            return dict(override.data)
        if override is not None:
            target = raw = override.substitute
        function = fallback.find(raw, target)
        if function is None:
            raise LookupError(
                f"no handler for {target}: mock it in the test case or map it with --lambda"
            )
        answer = fallback.invoke(function, target, event, limit_s, "JSON")
        if answer.response is None:
            raise RuntimeError(answer.error)
        return answer.response

    return handle


__all__ = [
    "RESOURCE_PATHS",
    "MockedLambdaError",
    "Override",
    "Overrides",
    "lambda_interceptor",
    "parse_override",
    "resource_in",
]
