"""A second baseline for bench/cold_start.py: the bare lookup plus only the libraries the
project requires (issue 2: pydantic v2, phonenumbers, Powertools Logger and Metrics), each
used once the simplest way, and the same garbage-collection pause identify_caller takes
(functions/cold_start.py). No project code.

identify_caller / floor is what our own code costs above its required dependencies;
floor / bare is what those dependencies cost above plain boto3, whatever we write.
"""

from __future__ import annotations

import gc
import os
from typing import Any

gc.disable()  # as functions/cold_start.py does in Lambda

import boto3  # noqa: E402
import phonenumbers  # noqa: E402
from aws_lambda_powertools import Logger, Metrics  # noqa: E402
from aws_lambda_powertools.metrics import MetricUnit  # noqa: E402
from pydantic import BaseModel  # noqa: E402

_client = boto3.client("dynamodb")
_table = os.environ["IVR_CUSTOMERS_TABLE"]
_logger = Logger(service="floor")
_metrics = Metrics(namespace="Floor", service="floor")


class _Endpoint(BaseModel):
    Address: str


class _ContactData(BaseModel):
    ContactId: str
    CustomerEndpoint: _Endpoint  # the benchmark's calls all come from a number


class _Details(BaseModel):
    ContactData: _ContactData


class _Event(BaseModel):
    Details: _Details


def handler(event: dict[str, Any], context: Any = None) -> dict[str, str]:
    parsed = _Event.model_validate(event)
    address = parsed.Details.ContactData.CustomerEndpoint.Address
    number = phonenumbers.format_number(
        phonenumbers.parse(address, "JP"), phonenumbers.PhoneNumberFormat.E164
    )
    answer = _client.query(
        TableName=_table,
        IndexName="by-phone",
        KeyConditionExpression="phone_e164 = :phone",
        ExpressionAttributeValues={":phone": {"S": number}},
        Limit=1,
    )
    items = answer.get("Items", [])
    _logger.info("answered")
    _metrics.add_metric(name="answered", unit=MetricUnit.Count, value=1)
    _metrics.flush_metrics()
    gc.enable()
    if not items:
        return {"status": "ok", "customerFound": "false"}
    return {"status": "ok", "customerFound": "true", "customerId": items[0]["customer_id"]["S"]}
