"""The built Lambda artifacts, the stores they reach, and one isolated invocation each.

    artifacts        every function's artifact, built once per session by deploy/Makefile's
                     `build-<LogicalId>` target (ARTIFACT_PLATFORM=host: this CPU, Python 3.12)
    runtime_path     what the Lambda runtime adds to the path: boto3 and its dependencies
    invoke           invoke(function, backend) -> what the artifact answered and imported, in a
                     `python3.12 -I -S` process with only those two folders on its path

The environment of each invocation is the function's environment in template.yaml, with the
template's references resolved to this session's tables and secrets; a backend other than the
deployed one overrides only the variables that choose the store.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from functions.config import (
    DATABASE_PROXY_HOST,
    DATABASE_SECRET_ARN,
    DATABASE_URL,
    ORDER_STORE_BACKEND,
    ORDERS_TABLE,
    STORE_BACKEND,
    env,
)
from functions.stores import registry
from ivr.seeding.orders import sample_credentials, sample_orders
from ivr.template import load_template
from tests.conftest import (
    DEFAULT_TEST_MYSQL_URL,
    DEFAULT_TEST_POSTGRES_URL,
    TEST_MYSQL_URL,
    TEST_POSTGRES_URL,
    _session_database,
    service_unavailable,
)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import build_artifact  # noqa: E402  (deploy/ is scripts, not a package)

TEMPLATE = load_template(ROOT / "template.yaml")
FUNCTIONS: dict[str, dict[str, Any]] = build_artifact.artifact_table()
CHILD = Path(__file__).with_name("invoke_artifact.py")
EVENT = json.loads((ROOT / "tests" / "events" / "known_caller.json").read_text())
# The known caller (+81312345678) is Taro, cust-0001; his PIN and first order.
TARO = sample_credentials()[0]
TARO_ORDER = next(
    o for o in sample_orders(datetime.date.today()) if o.customer_id == TARO.customer_id
)
# What the deployed stack runs on: DynamoDB, and orders on RDS through a secret.
DEPLOYED_BACKEND = {"OrderStatusFunction": "mysql"}
SECRET_ENGINES = {"mysql": "mariadb", "postgresql": "postgres"}
# The Lambda environment variables a handler may see besides the template's own.
# https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
LAMBDA_VARIABLES = {"AWS_LAMBDA_FUNCTION_NAME": "artifact-test", "TZ": ":UTC"}
# The callback workflow's functions (issue 11): their events are the state machine's and the
# stream's, not Connect's; test values for the template parameters they read without a default.
WORKFLOW_EXECUTION = "artifact-test"
WORKFLOW_PARAMETERS = {
    "OutboundContactFlowId": "66666666-7777-8888-9999-000000000000",
    "OutboundQueueId": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "OutboundSourceNumber": "+81120000000",
}
CONNECT_INSTANCE_ID = "11111111-2222-3333-4444-555555555555"


def handler_module(logical_id: str) -> str:
    handler: str = TEMPLATE["Resources"][logical_id]["Properties"]["Handler"]
    return handler.rsplit(".", 1)[0]


def template_environment(logical_id: str) -> dict[str, Any]:
    """Globals' variables overlaid with the function's own, as CloudFormation merges them."""
    variables = dict(TEMPLATE["Globals"]["Function"]["Environment"]["Variables"])
    own = TEMPLATE["Resources"][logical_id]["Properties"].get("Environment", {})
    variables.update(own.get("Variables", {}))
    return variables


def cases() -> list[tuple[str, str]]:
    """(function, case) for every backend deploy/artifacts.toml says a function reaches, and
    its parameter sets on the first backend: "dynamodb", "dynamodb,HolidayCountry=US"."""
    found = []
    for name, spec in FUNCTIONS.items():
        found += [(name, backend) for backend in spec["backends"]]
        for parameters in spec.get("parameters", []):
            pinned = ",".join(f"{key}={value}" for key, value in parameters.items())
            found.append((name, f"{spec['backends'][0]},{pinned}"))
    return found


def parse_case(case: str) -> tuple[str, dict[str, str]]:
    """A case's backend and the template parameters it sets."""
    backend, *pinned = case.split(",")
    return backend, dict(item.split("=", 1) for item in pinned)


