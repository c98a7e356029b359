"""What every DynamoDB store shares: the lazily built client and vendor-error translation.

A store class mixes `DynamoStore` in before its port and names the environment variables of
its tables in `table_variables`, which the error messages quote. The codes mapped are the
customer store's (`ERROR_CODES`, `TRANSPORT_ERRORS`), so every store translates alike.
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

__all__ = ["DynamoStore", "condition_failed"]


class DynamoStore:
    backend = "dynamodb"
    #: The variables naming this store's tables, for "check X" in error messages.
    table_variables: tuple[str, ...] = ()

    def __init__(
        self,
        client: DynamoDBClient | None = None,
        *,
        client_factory: Callable[[], DynamoDBClient] = dynamodb_client,
    ) -> None:
        self._client = client
        self._client_factory = client_factory

    @property
    def client(self) -> DynamoDBClient:
        # Lazily: building a client reads the environment and costs ~50 ms of cold start.
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def _translate_error(self, exc: Exception) -> StoreError | None:
        if isinstance(exc, ClientError):
            kind = ERROR_CODES.get(exc.response.get("Error", {}).get("Code", ""))
        else:
            kind = next((v for k, v in TRANSPORT_ERRORS.items() if isinstance(exc, k)), None)
        if kind is None:
            return None
        return kind(f"dynamodb {type(self).__name__}: {mask_text(str(exc))} ({self._advice(kind)})")

    def _advice(self, kind: type[StoreError]) -> str:
        if kind is StoreUnavailable:
            return "DynamoDB did not answer in time or throttled; try again later"
        if kind is ConfigurationError:
            names = ", ".join(self.table_variables) or "the table names"
            return f"check {names}, that the tables exist in this region, and the IAM policy"
        if kind is AlreadyExists:
            return "the key is already taken"
        return "see the cause"


def condition_failed(exc: Exception) -> bool:
    """True when `exc` is DynamoDB refusing a write because its condition was false."""
    return (
        isinstance(exc, ClientError)
        and exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"
    )
