"""The callback workflow offline, with real parts (issue 11).

* Step Functions: moto's server executes the ASL of statemachines/callback.asl.json (its
  `stepfunctions.execute_state_machine` config, moto >= 5.2), with the template's
  DefinitionSubstitutions filled in.
* Lambda: moto's simple Lambda backend, whose invoke is bound here to the handler that
  template.yaml names for the function (in-process, the same Python the test runs).
* DynamoDB (the callbacks table and its stream, the business table) and SQS (the dead-letter
  queue): moto's server.
* Connect: StartOutboundVoiceContact on a real botocore client wrapped in Stubber.

moto's ASL interpreter reaches Lambda and SQS at localhost:$MOTO_PORT, hence MOTO_PORT.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import pytest
from botocore.stub import Stubber

from functions import start_callback_workflow
from functions.aws_clients import new_client, new_session
from functions.config import RuntimeSettings
from functions.container import AwsClients, Container
from functions.stores.bundle import Stores
from ivr.template import functions_in, load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
ASL = ROOT / "statemachines" / "callback.asl.json"
ACCOUNT, REGION = "123456789012", "us-east-1"
INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
FLOW_ID = "66666666-7777-8888-9999-000000000000"
QUEUE_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
SOURCE_NUMBER = "+81120000000"


def patient_client(service: str) -> Any:
    """A client for the test's own calls: moto's first ASL parse takes seconds. On a session
    with the process's shared data loader (functions/aws_clients.py), so the service model is
    parsed once, not per client (~110 ms each)."""
    from botocore.config import Config

    return new_session().create_client(
        service, config=Config(read_timeout=60, retries={"total_max_attempts": 1})
    )


def function_arn(logical_id: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{logical_id}"


def definition() -> str:
    """The ASL with template.yaml's DefinitionSubstitutions, as CloudFormation fills them."""
    machine = load_template(TEMPLATE)["Resources"]["CallbackStateMachine"]["Properties"]
    text = ASL.read_text()
    for name, value in machine["DefinitionSubstitutions"].items():
        if name.endswith("FunctionArn"):
            target = value["Ref"].removesuffix(".Alias")
            text = text.replace("${" + name + "}", function_arn(target))
    return text


def _moto_config(endpoint: str, config: dict[str, Any]) -> None:
    request = Request(
        f"{endpoint}/moto-api/config",
        data=json.dumps(config).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urlopen(request, timeout=5) as answer:  # moto's server on 127.0.0.1
        answer.read()


def route_lambda_to_handlers(
    monkeypatch: pytest.MonkeyPatch, container: Callable[[], Container]
) -> list[tuple[str, Any]]:
    """Bind moto's simple Lambda invoke to our handlers, run on the test's container; the
    (function, event) invoked."""
    from moto.awslambda_simple.models import LambdaSimpleBackend

    specs = functions_in(TEMPLATE)
    invoked: list[tuple[str, Any]] = []

    def invoke(
        self: Any, function_name: str, qualifier: Any, body: Any, headers: Any, response: Any
    ) -> bytes:
        logical_id = function_name.rsplit(":function:", 1)[-1].split(":", 1)[0]
        spec = specs[logical_id]
        module = __import__(spec.module, fromlist=[spec.attribute])
        event = json.loads(body or "{}")
        invoked.append((logical_id, event))
        try:
            answer = getattr(module, spec.attribute)(event, None, container=container())
            return json.dumps(answer).encode()
        except Exception as exc:
            # As Lambda's Python runtime answers an unhandled exception.
            response["x-amz-function-error"] = "Unhandled"
            return json.dumps(
                {
                    "errorType": type(exc).__name__,
                    "errorMessage": str(exc),
                    "stackTrace": traceback.format_tb(exc.__traceback__),
                }
            ).encode()

    monkeypatch.setattr(LambdaSimpleBackend, "invoke", invoke)
    return invoked


@dataclass
class Workflow:
    endpoint: str
    dynamodb: Any
    callbacks_table: str
    state_machine_arn: str
    queue_url: str
    connect: Any
    stub: Stubber
    invoked: list[tuple[str, Any]]
    container: Container
    sfn: Any = field(init=False)
    sqs: Any = field(init=False)
    streams: Any = field(init=False)

    def __post_init__(self) -> None:
        self.sfn = patient_client("stepfunctions")
        self.sqs = patient_client("sqs")
        self.streams = patient_client("dynamodbstreams")

    # --- what the stream delivers ---------------------------------------------------------
    def stream_records(self) -> list[dict[str, Any]]:
        """Every record of the callbacks table's stream so far, as Lambda receives them."""
        arn = self.dynamodb.describe_table(TableName=self.callbacks_table)["Table"][
            "LatestStreamArn"
        ]
        records: list[dict[str, Any]] = []
        shards = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
        for shard in shards:
            iterator = self.streams.get_shard_iterator(
                StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            records.extend(self.streams.get_records(ShardIterator=iterator)["Records"])
        for record in records:  # Lambda's event carries these as JSON text
            record["dynamodb"].pop("ApproximateCreationDateTime", None)
        return records

    def deliver_stream(self) -> dict[str, Any]:
        event = {"Records": self.stream_records()}
        return start_callback_workflow.handler(event, container=self.container)

    # --- executions ---------------------------------------------------------------------
    def executions(self) -> list[dict[str, Any]]:
        return self.sfn.list_executions(stateMachineArn=self.state_machine_arn)["executions"]

    def wait_until(self, check: Callable[[], Any], what: str, timeout: float = 30) -> Any:
        __tracebackhide__ = True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            time.sleep(0.1)
        pytest.fail(f"timed out waiting for {what}; lambda invocations: {self.invoked}")

    def finished(self, execution_arn: str, timeout: float = 30) -> dict[str, Any]:
        def done() -> dict[str, Any] | None:
            found = self.sfn.describe_execution(executionArn=execution_arn)
            return None if found["status"] == "RUNNING" else found

        return self.wait_until(done, f"{execution_arn} to finish", timeout)

    def history(self, execution_arn: str) -> list[dict[str, Any]]:
        return self.sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]

    def dead_letters(self) -> list[dict[str, Any]]:
        answer = self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
        )
        return [json.loads(m["Body"]) for m in answer.get("Messages", [])]

    def record(self, callback_id: str) -> dict[str, Any]:
        item = self.dynamodb.get_item(
            TableName=self.callbacks_table,
            Key={"contact_id": {"S": callback_id}},
            ConsistentRead=True,
        )["Item"]
        return {k: next(iter(v.values())) for k, v in item.items()}


