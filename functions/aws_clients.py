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


def new_session(loader: Any = None) -> Any:
    """A new botocore session: a container's (functions/container.py `AwsClients`), which
    reads credentials and configuration from the environment and keeps them. Its data loader
    is `loader`, else the process's shared one (`package_data_loader`), unless AWS_DATA_PATH
    names the user's own models."""
    import botocore.session

    session = botocore.session.get_session()
    if not session.get_config_variable("data_path"):  # AWS_DATA_PATH: the user's models win
        session.register_component("data_loader", loader or package_data_loader())
    return session


def new_client(service: str, session: Any = None) -> Any:
    """A new botocore client of `service` ("stepfunctions", "connect", "sqs") on `session`
    (else a new one)."""
    return (session or new_session()).create_client(service, config=client_config())


@functools.cache
def package_data_loader() -> Any:
    """botocore's data loader, one per process and shared by every session: a memo of the
    JSON files botocore ships (service models, endpoints), which never change while the
    process runs; each new session would otherwise parse them again (~100 ms). It holds no
    credentials, configuration or connection."""
    from botocore.loaders import create_loader

    return create_loader()
