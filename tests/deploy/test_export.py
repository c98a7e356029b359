"""`export()`: the instance's content back into contact_flows/, placeholders restored, written
with deploy's normalization, so deploy then export leaves the files byte for byte."""

from __future__ import annotations

import json

import pytest

from ivr.deploy import export
from ivr.deploy.errors import ManifestError
from ivr.errors import DeployError
from tests.deploy import stubs
from tests.deploy.project import Aws, Project, flow_arn
from tests.deploy.test_deploy import run


def _deploy_and_capture(project: Project, aws: Aws) -> dict[str, str]:
    """Deploy the standard project; the Content Connect received, by flow name."""
    stubs.create_all(aws)
    run(project, aws)
    return {p["Name"]: p["Content"] for op, p in aws.sent if op.startswith("Create")}


def test_export_after_deploy_round_trips_to_identical_bytes(standard: Project, aws: Aws):
    contents = _deploy_and_capture(standard, aws)
    files = {name: (standard.flows_dir / f"{name}.json") for name in contents}
    before = {name: path.read_bytes() for name, path in files.items()}
    for path in files.values():
        path.write_text("{}", encoding="utf-8")  # prove export writes them
    stubs.all_exist(aws)
    # Connect may answer with other key order and spacing than was sent.
    stubs.describe_flow(aws, "main", "f-main", json.dumps(json.loads(contents["main"]), indent=4))
    stubs.describe_module(aws, "pin", "m-pin", contents["pin"])
    stubs.describe_flow(aws, "queue", "f-queue", contents["queue"])

    calls_before = len(aws.sent)

    exported = export(standard.env(), ["main", "pin", "queue"], aws.factory, report=[].append)

    assert [e.changed for e in exported] == [True, True, True]
    assert {name: path.read_bytes() for name, path in files.items()} == before
    assert b"${Flow:queue}" in before["main"] and b"${Module:pin}" in before["main"]
    assert [op for op, _ in aws.sent[calls_before:]] == [
        "ListContactFlows",
        "ListContactFlowModules",
        "DescribeContactFlow",
        "DescribeContactFlowModule",
        "DescribeContactFlow",
    ]


def test_export_all_reports_unchanged_files(standard: Project, aws: Aws):
    contents = _deploy_and_capture(standard, aws)
    stubs.all_exist(aws)
    stubs.describe_flow(aws, "main", "f-main", contents["main"])
    stubs.describe_flow(aws, "queue", "f-queue", contents["queue"])
    stubs.describe_module(aws, "pin", "m-pin", contents["pin"])
    lines: list[str] = []

    exported = export(standard.env(), [], aws.factory, report=lines.append)

    assert [(e.name, e.changed) for e in exported] == [
        ("main", False),
        ("queue", False),
        ("pin", False),
    ]
    assert all("unchanged" in line for line in lines)


def test_console_edit_comes_back_with_placeholders(standard: Project, aws: Aws):
    contents = _deploy_and_capture(standard, aws)
    edited = json.loads(contents["main"])
    edited["Actions"][0]["Parameters"]["Text"] = "Edited in the console"
    stubs.all_exist(aws)
    stubs.describe_flow(aws, "main", "f-main", edited)

    export(standard.env(), ["main"], aws.factory, report=[].append)

    written = json.loads((standard.flows_dir / "main.json").read_text())
    assert written["Actions"][0]["Parameters"]["Text"] == "Edited in the console"
    assert written["Actions"][2]["Parameters"]["ContactFlowId"] == "${Flow:queue}"
    assert flow_arn("f-queue") not in json.dumps(written)


def test_unknown_name_points_at_the_manifest(standard: Project, aws: Aws):
    with pytest.raises(ManifestError, match=r"'nope' is not in .*manifest.json"):
        export(standard.env(), ["nope"], aws.factory)


def test_flow_missing_on_the_instance_says_deploy_first(standard: Project, aws: Aws):
    stubs.list_flows(aws, ("queue", "f-queue"))
    stubs.list_modules(aws, ("pin", "m-pin"))

    with pytest.raises(DeployError, match="main; deploy them first"):
        export(standard.env(), ["main", "queue"], aws.factory)
