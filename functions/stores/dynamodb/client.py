"""The DynamoDB client: built once per container (functions/stores/bundle.py `Stores`), with
time-outs that fit a 3 s deadline.

boto3 reads the endpoint itself from AWS_ENDPOINT_URL_DYNAMODB (or AWS_ENDPOINT_URL), which is
how tests point it at moto's server; region and credentials come from the usual AWS variables.
https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html

Worst case with these settings: 2 attempts x (1 s connect or 1 s read) plus a short backoff,
inside the 3 s Connect gives a Lambda by default. Retries use botocore's "legacy" mode: with
one retry it behaves as "standard" does for throttling and connection errors, and "standard"
costs ~25 ms more of cold start to build its retry quota machinery (bench/cold_start.py).

The client comes from botocore directly, not boto3 (whose import also loads s3transfer and
its resource layer: ~2.5 MiB, nothing a DynamoDB client uses), on a botocore session that
reads endpoints.json next to this module instead of botocore's own: every partition, the
DynamoDB entries only (`python -m ivr.endpoints_table`). botocore parses its 1.2 MB file for
every new session's first client, whatever endpoint the client is given (botocore/session.py,
`create_client` -> the `endpoint_resolver` component): ~45 ms and ~8 MiB of a cold start.
The URL itself still comes from botocore's DynamoDB endpoint rule set, as it would anyway.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.config import Config
    from mypy_boto3_dynamodb import DynamoDBClient

ENDPOINTS_FILE = Path(__file__).with_name("endpoints.json")


def client_config() -> Config:
    from botocore.config import Config

    return Config(
        connect_timeout=1,
        read_timeout=1,
        retries={"total_max_attempts": 2, "mode": "legacy"},
    )


def new_dynamodb_client() -> DynamoDBClient:
    """A new client on a new session (`new_session`); botocore is imported here so the SQL
    backend never pays for it. Each call is an X-Ray subsegment when the invocation is traced
    (functions/tracing.py)."""
    from functions.tracing import instrument

    client: DynamoDBClient = new_session().create_client("dynamodb", config=client_config())
    return instrument(client)  # type: ignore[no-any-return]


def new_session() -> Any:
    """A new botocore session (functions/aws_clients.py), one per container's `Stores`, that
    reads endpoints.json from next to this module unless AWS_DATA_PATH names the user's own
    models."""
    from functions.aws_clients import new_session as new_botocore_session

    return new_botocore_session(dynamodb_only_endpoints_loader())


@cache
def dynamodb_only_endpoints_loader() -> Any:
    """botocore's data loader, with endpoints.json read from next to this module.

    One per process, shared by every session: a memo of the JSON files botocore ships (the
    service model, endpoint rules), which never change while the process runs; reading them
    again costs each new session ~100 ms. It holds no credentials, configuration or
    connection (those stay with each session and client)."""
    from botocore.loaders import Loader, instance_cache

    class DynamoDBOnlyEndpoints(Loader):  # type: ignore[misc]
        @instance_cache  # type: ignore[untyped-decorator]  # botocore publishes no types
        def load_data_with_path(self, name: str) -> tuple[Any, str]:
            if name != "endpoints":
                found: tuple[Any, str] = super().load_data_with_path(name)
                return found
            data = json.loads(ENDPOINTS_FILE.read_bytes())
            # Reported as botocore's built-in file, which its content is (less the other
            # services): botocore then resolves URLs with its rule sets exactly as it does
            # with its own file, rather than treating the data as a custom endpoint override.
            return data, os.path.join(self.BUILTIN_DATA_PATH, "endpoints.json")

    return DynamoDBOnlyEndpoints()
