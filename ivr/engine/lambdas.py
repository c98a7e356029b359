"""Lambda functions in a simulated call: which handler an ARN names, and invoking it the way
Connect does (connect.md 1.3).

An ARN is resolved, in order, through the explicit mapping (`--lambda ARN=module:function`,
`--lambda ARN=answer.json`, or a callable/dict from Python), then a `${<LogicalId>Arn}`
placeholder through template.yaml to the local handler. Real handlers run in-process, inline,
under the block's InvocationTimeLimitSeconds (guarded by watchdog.py, no thread per call); an
exception, an overrun, or an answer Connect would refuse (not an object, nested or non-string
with STRING_MAP, 32 KB or more) is a failed call, which the block turns into its Error branch.

A simulated call is one Lambda environment: the project's handlers (functions/runtime.py) run
on one container (functions/container.py) built from the environment when the first of them
is invoked, so a test that configures stores or IVR_FIXED_NOW before the call is heard. Its
stores are the process's for that environment (ivr/engine/stores.py).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ivr.engine.watchdog import WATCHDOG, HandlerTimedOut
from ivr.errors import FlowError
from ivr.flow_language import LAMBDA_ANSWER_LIMIT_BYTES, LAMBDA_TIME_LIMIT_S
from ivr.template import PLACEHOLDER, function_for_placeholder
from models.connect_limits import answer_too_large
from models.contract import HandlerContract

MAX_RESPONSE_BYTES = LAMBDA_ANSWER_LIMIT_BYTES
MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S = LAMBDA_TIME_LIMIT_S
LOGGER_NAME = "connect-ivr"  # functions.observability.SERVICE: the handlers' logger

Handler = Callable[..., Any]
LambdaTarget = str | Handler | Mapping[str, Any]
_ARN_FUNCTION = re.compile(r"^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:(?P<name>[^:]+)")


@dataclass(frozen=True)
class LambdaAnswer:
    response: dict[str, Any] | None
    error: str | None = None


@dataclass(frozen=True)
class LocalFunction:
    """A handler (or a canned answer) standing in for one Lambda ARN."""

    name: str
    handler: Handler | None = None
    canned: Any = None


class SimulatedContext:
    """The parts of Lambda's context object handlers read."""

    def __init__(self, name: str, arn: str, seconds: float) -> None:
        self.function_name = name
        self.invoked_function_arn = arn
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 512
        self.aws_request_id = "00000000-0000-4000-8000-00000000simu"
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = "simulator"
        self._deadline = time.monotonic() + seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def function_name(arn: str) -> str:
    """What a call is shown as: the logical id of `${XArn}`, the name in an ARN, else the text."""
    placeholder = PLACEHOLDER.fullmatch(arn.strip())
    if placeholder and placeholder["name"].endswith("Arn"):
        return placeholder["name"][: -len("Arn")]
    match = _ARN_FUNCTION.match(arn)
    return match["name"] if match else arn


def validate(answer: Any, response_type: str) -> LambdaAnswer:
    """The answer as Connect would accept it, or the reason it would take the Error branch."""
    if response_type != "JSON" and _small_ascii_string_map(answer):
        return LambdaAnswer(answer)  # flat, strings, and far below the limit: nothing to refuse
    if not isinstance(answer, dict):
        return LambdaAnswer(None, f"response is {type(answer).__name__}, not a JSON object")
    try:
        too_large = answer_too_large(answer)
    except (TypeError, ValueError) as exc:
        return LambdaAnswer(None, f"response is not JSON: {exc}")
    if too_large is not None:
        return LambdaAnswer(None, too_large)
    if response_type != "JSON":
        for key, value in answer.items():
            if isinstance(value, dict | list):
                return LambdaAnswer(None, f"STRING_MAP response has a nested value under {key!r}")
            if not isinstance(value, str):
                return LambdaAnswer(
                    None,
                    f"STRING_MAP response value {key!r} is {type(value).__name__}, not a string",
                )
    return LambdaAnswer(answer)


def _small_ascii_string_map(answer: Any) -> bool:
    """True when `answer` is a dict of ASCII str to ASCII str whose JSON cannot reach 32 KB
    (at most 6 bytes a character, as `\\u001f`, plus 8 for quotes and separators per item),
    so validating it needs no encoding. Anything else takes the full check."""
    if type(answer) is not dict:
        return False
    bound = 2
    for key, value in answer.items():
        if type(key) is not str or type(value) is not str:
            return False
        if not (key.isascii() and value.isascii()):
            return False
        bound += 6 * (len(key) + len(value)) + 8
    return bound < MAX_RESPONSE_BYTES


