"""DynamoDB tables created from template.yaml, so local tables match the deployed ones.

`create_table(client, "CustomersTable", name)` reads the resource's properties from the
template and issues the equivalent CreateTable; an existing table is left as it is. Used by
`ivr seed --create-table` and by the tests' moto fixtures.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ivr.errors import ToolkitError
from ivr.template import load_template

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "template.yaml"
# The CloudFormation properties that CreateTable takes under the same name and shape.
# PointInTimeRecovery and SSE are account-side settings a local table does without.
_SAME_SHAPE = (
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "BillingMode",
    "ProvisionedThroughput",
)


def table_definition(logical_id: str, template: Path = DEFAULT_TEMPLATE) -> dict[str, Any]:
    """CreateTable arguments (all but TableName) for the template's `logical_id` table."""
    resources = load_template(template).get("Resources") or {}
    resource = resources.get(logical_id)
    if not isinstance(resource, dict) or resource.get("Type") != "AWS::DynamoDB::Table":
        raise ToolkitError(f"{template} has no AWS::DynamoDB::Table named {logical_id}")
    properties = resource.get("Properties") or {}
    return {key: properties[key] for key in _SAME_SHAPE if key in properties}


def create_table(
    client: DynamoDBClient,
    logical_id: str,
    table_name: str,
    template: Path = DEFAULT_TEMPLATE,
) -> bool:
    """Create `table_name` as the template defines `logical_id`; False when it existed."""
    definition = table_definition(logical_id, template)
    try:
        client.create_table(TableName=table_name, **definition)
    except client.exceptions.ResourceInUseException:
        return False
    client.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
    )
    return True
