"""What every DynamoDB store shares: its table, a lazily built client, error translation.

The error maps are the customers store's (`ERROR_CODES`, `TRANSPORT_ERRORS`): one table of
what each DynamoDB code means for us, used by every table; only the advice names the
variable that configures *this* table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from functions.errors import AlreadyExists, ConfigurationError, StoreError, StoreUnavailable
from functions.privacy import mask_text
from functions.stores.dynamodb.client import dynamodb_client
from functions.stores.dynamodb.customers import ERROR_CODES, TRANSPORT_ERRORS

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = ["DynamoTable", "translate_dynamodb_error"]


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
    """Mixin for a store on one table: `table_name`, `client` (built on first use)."""

    backend = "dynamodb"
    #: The environment variable that names this table, for error messages.
    table_variable = ""

    def __init__(
        self,
        table_name: str,
        client: DynamoDBClient | None = None,
        *,
        client_factory: Callable[[], DynamoDBClient] = dynamodb_client,
    ) -> None:
        super().__init__()  # the port's own state (e.g. BusinessStore's settings cache)
        self.table_name = table_name
        self._client = client
        self._client_factory = client_factory

    @property
    def client(self) -> DynamoDBClient:
        # Lazily: building a client reads the environment and costs ~50 ms of cold start.
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def _translate_error(self, exc: Exception) -> StoreError | None:
        return translate_dynamodb_error(exc, self.table_name, self.table_variable)
