"""`CustomerStore` on DynamoDB: the template's CustomersTable.

Keyed by `customer_id` (S), with the global secondary index `by-phone` on `phone_e164`
(template.yaml). The low-level client and explicit marshalling keep the cold start short (the
resource API costs ~100 ms more to import and build).

A missing table is a `ConfigurationError`, not `StoreUnavailable`: retrying won't create it,
and the message says to fix IVR_CUSTOMERS_TABLE or create the table.
Lookups by phone read the GSI, which is eventually consistent: a number written a moment ago
may not be found for a second.
"""

from __future__ import annotations

from collections.abc import Callable
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

from functions.config import CUSTOMERS_TABLE
from functions.errors import AlreadyExists, ConfigurationError, StoreError, StoreUnavailable
from functions.privacy import mask_text
from functions.stores.base import CustomerStore
from functions.stores.dynamodb.client import dynamodb_client
from models.customer import Customer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

PHONE_INDEX = "by-phone"
FIELDS = tuple(Customer.model_fields)

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
_ADVICE: dict[type[StoreError], str] = {
    StoreUnavailable: "DynamoDB did not answer in time or throttled; try again later",
    ConfigurationError: (
        f"check {CUSTOMERS_TABLE}, that the table exists in this region, and the function's "
        "IAM policy"
    ),
    AlreadyExists: "the key is already taken",
}


class DynamoCustomerStore(CustomerStore):
    backend = "dynamodb"

    def __init__(
        self,
        table_name: str,
        client: DynamoDBClient | None = None,
        *,
        client_factory: Callable[[], DynamoDBClient] = dynamodb_client,
    ) -> None:
        self.table_name = table_name
        self._client = client
        self._client_factory = client_factory

    def describe(self) -> str:
        return f"dynamodb table {self.table_name}"

    @property
    def client(self) -> DynamoDBClient:
        # Lazily: building a client reads the environment and costs ~50 ms of cold start.
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def _find_by_phone(self, phone_e164: str) -> Customer | None:
        answer = self.client.query(
            TableName=self.table_name,
            IndexName=PHONE_INDEX,
            KeyConditionExpression="phone_e164 = :phone",
            ExpressionAttributeValues={":phone": {"S": phone_e164}},
            Limit=1,
        )
        items = answer.get("Items", [])
        return _unmarshal(items[0]) if items else None

    def _get(self, customer_id: str) -> Customer | None:
        answer = self.client.get_item(
            TableName=self.table_name, Key={"customer_id": {"S": customer_id}}
        )
        item = answer.get("Item")
        return _unmarshal(item) if item else None

    def _put(self, customer: Customer) -> None:
        self.client.put_item(TableName=self.table_name, Item=_marshal(customer))

    def _translate_error(self, exc: Exception) -> StoreError | None:
        if isinstance(exc, ClientError):
            code = exc.response.get("Error", {}).get("Code", "")
            kind = ERROR_CODES.get(code)
        else:
            kind = next((v for k, v in TRANSPORT_ERRORS.items() if isinstance(exc, k)), None)
        if kind is None:
            return None
        detail = mask_text(str(exc))
        return kind(f"dynamodb table {self.table_name!r}: {detail} ({_ADVICE[kind]})")


def _marshal(customer: Customer) -> dict[str, Any]:
    # Every field is a string (StrEnum values included); DynamoDB accepts "" outside keys.
    return {name: {"S": value} for name, value in customer.model_dump(mode="json").items()}


def _unmarshal(item: dict[str, Any]) -> Customer:
    # Attributes we don't model (added by other tools) are ignored, not an error.
    return Customer(**{name: item[name]["S"] for name in FIELDS if name in item})
