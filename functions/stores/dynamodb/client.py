"""The DynamoDB client: built once per container, with time-outs that fit a 3 s deadline.

boto3 reads the endpoint itself from AWS_ENDPOINT_URL_DYNAMODB (or AWS_ENDPOINT_URL), which is
how tests point it at moto's server; region and credentials come from the usual AWS variables.
https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html

Worst case with these settings: 2 attempts x (1 s connect or 1 s read) plus a short backoff,
inside the 3 s Connect gives a Lambda by default. Retries use botocore's "legacy" mode: with
one retry it behaves as "standard" does for throttling and connection errors, and "standard"
costs ~25 ms more of cold start to build its retry quota machinery (bench/cold_start.py).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from botocore.config import Config
    from mypy_boto3_dynamodb import DynamoDBClient


def client_config() -> Config:
    from botocore.config import Config

    return Config(
        connect_timeout=1,
        read_timeout=1,
        retries={"total_max_attempts": 2, "mode": "legacy"},
    )


def new_dynamodb_client() -> DynamoDBClient:
    """A new client; boto3 is imported here so the SQL backend never pays for it."""
    import boto3

    return boto3.client("dynamodb", config=client_config())


@cache
def dynamodb_client() -> DynamoDBClient:
    """The container's client, created on first use and reused by every invocation."""
    return new_dynamodb_client()
