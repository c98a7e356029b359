"""start_callback_workflow (SAM `StartCallbackWorkflowFunction`): one workflow per callback.

Invoked by the event source mapping on the callbacks table's stream, filtered to INSERTs
(a callback request_callback booked). Each record starts the callback state machine
(IVR_CALLBACK_STATE_MACHINE_ARN) with an execution named after the callback id: a record
delivered twice starts nothing new (Step Functions answers the running execution for the
same name and input, and ExecutionAlreadyExists once it has ended; both mean "started").

A record that can't be started is answered in `batchItemFailures`, so Lambda retries it
alone; past the mapping's retries it goes to the dead-letter queue (template.yaml).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from functions import observability
from functions.config import CALLBACK_STATE_MACHINE_ARN, env
from functions.container import Container, environment
from functions.errors import ConfigurationError

# Step Functions execution names: 1-80 characters of letters, digits, "-" and "_".
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
NAME_LIMIT = 80


def execution_name(callback_id: str) -> str:
    """The execution's name: the callback id itself when it is a valid name (Connect's
    contact ids are), otherwise a readable prefix and a digest of the whole id."""
    if not _NAME_UNSAFE.search(callback_id) and len(callback_id) <= NAME_LIMIT:
        return callback_id
    digest = hashlib.sha256(callback_id.encode()).hexdigest()[:16]
    prefix = _NAME_UNSAFE.sub("_", callback_id)[: NAME_LIMIT - len(digest) - 1]
    return f"{prefix}-{digest}"


def booked_callback_id(record: dict[str, Any]) -> str | None:
    """The callback id of a stream record that books a callback, else None."""
    if record.get("eventName") != "INSERT":
        return None
    image = record.get("dynamodb", {}).get("NewImage", {})
    return image.get("contact_id", {}).get("S") or None


def start(callback_id: str, state_machine_arn: str, client: Any) -> str:
    """Start the callback's execution (or find it started); its name."""
    name = execution_name(callback_id)
    try:
        client.start_execution(
            stateMachineArn=state_machine_arn,
            name=name,
            # lastError: what the schedule step records; none before the first attempt.
            input=json.dumps({"callbackId": callback_id, "lastError": ""}),
        )
    except client.exceptions.ExecutionAlreadyExists:
        observability.logger().info("callback workflow already started", extra={"execution": name})
    return name


def handler(
    event: dict[str, Any], context: Any = None, *, container: Container | None = None
) -> dict[str, list[dict[str, str]]]:
    client = (container or environment()).aws.client("stepfunctions")
    state_machine = env(CALLBACK_STATE_MACHINE_ARN)
    if not state_machine:
        raise ConfigurationError(f"set {CALLBACK_STATE_MACHINE_ARN} to the callback state machine")
    failures: list[dict[str, str]] = []
    for record in event.get("Records", []):
        callback_id = booked_callback_id(record)
        if callback_id is None:
            continue
        try:
            start(callback_id, state_machine, client)
        except Exception as exc:
            observability.logger().warning(
                "callback workflow not started",
                extra={"contact_id": callback_id, "error_type": type(exc).__name__},
            )
            sequence = record.get("dynamodb", {}).get("SequenceNumber", "")
            failures.append({"itemIdentifier": sequence})
    return {"batchItemFailures": failures}
