"""Canned Connect answers, queued on the Stubber in the order deploy and export call."""

from __future__ import annotations

import json
from typing import Any

from botocore.stub import ANY

from tests.deploy.project import INSTANCE_ID, Aws, flow_arn, module_arn


def list_flows(
    aws: Aws, *flows: tuple[str, str], next_token: str | None = None, after: str | None = None
) -> None:
    """One page of list_contact_flows: (name, id) of CONTACT_FLOW flows."""
    params: dict[str, Any] = {"InstanceId": INSTANCE_ID}
    if after:
        params["NextToken"] = after
    answer: dict[str, Any] = {
        "ContactFlowSummaryList": [
            {
                "Id": flow_id,
                "Arn": flow_arn(flow_id),
                "Name": name,
                "ContactFlowType": "CONTACT_FLOW",
                "ContactFlowState": "ACTIVE",
                "ContactFlowStatus": "PUBLISHED",
            }
            for name, flow_id in flows
        ]
    }
    if next_token:
        answer["NextToken"] = next_token
    aws.connect_stub.add_response("list_contact_flows", answer, params)


def list_modules(aws: Aws, *modules: tuple[str, str]) -> None:
    aws.connect_stub.add_response(
        "list_contact_flow_modules",
        {
            "ContactFlowModulesSummaryList": [
                {"Id": module_id, "Arn": module_arn(module_id), "Name": name, "State": "ACTIVE"}
                for name, module_id in modules
            ]
        },
        {"InstanceId": INSTANCE_ID, "ContactFlowModuleState": "ACTIVE"},
    )


def create_flow(aws: Aws, name: str, flow_id: str, *, status: str = "PUBLISHED") -> None:
    aws.connect_stub.add_response(
        "create_contact_flow",
        {
            "ContactFlowId": flow_id,
            "ContactFlowArn": flow_arn(flow_id),
            "FlowContentSha256": f"connect-sha-{flow_id}",
        },
        {
            "InstanceId": INSTANCE_ID,
            "Name": name,
            "Type": "CONTACT_FLOW",
            "Content": ANY,
            "Status": status,
        },
    )


def create_module(aws: Aws, name: str, module_id: str) -> None:
    aws.connect_stub.add_response(
        "create_contact_flow_module",
        {"Id": module_id, "Arn": module_arn(module_id)},
        {"InstanceId": INSTANCE_ID, "Name": name, "Content": ANY},
    )


def update_flow(aws: Aws, flow_id: str) -> None:
    aws.connect_stub.add_response(
        "update_contact_flow_content",
        {},
        {"InstanceId": INSTANCE_ID, "ContactFlowId": flow_id, "Content": ANY},
    )


def update_module(aws: Aws, module_id: str) -> None:
    aws.connect_stub.add_response(
        "update_contact_flow_module_content",
        {},
        {"InstanceId": INSTANCE_ID, "ContactFlowModuleId": module_id, "Content": ANY},
    )


def describe_flow(aws: Aws, name: str, flow_id: str, content: Any) -> None:
    text = content if isinstance(content, str) else json.dumps(content)
    aws.connect_stub.add_response(
        "describe_contact_flow",
        {
            "ContactFlow": {
                "Arn": flow_arn(flow_id),
                "Id": flow_id,
                "Name": name,
                "Type": "CONTACT_FLOW",
                "State": "ACTIVE",
                "Status": "PUBLISHED",
                "Content": text,
            }
        },
        {"InstanceId": INSTANCE_ID, "ContactFlowId": flow_id},
    )


def describe_module(aws: Aws, name: str, module_id: str, content: Any) -> None:
    text = content if isinstance(content, str) else json.dumps(content)
    aws.connect_stub.add_response(
        "describe_contact_flow_module",
        {
            "ContactFlowModule": {
                "Arn": module_arn(module_id),
                "Id": module_id,
                "Name": name,
                "Content": text,
                "State": "ACTIVE",
                "Status": "PUBLISHED",
            }
        },
        {"InstanceId": INSTANCE_ID, "ContactFlowModuleId": module_id},
    )


def create_all(aws: Aws) -> None:
    """The standard project's first deploy: nothing on the instance, queue, pin, main created."""
    list_flows(aws)
    list_modules(aws)
    create_flow(aws, "queue", "f-queue")
    create_module(aws, "pin", "m-pin")
    create_flow(aws, "main", "f-main")


def all_exist(aws: Aws) -> None:
    list_flows(aws, ("main", "f-main"), ("queue", "f-queue"), ("other", "f-other"))
    list_modules(aws, ("pin", "m-pin"))
