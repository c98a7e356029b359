"""The handler runtime every function shares.

    @connect_handler
    def handler(call: Invocation[VerifyPinParameters]) -> VerifyPinResponse:
        ...

The signature is the function's contract (models/contract.py): the parameters model it reads
(`Invocation[P]`; `Invocation[NoParameters]` when it reads none) and the response model it
answers. `connect_handler` reads both from the annotations once, when the module is imported,
and keeps them as `handler.contract`, where `ivr lint` checks flows against them. The body gets
the parsed event, its typed parameters, the deadline and the environment's container
(functions/container.py: settings, clock, stores, logger, metrics); the runtime guarantees
Connect's contract around it:

* the event is parsed into `ConnectEvent`; only an event without a valid envelope raises
  (`InvalidEvent`), because no flow can branch on a misconfigured block; any other odd field
  is read as absent (models/event.py), and a ContactId or InitialContactId no store could
  key by is `status=invalid_input`, `reason=invalid_contact_id`;
* the function runs under a deadline: the time limit the flow passes as the parameter
  `timeLimitSeconds` (default `IVR_DEFAULT_TIME_LIMIT_SECONDS`, 3 s; Connect allows 1-8 s),
  less `IVR_DEADLINE_MARGIN_MS`, and never past the Lambda's own remaining time;
* `InvalidInput` becomes `status=invalid_input`, `NotFound` `status=not_found`, a store
  failure, an overrun deadline or an unexpected exception `status=unavailable`: always a
  well-formed STRING_MAP before the deadline, never Connect's Error branch. Every `reason` is
  a value the response model declares (models/response.py `reasons`; a store error's is the
  one its class declares), never a class name;
* a body that overruns changes nothing: its store writes are refused from the deadline on
  (functions/deadline.py), and when one had begun the runtime waits a short grace for the
  body's own answer instead of contradicting it;
* every line logged during the call, on the body's worker thread too, carries the ContactId
  as correlation id, set before the body runs and cleared after (functions/observability.py);
  one JSON log line per invocation (caller data masked) and an EMF metric per status.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import time
import typing
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ValidationError

from functions import observability, snapstart
from functions.cold_start import resume_collection
from functions.config import RuntimeSettings
from functions.container import Container, environment
from functions.deadline import Deadline, run_under
from functions.errors import DeadlineExceeded, InvalidEvent, InvalidInput, NotFound, StoreError
from functions.privacy import mask_phone
from models.connect_limits import MAX_TIME_LIMIT_S, MIN_TIME_LIMIT_S
from models.contract import HandlerContract
from models.event import ConnectEvent, ContactData
from models.parameters import TIME_LIMIT_PARAMETER, ConnectParameters, NoParameters
from models.response import ConnectResponse, ResponseContractError, RuntimeReason, Status

__all__ = [
    "TIME_LIMIT_PARAMETER",
    "ConnectHandler",
    "ConnectParameters",
    "Container",
    "Deadline",
    "HandlerContract",
    "Invocation",
    "NoParameters",
    "connect_handler",
    "contract_of",
    "parse_event",
    "time_budget",
]

P = TypeVar("P", bound=ConnectParameters)
R = TypeVar("R", bound=ConnectResponse)

# A handler never gets less than this to work with, however small the limit and margin.
MIN_BUDGET_S = 0.05


class LambdaContext(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


@dataclass(frozen=True)
class Invocation(Generic[P]):
    """What a function body gets: the event, its parameters, the deadline and the container."""

    event: ConnectEvent
    parameters: P
    deadline: Deadline
    container: Container

    @property
    def contact(self) -> ContactData:
        return self.event.contact

    @property
    def settings(self) -> RuntimeSettings:
        return self.container.settings


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


def contract_of(body: Callable[..., Any]) -> HandlerContract[Any, Any]:
    """The contract `body`'s signature declares: `(call: Invocation[P]) -> R`."""
    where = f"{getattr(body, '__module__', '?')}.{getattr(body, '__qualname__', body)!s}"
    try:
        hints = typing.get_type_hints(body)
    except Exception as exc:  # a name the annotations use is not importable at run time
        raise TypeError(f"{where}: its annotations can't be resolved ({exc})") from exc
    names = list(inspect.signature(body).parameters)
    annotation = hints.get(names[0]) if len(names) == 1 else None
    if typing.get_origin(annotation) is not Invocation:
        raise TypeError(
            f"{where}: declare the one parameter as `call: Invocation[YourParameters]` "
            "(Invocation[NoParameters] when the function reads none)"
        )
    (parameters,) = typing.get_args(annotation)
    response = hints.get("return")
    if response is None:
        raise TypeError(
            f"{where}: declare the ConnectResponse model it answers as its return annotation"
        )
    return HandlerContract(parameters=parameters, response=response)


