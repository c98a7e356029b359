"""What the bench scripts share: moto's DynamoDB server, a seeded customer, a Connect event,
and the statistics they print. Not a test helper: the scripts in bench/ measure, they don't
assert (tests/ never time anything).
"""

from __future__ import annotations

import logging
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TABLE_NAME = "ivr-customers-bench"
CALLER = "+81312345678"

if str(ROOT) not in sys.path:  # run as `python bench/x.py` from anywhere
    sys.path.insert(0, str(ROOT))


def timed_child(
    argv: Sequence[str], **run: Any
) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run `argv` (subprocess.run keywords `run`, output captured as text); its result, wall
    seconds, and CPU seconds (user + system) of it and everything it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, **run)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done, wall, cpu


def connect_event(
    address: str = CALLER, parameters: dict[str, str] | None = None
) -> dict[str, Any]:
    """A minimal voice-contact event as a flow's InvokeLambdaFunction block sends it."""
    return {
        "Name": "ContactFlowEvent",
        "Details": {
            "ContactData": {
                "ContactId": "4a573372-1f28-4e26-b97b-0fe4a0e3d2b1",
                "InitialContactId": "4a573372-1f28-4e26-b97b-0fe4a0e3d2b1",
                "Channel": "VOICE",
                "InitiationMethod": "INBOUND",
                "InstanceARN": "arn:aws:connect:ap-northeast-1:123456789012:instance/"
                "11111111-2222-3333-4444-555555555555",
                "Attributes": {},
                "CustomerEndpoint": {"Address": address, "Type": "TELEPHONE_NUMBER"},
                "SystemEndpoint": {"Address": "+81300000000", "Type": "TELEPHONE_NUMBER"},
            },
            "Parameters": parameters or {},
        },
    }


@contextmanager
def moto_stack(
    variables: dict[str, str], seed: Callable[[dict[str, str]], None]
) -> Iterator[dict[str, str]]:
    """moto's server on 127.0.0.1, this process's environment pointed at it, `seed` run.

    Yields the environment a child process needs to reach it as a deployed function would:
    dummy credentials, AWS_ENDPOINT_URL_DYNAMODB, and `variables`. The environment is restored
    and the server stopped afterwards.
    """
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    environment = {
        "AWS_ENDPOINT_URL_DYNAMODB": f"http://{host}:{port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-northeast-1",
        "AWS_REGION": "ap-northeast-1",
        "IVR_STORE_BACKEND": "dynamodb",
        "IVR_DEFAULT_REGION": "JP",
        "POWERTOOLS_SERVICE_NAME": "connect-ivr",
        "POWERTOOLS_METRICS_NAMESPACE": "ConnectIVR",
        **variables,
    }
    saved = {
        name: os.environ.get(name) for name in [*environment, "AWS_PROFILE", "AWS_ENDPOINT_URL"]
    }
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.update(environment)
    try:
        seed(environment)
        yield environment
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def dynamodb_with_one_customer() -> Iterator[dict[str, str]]:
    """moto's server with the template's CustomersTable holding one customer (moto_stack)."""
    with moto_stack({"IVR_CUSTOMERS_TABLE": TABLE_NAME}, lambda _environment: _seed()) as env:
        yield env


def _seed() -> None:
    from functions.stores.dynamodb.client import new_dynamodb_client
    from functions.stores.dynamodb.customers import DynamoCustomerStore
    from ivr.tables import create_table
    from models.customer import Customer

    client = new_dynamodb_client()
    create_table(client, "CustomersTable", TABLE_NAME)
    DynamoCustomerStore(TABLE_NAME, client).put(
        Customer(customer_id="c-0001", phone_e164=CALLER, first_name="Hanako", last_name="Sato")
    )


def child_environment(extra: dict[str, str]) -> dict[str, str]:
    """This process's environment plus `extra`, without what would change a child's imports."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    environment.update(extra)
    return environment


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p90(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[8]
