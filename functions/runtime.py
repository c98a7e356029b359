"""The handler runtime every function shares.

    @connect_handler(response=IdentifyCallerResponse)
    def handler(call: Invocation) -> IdentifyCallerResponse:
        ...

The decorated function receives the parsed event and answers a `ConnectResponse`; the runtime
guarantees Connect's contract around it:

* the event is parsed into `ConnectEvent`; only an event without a valid envelope raises
  (`InvalidEvent`), because no flow can branch on a misconfigured block; any other odd field
  is read as absent (models/event.py), and a ContactId or InitialContactId no store could
  key by is `status=invalid_input`, `reason=invalid_contact_id`;
* the function runs under a deadline: the time limit the flow passes as the parameter
  `timeLimitSeconds` (default `IVR_DEFAULT_TIME_LIMIT_SECONDS`, 3 s; Connect allows 1-8 s),
  less `IVR_DEADLINE_MARGIN_MS`, and never past the Lambda's own remaining time;
* `InvalidInput` becomes `status=invalid_input`, `NotFound` `status=not_found`, a store
  failure, an overrun deadline or an unexpected exception `status=unavailable`: always a
  well-formed STRING_MAP before the deadline, never Connect's Error branch;
* a body that overruns changes nothing: its store writes are refused from the deadline on
  (functions/deadline.py), and when one had begun the runtime waits a short grace for the
  body's own answer instead of contradicting it;
* one JSON log line per invocation (ContactId as correlation id, caller data masked) and an
  EMF metric per status.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ValidationError

from functions import observability, snapstart
from functions.cold_start import resume_collection
from functions.config import RuntimeSettings
from functions.deadline import Deadline, run_under
from functions.errors import DeadlineExceeded, InvalidEvent, InvalidInput, NotFound, StoreError
from functions.privacy import mask_phone
from models.event import INVALID_CONTACT_ID, ConnectEvent, ContactData
from models.parameters import TIME_LIMIT_PARAMETER, ConnectParameters, NoParameters
from models.response import ConnectResponse, ResponseContractError, Status

__all__ = [
    "TIME_LIMIT_PARAMETER",
    "ConnectParameters",
    "Deadline",
    "Invocation",
    "NoParameters",
    "connect_handler",
    "parse_event",
    "time_budget",
]

R = TypeVar("R", bound=ConnectResponse)

MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S = 1.0, 8.0
# A handler never gets less than this to work with, however small the limit and margin.
MIN_BUDGET_S = 0.05


class LambdaContext(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


@dataclass(frozen=True)
class Invocation:
    """What a function body gets: the event, its parameters, the deadline and settings."""

    event: ConnectEvent
    parameters: Any
    deadline: Deadline
    settings: RuntimeSettings

    @property
    def contact(self) -> ContactData:
        return self.event.contact


def parse_event(raw: Any) -> ConnectEvent:
    """The event as a model, or `InvalidEvent` saying what is wrong with its envelope."""
    if not isinstance(raw, Mapping):
        raise InvalidEvent(
            f"expected a Connect contact-flow event (a JSON object), got {type(raw).__name__}"
        )
    try:
        return ConnectEvent.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise InvalidEvent(
            "not a Connect contact-flow event (is the function invoked from a flow's "
            f"InvokeLambdaFunction block?): {problems}"
        ) from None


def time_budget(
    parameters: Mapping[str, str], settings: RuntimeSettings, context: Any = None
) -> float:
    """Seconds the function may take: the flow's limit less the margin, within Lambda's own."""
    limit = settings.default_time_limit_s
    raw = parameters.get(TIME_LIMIT_PARAMETER, "")
    if raw:
        # A typo in the flow must not cost the caller the answer: keep the default.
        with contextlib.suppress(ValueError):
            limit = min(MAX_TIME_LIMIT_S, max(MIN_TIME_LIMIT_S, float(raw)))
    budget = limit - settings.deadline_margin_ms / 1000
    remaining_ms = _lambda_remaining_ms(context)
    if remaining_ms is not None:
        budget = min(budget, remaining_ms / 1000 - settings.deadline_margin_ms / 1000)
    return max(MIN_BUDGET_S, budget)


def _lambda_remaining_ms(context: Any) -> int | None:
    getter = getattr(context, "get_remaining_time_in_millis", None)
    if getter is None:
        return None
    try:
        return int(getter())
    except (TypeError, ValueError):
        return None


# Bodies run on worker threads so the runtime can answer when the deadline passes even if a
# store call hangs. Lambda runs one invocation per container at a time; a few workers cover a
# body still finishing after its deadline while the next invocation starts.
_workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ivr-handler")


@functools.cache
def _settings() -> RuntimeSettings:
    return RuntimeSettings.from_env()


def connect_handler(
    *,
    response: type[R],
    parameters: type[ConnectParameters] = NoParameters,
    settings: RuntimeSettings | None = None,
) -> Callable[[Callable[[Invocation], R]], Callable[..., dict[str, str]]]:
    """Make `body(Invocation) -> response` a Lambda handler that keeps Connect's contract.

    The handler carries `response_model` and `parameters_model`, which `ivr lint` checks
    flows against.
    """

    def wrap(body: Callable[[Invocation], R]) -> Callable[..., dict[str, str]]:
        name = body.__module__.rsplit(".", 1)[-1]

        @functools.wraps(body)
        def handler(event: Any, context: Any = None) -> dict[str, str]:
            started = time.perf_counter()
            try:
                parsed = parse_event(event)
                active = settings or _settings()
                budget = time_budget(parsed.parameters, active, context)
                answer = _answer(body, parsed, parameters, response, active, budget)
                _record(name, parsed, answer, time.perf_counter() - started)
                return answer
            finally:
                resume_collection()  # a no-op after the container's first invocation

        handler.response_model = response  # type: ignore[attr-defined]
        handler.parameters_model = parameters  # type: ignore[attr-defined]
        # In Lambda only: build the client and warm the models during init, not on the first
        # call's deadline; register the SnapStart hooks (functions/snapstart.py).
        snapstart.prepare(response, parameters)
        return handler

    return wrap


def _answer(
    body: Callable[[Invocation], R],
    event: ConnectEvent,
    parameters_model: type[ConnectParameters],
    response: type[R],
    settings: RuntimeSettings,
    budget: float,
) -> dict[str, str]:
    if not event.contact.ids_usable:
        observability.logger().warning("contact id unusable as a store key")
        return response.failure(Status.INVALID_INPUT, INVALID_CONTACT_ID).to_string_map()
    try:
        params = parameters_model.model_validate(event.parameters)
    except ValidationError as exc:
        missing = [str(e["loc"][0]) for e in exc.errors() if e["type"] == "missing"]
        reason = "missing_parameter" if missing else "invalid_parameter"
        observability.logger().warning(
            "flow passed unusable parameters", extra={"reason": reason, "missing": missing}
        )
        return response.failure(Status.INVALID_INPUT, reason).to_string_map()
    call = Invocation(event, params, Deadline.after(budget), settings)
    future = _workers.submit(run_under, call.deadline, body, call)
    with contextlib.suppress(FutureTimeout):
        return _outcome(future, budget, response)
    log = observability.logger()
    if call.deadline.close():
        # No write had begun, and none can now: the body's late work changes nothing.
        log.warning("deadline passed", extra={"budget_s": round(budget, 3)})
        return response.failure(Status.UNAVAILABLE, "timeout").to_string_map()
    # A write began before the deadline: what it did may be the body's answer, so wait for
    # that answer within half the margin kept for the reply's journey (the other half).
    grace = settings.deadline_margin_ms / 2000
    with contextlib.suppress(FutureTimeout):
        return _outcome(future, grace, response)
    log.error(
        "deadline passed with a write begun: it may land although the flow hears unavailable",
        extra={"budget_s": round(budget, 3), "grace_s": round(grace, 3)},
    )
    return response.failure(Status.UNAVAILABLE, "timeout").to_string_map()


def _outcome(future: Future[R], timeout: float, response: type[R]) -> dict[str, str]:
    """The body's answer, or the status its exception stands for; `FutureTimeout` when the
    body is not done within `timeout` seconds."""
    try:
        result = future.result(timeout=timeout)
        return result.to_string_map()
    except FutureTimeout:
        raise
    except DeadlineExceeded:
        observability.logger().warning("a write came after the deadline and was refused")
        return response.failure(Status.UNAVAILABLE, "timeout").to_string_map()
    except InvalidInput as exc:
        return response.failure(Status.INVALID_INPUT, exc.reason).to_string_map()
    except NotFound:
        return response.failure(Status.NOT_FOUND, "not_found").to_string_map()
    except StoreError as exc:
        observability.logger().warning("store failed", extra={"error": type(exc).__name__})
        return response.failure(Status.UNAVAILABLE, _snake(type(exc).__name__)).to_string_map()
    except ResponseContractError:
        observability.logger().exception("function built a response Connect would reject")
        return response.failure(Status.UNAVAILABLE, "internal_error").to_string_map()
    except Exception:
        observability.logger().exception("function failed")
        return response.failure(Status.UNAVAILABLE, "internal_error").to_string_map()


def _record(name: str, event: ConnectEvent, answer: Mapping[str, str], elapsed: float) -> None:
    log = observability.logger()
    log.set_correlation_id(event.contact.contact_id)
    status = answer.get("status", "")
    log.info(
        "answered",
        extra={
            "function": name,
            "status": status,
            "reason": answer.get("reason", ""),
            "channel": str(event.contact.channel or ""),
            "caller": mask_phone(event.contact.customer_address),
            "duration_ms": round(elapsed * 1000, 2),
        },
    )
    metrics = observability.metrics()
    metrics.add_dimension(name="function", value=name)
    metrics.add_metric(name=f"status_{status or 'none'}", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="duration", unit=MetricUnit.Milliseconds, value=elapsed * 1000)
    metrics.flush_metrics()
    metrics.clear_metrics()  # a disabled Metrics keeps what flush did not print


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