@pytest.fixture
def workflow(
    moto_server: str,
    dynamodb_client: Any,
    dynamodb_table: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Workflow]:
    endpoint = moto_server
    _moto_config(
        endpoint,
        {"lambda": {"use_docker": False}, "stepfunctions": {"execute_state_machine": True}},
    )
    monkeypatch.setenv("MOTO_PORT", str(urlsplit(endpoint).port))
    for service in ("SFN", "SQS", "DYNAMODB_STREAMS"):
        monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service}", endpoint)
    containers: list[Container] = []
    invoked = route_lambda_to_handlers(monkeypatch, lambda: containers[0])

    callbacks = dynamodb_table("CallbacksTable")
    business = dynamodb_table("BusinessTable")
    view = load_template(TEMPLATE)["Resources"]["CallbacksTable"]["Properties"]
    dynamodb_client.update_table(
        TableName=callbacks,
        StreamSpecification={
            "StreamEnabled": True,
            "StreamViewType": view["StreamSpecification"]["StreamViewType"],
        },
    )
    sqs = new_client("sqs")
    queue_url = sqs.create_queue(QueueName=f"callbacks-dlq-{callbacks[-8:]}")["QueueUrl"]
    text = definition().replace("${DeadLetterQueueUrl}", queue_url)
    sfn = patient_client("stepfunctions")
    machine = sfn.create_state_machine(
        name=f"callback-{callbacks[-8:]}",
        definition=text,
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/callback-workflow",
        type="STANDARD",
    )["stateMachineArn"]

    for name, value in {
        "IVR_STORE_BACKEND": "dynamodb",
        "IVR_CALLBACKS_TABLE": callbacks,
        "IVR_BUSINESS_TABLE": business,
        "IVR_CALLBACK_STATE_MACHINE_ARN": machine,
        "IVR_CALLBACK_MAX_ATTEMPTS": "3",
        "IVR_CALLBACK_RETRY_MINUTES": "15",
        "IVR_CALLBACK_ANSWER_SECONDS": "1",
        "IVR_CONNECT_INSTANCE_ID": INSTANCE_ID,
        "IVR_OUTBOUND_FLOW_ID": FLOW_ID,
        "IVR_OUTBOUND_QUEUE_ID": QUEUE_ID,
        "IVR_OUTBOUND_SOURCE_NUMBER": SOURCE_NUMBER,
    }.items():
        monkeypatch.setenv(name, value)
    connect = new_client("connect")
    stub = Stubber(connect)
    stub.activate()
    # The test's own container: its stores on these tables, Step Functions on moto's server,
    # Connect on the Stubber; its clock reads IVR_FIXED_NOW.
    containers.append(
        Container.build(
            settings=RuntimeSettings.from_env(),
            stores=Stores.from_env(),
            aws=AwsClients({"connect": connect}),
        )
    )
    try:
        yield Workflow(
            endpoint,
            dynamodb_client,
            callbacks,
            machine,
            queue_url,
            connect,
            stub,
            invoked,
            containers[0],
        )
    finally:
        stub.deactivate()
        _moto_config(
            endpoint,
            {"lambda": {"use_docker": True}, "stepfunctions": {"execute_state_machine": False}},
        )
        containers[0].close()