class ConnectHandler(Generic[P, R]):
    """`body(Invocation[P]) -> R` as a Lambda handler that keeps Connect's contract.

    Lambda calls `handler(event, context)`, which runs on the environment's container;
    tests and the simulator pass their own: `handler(event, container=...)`.
    """

    def __init__(
        self,
        body: Callable[[Invocation[P]], R],
        contract: HandlerContract[P, R],
        name: str | None = None,
    ) -> None:
        functools.update_wrapper(self, body)
        self.body = body
        self.contract = contract
        self.name = name or body.__module__.rsplit(".", 1)[-1]

    def __call__(
        self, event: Any, context: Any = None, *, container: Container | None = None
    ) -> dict[str, str]:
        started = time.perf_counter()
        try:
            parsed = parse_event(event)
            active = container or environment()
            with observability.correlated(parsed.contact.contact_id):
                answer = self._answer(parsed, active, context)
                _record(active, self.name, parsed, answer, time.perf_counter() - started)
            return answer
        finally:
            resume_collection()  # a no-op after the environment's first invocation

    def _answer(self, event: ConnectEvent, container: Container, context: Any) -> dict[str, str]:
        response = self.contract.response
        log = container.logger
        if not event.contact.ids_usable:
            log.warning("contact id unusable as a store key")
            return _failure(response, Status.INVALID_INPUT, RuntimeReason.INVALID_CONTACT_ID)
        try:
            params = self.contract.parameters.model_validate(event.parameters)
        except ValidationError as exc:
            missing = [str(e["loc"][0]) for e in exc.errors() if e["type"] == "missing"]
            reason = RuntimeReason.MISSING_PARAMETER if missing else RuntimeReason.INVALID_PARAMETER
            log.warning(
                "flow passed unusable parameters",
                extra={"reason": reason.value, "missing": missing},
            )
            return _failure(response, Status.INVALID_INPUT, reason)
        settings = container.settings
        budget = time_budget(event.parameters, settings, context)
        call = Invocation(event, params, Deadline.after(budget), container)
        # The body's thread gets a copy of this context: the correlation id set around it.
        body_context = contextvars.copy_context()
        future = container.workers.submit(body_context.run, _body_under_deadline, self.body, call)
        with contextlib.suppress(FutureTimeout):
            return _outcome(future, budget, response, log)
        if call.deadline.close():
            # No write had begun, and none can now: the body's late work changes nothing.
            log.warning("deadline passed", extra={"budget_s": round(budget, 3)})
            return _failure(response, Status.UNAVAILABLE, RuntimeReason.TIMEOUT)
        # A write began before the deadline: what it did may be the body's answer, so wait for
        # that answer within half the margin kept for the reply's journey (the other half).
        grace = settings.deadline_margin_ms / 2000
        with contextlib.suppress(FutureTimeout):
            return _outcome(future, grace, response, log)
        log.error(
            "deadline passed with a write begun: it may land although the flow hears unavailable",
            extra={"budget_s": round(budget, 3), "grace_s": round(grace, 3)},
        )
        return _failure(response, Status.UNAVAILABLE, RuntimeReason.TIMEOUT)


def _body_under_deadline(body: Callable[[Invocation[P]], R], call: Invocation[P]) -> R:
    """`body(call)` with the call's deadline as the current one (functions/deadline.py)."""
    return run_under(call.deadline, body, call)


def connect_handler(body: Callable[[Invocation[P]], R]) -> ConnectHandler[P, R]:
    """Make `body` a Lambda handler; its signature is its contract (see the module's doc)."""
    contract: HandlerContract[P, R] = contract_of(body)
    # In Lambda only: build the container and warm the models during init, not on the first
    # call's deadline; register the SnapStart hooks (functions/snapstart.py).
    snapstart.prepare(contract.response, contract.parameters)
    return ConnectHandler(body, contract)


def _failure(response: type[R], status: Status, reason: str) -> dict[str, str]:
    return response.failure(status, reason).to_string_map()


def _outcome(future: Future[R], timeout: float, response: type[R], log: Any) -> dict[str, str]:
    """The body's answer, or the status its exception stands for; `FutureTimeout` when the
    body is not done within `timeout` seconds."""
    try:
        result = future.result(timeout=timeout)
        return result.to_string_map()
    except FutureTimeout:
        raise
    except DeadlineExceeded:
        log.warning("a write came after the deadline and was refused")
        return _failure(response, Status.UNAVAILABLE, RuntimeReason.TIMEOUT)
    except InvalidInput as exc:
        if exc.reason not in response.reasons:
            log.error(
                "function gave a reason its response does not declare",
                extra={"reason": str(exc.reason), "response": response.__name__},
            )
            return _failure(response, Status.UNAVAILABLE, RuntimeReason.INTERNAL_ERROR)
        return _failure(response, Status.INVALID_INPUT, exc.reason)
    except NotFound:
        return _failure(response, Status.NOT_FOUND, RuntimeReason.NOT_FOUND)
    except StoreError as exc:
        log.warning("store failed", extra={"error": type(exc).__name__})
        return _failure(response, Status.UNAVAILABLE, exc.reason)
    except (ResponseContractError, ValidationError):
        log.exception("function built a response Connect would reject")
        return _failure(response, Status.UNAVAILABLE, RuntimeReason.INTERNAL_ERROR)
    except Exception:
        log.exception("function failed")
        return _failure(response, Status.UNAVAILABLE, RuntimeReason.INTERNAL_ERROR)


def _record(
    container: Container,
    name: str,
    event: ConnectEvent,
    answer: Mapping[str, str],
    elapsed: float,
) -> None:
    status = answer.get("status", "")
    container.logger.info(
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
    metrics = container.metrics
    metrics.add_dimension(name="function", value=name)
    metrics.add_metric(name=f"status_{status or 'none'}", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="duration", unit=MetricUnit.Milliseconds, value=elapsed * 1000)
    metrics.flush_metrics()
    metrics.clear_metrics()  # a disabled Metrics keeps what flush did not print
