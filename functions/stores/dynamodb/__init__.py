"""The DynamoDB backend: the tables of template.yaml through botocore's low-level client."""

from __future__ import annotations

from functions.stores.dynamodb.client import dynamodb_client, new_dynamodb_client
from functions.stores.dynamodb.customers import DynamoCustomerStore

__all__ = ["DynamoCustomerStore", "dynamodb_client", "new_dynamodb_client"]