class LambdaInvoker:
    """Finds and runs the local stand-in for each ARN a flow invokes."""

    def __init__(
        self,
        mapping: Mapping[str, LambdaTarget] | None = None,
        template: Path | None = None,
        *,
        verbose: bool = False,
    ) -> None:
        self._mapping = {key: _target(key, value) for key, value in (mapping or {}).items()}
        self._template = template
        self._verbose = verbose
        self._found: dict[str, LocalFunction | None] = {}
        self._environment_set = False
        self._container: Any = None  # functions.container.Container, built on first use

    def find(self, raw: str, resolved: str) -> LocalFunction | None:
        for key in (resolved, raw):
            if key in self._mapping:
                return self._mapping[key]
        if resolved not in self._found:
            self._found[resolved] = self._from_template(resolved)
        return self._found[resolved]

    def invoke(
        self,
        function: LocalFunction,
        arn: str,
        event: dict[str, Any],
        time_limit_s: float,
        response_type: str,
    ) -> LambdaAnswer:
        if function.handler is None:
            return validate(function.canned, response_type)
        if not self._environment_set:
            # Metrics would print an EMF blob per call.
            os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
            self._environment_set = True
        context = SimulatedContext(function.name, arn, time_limit_s)
        # The handlers' INFO lines would drown the transcript. A filter, not setLevel: the
        # Powertools Logger sets its level when it is first built (inside the first call);
        # removed afterwards so nothing else in the process is affected.
        quiet = None if self._verbose else logging.getLogger(LOGGER_NAME)
        if quiet is not None:
            quiet.addFilter(_below_warning)
        try:
            answer = WATCHDOG.call(time_limit_s, self._bound(function.handler), event, context)
        except HandlerTimedOut:
            return LambdaAnswer(
                None, f"handler did not answer within InvocationTimeLimitSeconds={time_limit_s:g}"
            )
        except Exception as exc:
            return LambdaAnswer(None, f"handler raised {type(exc).__name__}: {exc}")
        finally:
            if quiet is not None:
                quiet.removeFilter(_below_warning)
        return validate(answer, response_type)

    def _bound(self, handler: Handler) -> Handler:
        """A project handler bound to this call's container; any other callable as it is."""
        if not isinstance(getattr(handler, "contract", None), HandlerContract):
            return handler
        if self._container is None:
            # Imported here: only a call that runs the project's handlers pays for them.
            from functions.config import RuntimeSettings
            from functions.container import Container
            from ivr.engine.stores import environment_stores

            self._container = Container.build(
                settings=RuntimeSettings.from_env(), stores=environment_stores()
            )
        return functools.partial(handler, container=self._container)

    def _from_template(self, arn: str) -> LocalFunction | None:
        if self._template is None or not PLACEHOLDER.fullmatch(arn.strip()):
            return None
        spec = function_for_placeholder(arn, self._template)
        if spec is None:
            return None
        return LocalFunction(spec.logical_id, import_handler(spec.module, spec.attribute, arn))


def _below_warning(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


@contextlib.contextmanager
def quiet_handler_logs() -> Iterator[None]:
    """The handlers' INFO lines dropped while the block runs (warnings still show)."""
    target = logging.getLogger(LOGGER_NAME)
    target.addFilter(_below_warning)
    try:
        yield
    finally:
        target.removeFilter(_below_warning)


def _target(key: str, value: LambdaTarget) -> LocalFunction:
    name = function_name(key)
    if callable(value):
        return LocalFunction(name, handler=value)
    if isinstance(value, Mapping):
        return LocalFunction(name, canned=dict(value))
    if value.endswith(".json") or ("/" in value and ":" not in value):
        return LocalFunction(name, canned=_read_answer(value))
    module, sep, attribute = value.partition(":")
    if not sep or not module or not attribute:
        raise FlowError(
            f"--lambda {key}={value}: give module:function (e.g. functions.identify_caller:handler)"
            " or a JSON file holding the answer"
        )
    return LocalFunction(name, handler=import_handler(module, attribute, key))


def _read_answer(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise FlowError(f"cannot read Lambda answer {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise FlowError(f"Lambda answer {path} is not valid JSON: {exc}") from exc


def import_handler(module: str, attribute: str, arn: str) -> Handler:
    """`module.attribute`, imported; FlowError naming `arn` (what the user wrote) if it fails."""
    try:
        handler: object = getattr(importlib.import_module(module), attribute)
    except ImportError as exc:
        raise FlowError(f"{arn}: cannot import {module}: {exc}") from exc
    except AttributeError as exc:
        raise FlowError(f"{arn}: {module} has no {attribute}") from exc
    if not callable(handler):
        raise FlowError(f"{arn}: {module}.{attribute} is not a function")
    return handler
