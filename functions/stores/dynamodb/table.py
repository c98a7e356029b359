"""What every DynamoDB store is built on: its table, a lazily built client, error translation
(`DynamoTable`, held by the store, not mixed into it).

One table of what each DynamoDB error means for us (`ERROR_CODES`, `TRANSPORT_ERRORS`),
used by every table; only the advice names the variable that configures *this* table.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ReadTimeoutError,
)

from functions.errors import AlreadyExists, ConfigurationError, StoreError, StoreUnavailable
from functions.privacy import mask_text
from functions.stores.dynamodb.client import new_dynamodb_client

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = [
    "ERROR_CODES",
    "TRANSPORT_ERRORS",
    "DynamoTable",
    "string_values",
    "translate_dynamodb_error",
]

# DynamoDB error codes (ClientError.response["Error"]["Code"]) and what they mean for us.
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
ERROR_CODES: dict[str, type[StoreError]] = {
    "ProvisionedThroughputExceededException": StoreUnavailable,
    "ThrottlingException": StoreUnavailable,
    "RequestLimitExceeded": StoreUnavailable,
    "InternalServerError": StoreUnavailable,
    "ServiceUnavailable": StoreUnavailable,
    "ResourceNotFoundException": ConfigurationError,
    "AccessDeniedException": ConfigurationError,
    "UnrecognizedClientException": ConfigurationError,
    "MissingAuthenticationTokenException": ConfigurationError,
    "ConditionalCheckFailedException": AlreadyExists,
}
# Errors raised by botocore before DynamoDB answered.
TRANSPORT_ERRORS: dict[type[Exception], type[StoreError]] = {
    EndpointConnectionError: StoreUnavailable,  # refused, DNS, unreachable
    ConnectTimeoutError: StoreUnavailable,
    ReadTimeoutError: StoreUnavailable,
    ConnectionClosedError: StoreUnavailable,
    NoCredentialsError: ConfigurationError,
    NoRegionError: ConfigurationError,
}


def translate_dynamodb_error(
    exc: Exception, table_name: str, table_variable: str
) -> StoreError | None:
    """`exc` as one of our errors, or None when it is not botocore's."""
    if isinstance(exc, ClientError):
        kind = ERROR_CODES.get(exc.response.get("Error", {}).get("Code", ""))
    else:
        kind = next((v for k, v in TRANSPORT_ERRORS.items() if isinstance(exc, k)), None)
    if kind is None:
        return None
    advice = {
        StoreUnavailable: "DynamoDB did not answer in time or throttled; try again later",
        ConfigurationError: (
            f"check {table_variable}, that the table exists in this region, and the "
            "function's IAM policy"
        ),
        AlreadyExists: "the key is already taken",
    }[kind]
    return kind(f"dynamodb table {table_name!r}: {mask_text(str(exc))} ({advice})")


class DynamoTable:
    """A store's `Vendor` (functions/stores/base.py) on one table: `name`, `client` (built on
    first use), and `variable`, the environment variable that names the table (for advice)."""

    backend = "dynamodb"

    def __init__(
        self,
        name: str,
        variable: str,
        client: DynamoDBClient | None = None,
        *,
        client_factory: Callable[[], DynamoDBClient] = new_dynamodb_client,
    ) -> None:
        self.name = name
        self.variable = variable
        self._client = client
        self._client_factory = client_factory

    def describe(self) -> str:
        return f"dynamodb table {self.name}"

    @property
    def client(self) -> DynamoDBClient:
        # Lazily: building a client reads the environment and costs ~50 ms of cold start.
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def translate(self, exc: Exception) -> StoreError | None:
        return translate_dynamodb_error(exc, self.name, self.variable)


def string_values(item: Mapping[str, Any], names: Collection[str]) -> dict[str, Any]:
    """`names`' values of an item read with the low-level client, for a model to validate.

    A string attribute gives its string. Any other type (a number, a list, a NULL typed in by
    hand) passes as the raw attribute, which the model then refuses as the wrong type
    (functions/stores/rows.py) instead of a KeyError here. Other attributes are ignored.
    """
    values: dict[str, Any] = {}
    for name in names:
        if name in item:
            attribute = item[name]
            is_string = isinstance(attribute, Mapping) and isinstance(attribute.get("S"), str)
            values[name] = attribute["S"] if is_string else attribute
    return values
