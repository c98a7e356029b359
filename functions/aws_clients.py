"""Clients of the AWS services the callback workflow calls (Step Functions, Connect).

Built from botocore directly (as the DynamoDB client is, functions/stores/dynamodb/client.py),
once per container and on first use, with time-outs. SDK retries are off: the state machine
retries a throttled call with backoff and jitter (statemachines/callback.asl.json), and a
flow-invoked function must answer within the flow's limit. Tests hand in a client wrapped
in botocore's Stubber, or point the endpoint at moto's server (AWS_ENDPOINT_URL_<SERVICE>).
"""

from __future__ import annotations

import functools
from typing import Any


def client_config() -> Any:
    from botocore.config import Config

    return Config(
        connect_timeout=1,
        read_timeout=3,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )


def new_client(service: str) -> Any:
    """A new botocore client of `service` ("stepfunctions", "connect", "sqs")."""
    return _session().create_client(service, config=client_config())


@functools.cache
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()