@dataclass
class Invocation:
    answer: dict[str, str]
    read: list[str]
    distributions: list[str]
    without_bytecode: list[str]
    python: str
    log: str = ""  # what the handler logged (stderr) and printed (EMF metrics, stdout)


@pytest.fixture(scope="session")
def python312() -> str:
    try:
        return str(build_artifact.target_python())
    except build_artifact.BuildError as exc:
        service_unavailable("Python 3.12 (the Lambda runtime's)", exc)
        raise


@pytest.fixture(scope="session")
def runtime_path(python312: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_artifact.build_runtime(tmp_path_factory.mktemp("runtime"), platform="host")


@pytest.fixture(scope="session")
def artifacts(python312: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each function built exactly as `sam build` builds it: `make build-<LogicalId>`."""
    root = tmp_path_factory.mktemp("artifacts")

    def build(logical_id: str) -> Path:
        out = root / logical_id
        done = subprocess.run(
            ["make", "-s", "-f", "deploy/Makefile", f"build-{logical_id}"],
            cwd=ROOT,
            env={**os.environ, "ARTIFACTS_DIR": str(out), "ARTIFACT_PLATFORM": "host"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"build-{logical_id} failed:\n{done.stderr}"
        return out

    with ThreadPoolExecutor(max_workers=2) as pool:
        built = dict(zip(FUNCTIONS, pool.map(build, FUNCTIONS), strict=True))
    return built


@dataclass
class Stores:
    """This session's seeded stores: DynamoDB tables by logical id, SQL URLs, secrets."""

    tables: dict[str, str]
    sql_urls: dict[str, str]
    secrets: dict[str, str]
    state_machine: str = ""  # a callback state machine on moto (not executed)


def _seed(environment: dict[str, str]) -> None:
    """`ivr seed`, as deploy/README.md seeds a deployed stack."""
    done = subprocess.run(
        [sys.executable, "-m", "ivr.cli", "seed", "--create-table"],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"ivr seed failed:\n{done.stdout}\n{done.stderr}"


def _table_variables(tables: dict[str, str]) -> dict[str, str]:
    """IVR_*_TABLE -> this session's name, for every table the stores declare."""
    return {table.variable: tables[table.logical_id] for table in registry.TABLES}


@pytest.fixture(scope="session")
def stores(moto_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stores]:
    """Seeded once per session, in databases of their own: the other suites' MariaDB and
    PostgreSQL databases expect to start empty, and these keep the sample data all session."""
    suffix = uuid.uuid4().hex[:8]
    tables = {
        logical_id: f"artifact-{logical_id}-{suffix}"
        for logical_id, resource in TEMPLATE["Resources"].items()
        if resource["Type"] == "AWS::DynamoDB::Table"
    }
    _seed({STORE_BACKEND: "dynamodb", **_table_variables(tables)})
    sqlite = tmp_path_factory.mktemp("sqlite") / "ivr.sqlite3"
    sql_urls = {"sqlite": f"sqlite:///{sqlite}"}
    needed = {parse_case(case)[0] for _, case in cases()}
    admin_urls = {
        "mysql": env(TEST_MYSQL_URL, DEFAULT_TEST_MYSQL_URL),
        "postgresql": env(TEST_POSTGRES_URL, DEFAULT_TEST_POSTGRES_URL),
    }
    with ExitStack() as databases:
        for name, admin_url in admin_urls.items():
            if name in needed:
                sql_urls[name] = databases.enter_context(_session_database(name, admin_url))
        for url in sql_urls.values():
            _seed({STORE_BACKEND: "sql", DATABASE_URL: url})
        yield Stores(tables, sql_urls, _secrets(sql_urls, moto_server), _state_machine(moto_server))


def _state_machine(endpoint: str) -> str:
    """The callback workflow's ASL on moto's server, for start_callback_workflow to start."""
    import boto3

    client = boto3.client("stepfunctions", endpoint_url=endpoint)
    definition = (ROOT / "statemachines" / "callback.asl.json").read_text()
    return str(
        client.create_state_machine(
            name=f"artifact-callback-{uuid.uuid4().hex[:8]}",
            definition=definition,
            roleArn="arn:aws:iam::123456789012:role/artifact-callback",
        )["stateMachineArn"]
    )


def _secrets(sql_urls: dict[str, str], endpoint: str) -> dict[str, str]:
    """A Secrets Manager secret (on moto's server) per server database, in RDS's format. Its
    host is one that can't resolve: the function must connect to the proxy host instead."""
    import boto3

    from functions.stores.sql.database import parse_url

    client = boto3.client("secretsmanager", endpoint_url=endpoint)
    arns = {}
    for name, engine in SECRET_ENGINES.items():
        if name not in sql_urls:
            continue
        endpoint = parse_url(sql_urls[name]).endpoint  # type: ignore[attr-defined]
        secret = {
            "engine": engine,
            "host": "db-instance.invalid",
            "port": endpoint.port,
            "username": endpoint.user,
            "password": endpoint.password,
            "dbname": endpoint.database,
        }
        created = client.create_secret(
            Name=f"artifact-{name}-{uuid.uuid4().hex[:8]}", SecretString=json.dumps(secret)
        )
        arns[name] = created["ARN"]
    return arns


def _resolve(
    value: Any, logical_id: str, backend: str, parameters: dict[str, str], stores: Stores
) -> str:
    """A template value with this session's tables and parameters in place of references."""
    if isinstance(value, str):
        return value
    target = value.get("Ref") if isinstance(value, dict) else None
    if target in parameters:
        return parameters[target]
    if target in WORKFLOW_PARAMETERS:
        return WORKFLOW_PARAMETERS[target]
    if isinstance(value, dict) and "stateMachine:" in str(value.get("Fn::Sub", "")):
        return stores.state_machine
    if isinstance(value, dict) and "Fn::Select" in value:  # the instance id of its ARN
        return CONNECT_INSTANCE_ID
    if target in stores.tables:
        return stores.tables[target]
    if target == "DatabaseSecretArn":
        return stores.secrets.get(backend, "arn:aws:secretsmanager:us-east-1:123456789012:secret:x")
    if target == "DatabaseProxyEndpoint":
        return "127.0.0.1"
    parameter = TEMPLATE["Parameters"].get(target or "", {})
    if "Default" in parameter:
        return str(parameter["Default"])
    raise AssertionError(f"{logical_id}: no test value for {value!r}")


def function_environment(logical_id: str, case: str, stores: Stores) -> dict[str, str]:
    """The template's environment for `logical_id`, on the case's backend and parameters."""
    backend, parameters = parse_case(case)
    variables = {
        name: _resolve(value, logical_id, backend, parameters, stores)
        for name, value in template_environment(logical_id).items()
    }
    if backend == "sqlite":
        variables |= {STORE_BACKEND: "sql", DATABASE_URL: stores.sql_urls["sqlite"]}
    elif backend == "dynamodb" and ORDER_STORE_BACKEND in variables:
        variables |= {ORDER_STORE_BACKEND: "dynamodb", ORDERS_TABLE: stores.tables["OrdersTable"]}
        for name in (DATABASE_SECRET_ARN, DATABASE_PROXY_HOST):
            variables.pop(name, None)
    return variables


def event_for(logical_id: str, contact_id: str) -> dict[str, Any]:
    workflow_events: dict[str, dict[str, Any]] = {
        "StartCallbackWorkflowFunction": {
            "Records": [
                {
                    "eventName": "INSERT",
                    "dynamodb": {
                        "NewImage": {"contact_id": {"S": contact_id}},
                        "SequenceNumber": "1",
                    },
                }
            ]
        },
        "CallbackStepsFunction": {
            "step": "schedule",
            "callbackId": contact_id,
            "execution": WORKFLOW_EXECUTION,
            "lastError": "",
        },
        "PlaceCallbackFunction": {
            "callbackId": contact_id,
            "execution": WORKFLOW_EXECUTION,
            "attempt": 1,
            "taskToken": "artifact-task-token",
        },
    }
    if logical_id in workflow_events:
        return workflow_events[logical_id]
    parameters = {
        "VerifyPinFunction": {"pin": TARO.pin},
        "OrderStatusFunction": {"orderNumber": TARO_ORDER.order_number},
        "ReportCallbackOutcomeFunction": {
            "callbackId": contact_id,
            "callbackAttempt": "1",
            "outcome": "answered",
        },
    }.get(logical_id, {})
    event = json.loads(json.dumps(EVENT))
    contact = event["Details"]["ContactData"]
    contact |= {"ContactId": contact_id, "InitialContactId": contact_id}
    event["Details"]["Parameters"] = parameters
    return event


Invoke = Callable[[str, str], Invocation]


def _book_callback(table: str, contact_id: str, logical_id: str) -> None:
    """The callback a workflow step works on: booked (the schedule step) or scheduled by this
    execution (the dialing step)."""
    import boto3

    item = {
        "contact_id": {"S": contact_id},
        "phone_e164": {"S": "+81312345678"},
        "requested_at": {"S": "2026-01-05T00:00:00.000+00:00"},
        "language": {"S": "ja"},
        "status": {"S": "pending"},
    }
    if logical_id == "PlaceCallbackFunction":
        item |= {"state": {"S": "scheduled"}, "execution": {"S": WORKFLOW_EXECUTION}}
    boto3.client("dynamodb").put_item(TableName=table, Item=item)


@pytest.fixture(scope="session")
def invoke(
    artifacts: dict[str, Path], runtime_path: Path, stores: Stores, python312: str, moto_server: str
) -> Iterator[Invoke]:
    """invoke(function, case): one invocation of the artifact, cached for the session."""
    done: dict[tuple[str, str], Invocation] = {}
    aws = {
        name: os.environ[name]
        for name in (
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_ENDPOINT_URL_DYNAMODB",
        )
    } | {
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": moto_server,
        "AWS_ENDPOINT_URL_SFN": moto_server,
        "AWS_ENDPOINT_URL_CONNECT": moto_server,
    }

    def run(logical_id: str, case: str, contact_id: str) -> Invocation:
        environment = {**aws, **LAMBDA_VARIABLES, **function_environment(logical_id, case, stores)}
        command = [
            python312,
            "-I",
            "-S",
            str(CHILD),
            str(artifacts[logical_id]),
            str(runtime_path),
            handler_module(logical_id),
            json.dumps(event_for(logical_id, contact_id)),
        ]
        finished = subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=120, check=False
        )
        assert finished.returncode == 0, (
            f"{logical_id} on {case} crashed in the isolated interpreter:\n{finished.stderr}"
        )
        *logged, result = finished.stdout.strip().splitlines()
        return Invocation(**json.loads(result), log="\n".join([*logged, finished.stderr]))

    def invoke(logical_id: str, case: str) -> Invocation:
        if (logical_id, case) not in done:
            contact_id = str(uuid.uuid4())
            if logical_id == "OrderStatusFunction":
                # Orders are told only to a caller verify_pin verified on this contact; its
                # record lives where verify_pin's deployed artifact writes it.
                verified_on = "sqlite" if parse_case(case)[0] == "sqlite" else "dynamodb"
                verified = run("VerifyPinFunction", verified_on, contact_id)
                assert verified.answer.get("verified") == "true", verified.answer
            if logical_id in ("CallbackStepsFunction", "PlaceCallbackFunction"):
                _book_callback(stores.tables["CallbacksTable"], contact_id, logical_id)
            done[logical_id, case] = run(logical_id, case, contact_id)
        return done[logical_id, case]

    yield invoke
