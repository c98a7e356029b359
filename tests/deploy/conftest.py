"""A small project (manifest, three flows, template, values file) under tmp_path, and real
boto3 clients under botocore's Stubber, so every request and canned answer is checked against
the Connect and CloudFormation service models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

from tests.deploy.project import (
    INSTANCE_ARN,
    QUEUE_ARN,
    Aws,
    Project,
    aws_client,
    main_flow,
    pin_module,
    queue_flow,
)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    (tmp_path / "contact_flows").mkdir()
    # The linter accepts `${XArn}` placeholders the template outputs.
    (tmp_path / "template.yaml").write_text(
        "Resources: {}\nOutputs:\n  CustomerQueueArn:\n    Value: queue\n", encoding="utf-8"
    )
    return Project(tmp_path)


@pytest.fixture
def standard(project: Project) -> Project:
    """main (invokes module pin, transfers to queue), queue, pin; manifest lists main first."""
    project.add("main", "CONTACT_FLOW", main_flow())
    project.add("queue", "CONTACT_FLOW", queue_flow())
    project.add("pin", "MODULE", pin_module())
    project.values({"InstanceArn": INSTANCE_ARN, "values": {"CustomerQueueArn": QUEUE_ARN}})
    return project


@pytest.fixture
def aws() -> Iterator[Aws]:
    connect, cloudformation = aws_client("connect"), aws_client("cloudformation")
    sent: list[tuple[str, dict[str, Any]]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        sent.append((model.name, dict(params)))

    connect.meta.events.register("before-parameter-build.connect", record)
    with Stubber(connect) as connect_stub, Stubber(cloudformation) as cloudformation_stub:
        yield Aws(connect, connect_stub, cloudformation, cloudformation_stub, sent)
        connect_stub.assert_no_pending_responses()
        cloudformation_stub.assert_no_pending_responses()
