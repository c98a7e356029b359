"""Work a container does before its first invocation: in Lambda's init, and for SnapStart.

`prepare(response, parameters)` runs once per handler module, when `connect_handler`
decorates it, and only inside Lambda (AWS_LAMBDA_FUNCTION_NAME set; tests and the `ivr`
toolkit importing handlers are untouched). It builds what every first invocation would
otherwise build on the caller's time, before the invocation's deadline starts:

* the DynamoDB client (botocore's import and the client's service model and endpoint rules:
  the largest part of a cold start, bench/README.md), when the functions use DynamoDB; SQL
  connections and the RDS secret stay lazy: a connection must not be opened at init and then
  sit in a snapshot;
* the environment's container (functions/container.py): the settings, the Powertools Logger
  and Metrics, the worker pool and the (lazy) stores;
* pydantic's validators and serializers of the event, the function's parameters and response
  (a canned event parsed, a failure answer serialized);
* phonenumbers' metadata for IVR_DEFAULT_REGION, when the function reads numbers.

A failure here is swallowed: the first invocation builds the same thing again and answers
`unavailable` with the reason if it fails again, where the flow can branch on it.

With SnapStart (template.yaml's `SnapStart` parameter), the init above is what the snapshot
holds. The runtime hooks come from `snapshot_restore_py`, which the Lambda Python runtime
ships (imported only when present):
https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-python.html

* before the snapshot: the collector paused by functions/cold_start.py freezes what start-up
  built and resumes, so the restored container starts with a clean heap;
* after restore: the environment's DynamoDB client drops any pooled connection (a socket
  from before the snapshot is dead). Its credentials are botocore's refreshable container
  credentials, which SnapStart functions get instead of key variables and which fetch
  themselves again when expired: https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html#snapstart-credentials
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from functions.cold_start import LAMBDA_MARKER, resume_collection

if TYPE_CHECKING:
    from functions.container import Container, Environment

__all__ = ["after_restore", "before_snapshot", "prepare", "warm"]

# What a flow's InvokeLambdaFunction block sends, reduced to what the envelope requires.
_CANNED_EVENT: dict[str, Any] = {
    "Name": "ContactFlowEvent",
    "Details": {
        "ContactData": {
            "ContactId": "00000000-0000-4000-8000-000000000000",
            "InitialContactId": "00000000-0000-4000-8000-000000000000",
            "Channel": "VOICE",
            "InitiationMethod": "INBOUND",
            "InstanceARN": "arn:aws:connect:ap-northeast-1:123456789012:instance/"
            "00000000-0000-4000-8000-000000000000",
            "CustomerEndpoint": {"Address": "+81312345678", "Type": "TELEPHONE_NUMBER"},
            "Attributes": {},
        },
        "Parameters": {},
    },
}
# A national number of the default region: parsing one loads that region's metadata.
_SAMPLE_NATIONAL_NUMBER = "0312345678"


def prepare(
    response: type[Any], parameters: type[Any], environment: Environment | None = None
) -> None:
    """In Lambda only: build the environment's container (functions/container.py
    `environment`, or the `environment` given) and warm it now; register the SnapStart hooks
    once per environment."""
    if not os.environ.get(LAMBDA_MARKER):
        return
    if environment is None:
        from functions.container import environment as process_environment

        environment = process_environment
    with contextlib.suppress(Exception):
        warm(response, parameters, environment())
    if not environment.snapshot_hooks_registered:
        environment.snapshot_hooks_registered = _register_hooks(environment)


def warm(response: type[Any], parameters: type[Any], container: Container) -> None:
    """Build what a first invocation of a handler with these models needs (see above)."""
    from functions import runtime
    from models.response import RuntimeReason, Status

    settings = container.settings
    event = runtime.parse_event(_CANNED_EVENT)
    with contextlib.suppress(Exception):  # required parameters are absent: still compiled
        parameters.model_validate(event.parameters)
    # A failure every function may answer (a declared reason): builds the serializer.
    response.failure(Status.UNAVAILABLE, RuntimeReason.TIMEOUT).to_string_map()
    if container.stores.settings.backend.strip().lower() == "dynamodb":
        container.stores.dynamodb_client()
    caller_id = sys.modules.get("functions.caller_id")
    if caller_id is not None:
        caller_id.parse_number(_SAMPLE_NATIONAL_NUMBER, settings.default_region)


def before_snapshot() -> None:
    """Freeze what init built (functions/cold_start.py) so the snapshot starts clean."""
    resume_collection()


def after_restore(environment: Environment) -> None:
    """Drop the connections the environment's DynamoDB client pooled before the snapshot; the
    client reconnects on its next call."""
    client = environment().stores.built_dynamodb_client()
    if client is not None:
        client.close()


def _register_hooks(environment: Environment) -> bool:
    """Register both hooks; False outside the Lambda Python runtime (nothing to register)."""
    register = _hook_registrars()
    if register is None:
        return False
    before, after = register
    before(before_snapshot)
    after(functools.partial(after_restore, environment))
    return True


def _hook_registrars() -> tuple[Callable[..., Any], Callable[..., Any]] | None:
    """snapshot_restore_py's two registrars, or None outside the Lambda Python runtime."""
    try:
        hooks = importlib.import_module("snapshot_restore_py")
    except ImportError:
        return None
    return hooks.register_before_snapshot, hooks.register_after_restore
