"""The baseline for bench/cold_start.py: the same lookup as identify_caller with plain boto3.

No models, no runtime, no number parsing, no logging or metrics: import boto3, create the
DynamoDB client, Query the by-phone index with the caller's address as it comes, answer a
flat map. What identify_caller costs above this is what our code costs a caller.
"""

from __future__ import annotations

import os
from typing import Any

import boto3

_client = boto3.client("dynamodb")
_table = os.environ["IVR_CUSTOMERS_TABLE"]


def handler(event: dict[str, Any], context: Any = None) -> dict[str, str]:
    address = event["Details"]["ContactData"]["CustomerEndpoint"]["Address"]
    answer = _client.query(
        TableName=_table,
        IndexName="by-phone",
        KeyConditionExpression="phone_e164 = :phone",
        ExpressionAttributeValues={":phone": {"S": address}},
        Limit=1,
    )
    items = answer.get("Items", [])
    if not items:
        return {"status": "ok", "customerFound": "false"}
    return {
        "status": "ok",
        "customerFound": "true",
        "customerId": items[0]["customer_id"]["S"],
        "firstName": items[0]["first_name"]["S"],
    }
