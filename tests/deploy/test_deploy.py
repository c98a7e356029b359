"""`deploy()` against real boto3 clients under botocore's Stubber: the Stubber checks every
request against the Connect service model and fails on any call not queued, so a test that
queues no write proves none was made."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ivr.deploy import Outcome, deploy
from ivr.deploy.errors import ContentRejected, LintFailed, UnresolvedPlaceholders
from ivr.deploy.normalize import content_sha256
from tests.deploy import stubs
from tests.deploy.project import (
    INSTANCE_ID,
    QUEUE_ARN,
    Aws,
    Project,
    flow_arn,
    main_flow,
    module_arn,
    queue_flow,
    transfer_flow,
)

DEPLOYED_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def run(
    project: Project, aws: Aws, lines: list[str] | None = None, **options: object
) -> list[Outcome]:
    out = lines if lines is not None else []
    return deploy(
        project.env(**options),  # type: ignore[arg-type]
        aws.factory,
        report=out.append,
        clock=lambda: DEPLOYED_AT,
    )


def test_create_path_creates_dependencies_first_and_fills_in_arns(standard: Project, aws: Aws):
    stubs.create_all(aws)
    lines: list[str] = []

    outcomes = run(standard, aws, lines)

    assert [(o.name, o.action) for o in outcomes] == [
        ("queue", "created"),
        ("pin", "created"),
        ("main", "created"),
    ]
    progress = [line for line in lines if line.startswith("[")]
    assert progress == ["[1/3] queue: created", "[2/3] pin: created", "[3/3] main: created"]
    main = aws.content_sent("CreateContactFlow", Name="main")
    by_id = {a["Identifier"]: a for a in main["Actions"]}
    assert by_id["pin"]["Parameters"]["FlowModuleId"] == module_arn("m-pin")
    assert by_id["go"]["Parameters"]["ContactFlowId"] == flow_arn("f-queue")
    queue = aws.content_sent("CreateContactFlow", Name="queue")
    assert queue["Actions"][0]["Parameters"]["QueueId"] == QUEUE_ARN
    assert queue["Metadata"]["ActionMetadata"]["q"]["queue"]["id"] == QUEUE_ARN
    assert "${" not in str(aws.sent)


def test_state_records_what_was_sent(standard: Project, aws: Aws):
    stubs.create_all(aws)
    run(standard, aws)

    state = standard.state()["flows"]
    sent = {p["Name"]: p["Content"] for op, p in aws.sent if op.startswith("Create")}
    assert state["main"] == {
        "id": "f-main",
        "arn": flow_arn("f-main"),
        "version": "1.0.0",
        "sha256": content_sha256(sent["main"]),
        "flow_content_sha256": "connect-sha-f-main",
        "deployed_at": "2025-03-01T12:00:00Z",
    }
    assert state["pin"]["arn"] == module_arn("m-pin")
    assert state["pin"]["flow_content_sha256"] is None  # create_contact_flow_module returns none


def test_update_path_updates_flows_and_modules_found_by_name(standard: Project, aws: Aws):
    stubs.all_exist(aws)
    stubs.update_flow(aws, "f-queue")
    stubs.update_module(aws, "m-pin")
    stubs.update_flow(aws, "f-main")

    outcomes = run(standard, aws)

    assert [o.action for o in outcomes] == ["updated"] * 3
    main = aws.content_sent("UpdateContactFlowContent", ContactFlowId="f-main")
    assert main["Actions"][2]["Parameters"]["ContactFlowId"] == flow_arn("f-queue")
    assert aws.content_sent("UpdateContactFlowModuleContent")["StartAction"] == "say"
    assert standard.state()["flows"]["queue"]["id"] == "f-queue"


def test_listing_follows_next_token(standard: Project, aws: Aws):
    stubs.list_flows(aws, ("other", "f-other"), next_token="page-2")
    stubs.list_flows(aws, ("queue", "f-queue"), after="page-2")
    stubs.list_modules(aws, ("pin", "m-pin"))
    stubs.update_flow(aws, "f-queue")
    stubs.update_module(aws, "m-pin")
    stubs.create_flow(aws, "main", "f-main")

    outcomes = run(standard, aws)

    assert outcomes[0] == Outcome("queue", "updated")
    assert outcomes[-1] == Outcome("main", "created")


def test_unchanged_flows_are_skipped_and_a_changed_one_updated(standard: Project, aws: Aws):
    stubs.create_all(aws)
    run(standard, aws)
    stubs.all_exist(aws)
    assert [o.action for o in run(standard, aws)] == ["unchanged"] * 3

    standard.add("main", "CONTACT_FLOW", main_flow(greeting="Welcome back"), version="1.1.0")
    stubs.all_exist(aws)
    stubs.update_flow(aws, "f-main")
    lines: list[str] = []

    outcomes = run(standard, aws, lines)

    assert [(o.name, o.action) for o in outcomes] == [
        ("queue", "unchanged"),
        ("pin", "unchanged"),
        ("main", "updated"),
    ]
    assert "[3/3] main: updated" in lines
    assert standard.state()["flows"]["main"]["version"] == "1.1.0"
    sent = aws.content_sent("UpdateContactFlowContent", ContactFlowId="f-main")
    assert sent["Actions"][0]["Parameters"]["Text"] == "Welcome back"


def test_a_value_change_alone_redeploys(standard: Project, aws: Aws):
    stubs.create_all(aws)
    run(standard, aws)
    new_queue = QUEUE_ARN.replace("aaaa", "bbbb")
    standard.values({"InstanceArn": INSTANCE_ID, "values": {"CustomerQueueArn": new_queue}})
    stubs.all_exist(aws)
    stubs.update_flow(aws, "f-queue")

    outcomes = run(standard, aws)

    assert [o.action for o in outcomes] == ["updated", "unchanged", "unchanged"]
    queue = aws.content_sent("UpdateContactFlowContent", ContactFlowId="f-queue")
    assert queue["Actions"][0]["Parameters"]["QueueId"] == new_queue


def test_transfer_target_goes_first_whatever_the_manifest_order(project: Project, aws: Aws):
    project.add("front", "CONTACT_FLOW", transfer_flow("${Flow:middle}"))
    project.add("middle", "CONTACT_FLOW", transfer_flow("${Flow:back}"))
    project.add("back", "CONTACT_FLOW", transfer_flow(flow_arn("unmanaged")))
    project.values({"InstanceArn": f"{QUEUE_ARN.split('/queue')[0]}"})
    stubs.list_flows(aws)
    stubs.create_flow(aws, "back", "f-back")
    stubs.create_flow(aws, "middle", "f-middle")
    stubs.create_flow(aws, "front", "f-front")

    outcomes = run(project, aws)

    assert [o.name for o in outcomes] == ["back", "middle", "front"]
    middle = aws.content_sent("CreateContactFlow", Name="middle")
    assert middle["Actions"][1]["Parameters"]["ContactFlowId"] == flow_arn("f-back")


def test_a_cycle_is_broken_by_saved_drafts_then_real_content(project: Project, aws: Aws):
    project.add("ping", "CONTACT_FLOW", transfer_flow("${Flow:pong}"))
    project.add("pong", "CONTACT_FLOW", transfer_flow("${Flow:ping}"))
    project.values({"InstanceArn": QUEUE_ARN.split("/queue")[0]})
    stubs.list_flows(aws)
    stubs.create_flow(aws, "ping", "f-ping", status="SAVED")
    stubs.create_flow(aws, "pong", "f-pong", status="SAVED")
    stubs.update_flow(aws, "f-ping")
    stubs.update_flow(aws, "f-pong")
    lines: list[str] = []

    outcomes = run(project, aws, lines)

    assert [(o.name, o.action) for o in outcomes] == [
        ("ping", "reserved"),
        ("pong", "reserved"),
        ("ping", "updated"),
        ("pong", "updated"),
    ]
    draft = aws.content_sent("CreateContactFlow", Name="ping")
    assert "${" not in str(draft)
    ping = aws.content_sent("UpdateContactFlowContent", ContactFlowId="f-ping")
    pong = aws.content_sent("UpdateContactFlowContent", ContactFlowId="f-pong")
    assert ping["Actions"][1]["Parameters"]["ContactFlowId"] == flow_arn("f-pong")
    assert pong["Actions"][1]["Parameters"]["ContactFlowId"] == flow_arn("f-ping")
    assert any("SAVED" in line and "ping -> pong" in line for line in lines)


def test_existing_cycle_members_need_no_draft(project: Project, aws: Aws):
    project.add("ping", "CONTACT_FLOW", transfer_flow("${Flow:pong}"))
    project.add("pong", "CONTACT_FLOW", transfer_flow("${Flow:ping}"))
    project.values({"InstanceArn": QUEUE_ARN.split("/queue")[0]})
    stubs.list_flows(aws, ("ping", "f-ping"))
    stubs.create_flow(aws, "pong", "f-pong", status="SAVED")
    stubs.update_flow(aws, "f-ping")
    stubs.update_flow(aws, "f-pong")

    outcomes = run(project, aws)

    assert [o.action for o in outcomes] == ["reserved", "updated", "updated"]


def test_connect_problems_are_shown_by_message_naming_the_flow(standard: Project, aws: Aws):
    stubs.list_flows(aws)
    stubs.list_modules(aws)
    stubs.create_flow(aws, "queue", "f-queue")
    aws.connect_stub.add_client_error(
        "create_contact_flow_module",
        service_error_code="InvalidContactFlowModuleException",
        service_message="The flow module is not valid.",
        http_status_code=400,
        modeled_fields={"Problems": [{"message": "Invalid Action type. Path: Actions[0].Type"}]},
    )

    with pytest.raises(ContentRejected) as caught:
        run(standard, aws)

    assert caught.value.flow == "pin"
    assert caught.value.problems == ["Invalid Action type. Path: Actions[0].Type"]
    assert "pin" in str(caught.value) and "Actions[0].Type" in str(caught.value)
    assert set(standard.state()["flows"]) == {"queue"}  # recorded before the failure


def test_flow_problems_use_the_lower_case_member(standard: Project, aws: Aws):
    stubs.all_exist(aws)
    aws.connect_stub.add_client_error(
        "update_contact_flow_content",
        service_error_code="InvalidContactFlowException",
        service_message="The flow is not valid.",
        http_status_code=400,
        modeled_fields={
            "problems": [
                {"message": "Queue not found. Path: Actions[0].Parameters.QueueId"},
                {"message": "Transition target missing"},
            ]
        },
    )

    with pytest.raises(ContentRejected) as caught:
        run(standard, aws)

    assert caught.value.flow == "queue"
    message = str(caught.value)
    assert "Queue not found. Path: Actions[0].Parameters.QueueId" in message
    assert "Transition target missing" in message


def test_other_connect_errors_say_which_flow_and_call(standard: Project, aws: Aws):
    stubs.all_exist(aws)
    aws.connect_stub.add_client_error(
        "update_contact_flow_content",
        service_error_code="AccessDeniedException",
        service_message="not allowed",
        http_status_code=403,
    )

    with pytest.raises(Exception, match=r"queue: update_contact_flow_content failed") as caught:
        run(standard, aws)

    assert "AccessDeniedException" in str(caught.value)


def test_dry_run_shows_the_semantic_diff_and_writes_nothing(standard: Project, aws: Aws):
    stubs.list_flows(aws, ("main", "f-main"), ("queue", "f-queue"))
    stubs.list_modules(aws)
    # The instance runs an older main (other greeting) and exactly our queue flow.
    running_main = main_flow(greeting="Hello from last year")
    running_main["Actions"][1]["Parameters"]["FlowModuleId"] = module_arn("m-old")
    running_main["Actions"][2]["Parameters"]["ContactFlowId"] = flow_arn("f-queue")
    stubs.describe_flow(aws, "queue", "f-queue", standard_queue_as_deployed())
    stubs.describe_flow(aws, "main", "f-main", running_main)
    lines: list[str] = []

    outcomes = deploy(standard.env(), aws.factory, dry_run=True, report=lines.append)

    assert [(o.name, o.action) for o in outcomes] == [
        ("queue", "no changes"),
        ("pin", "would create"),
        ("main", "would update"),
    ]
    text = "\n".join(lines)
    assert "Hello from last year" in text and "Welcome" in text
    assert "${Flow:queue}" not in outcomes[2].detail  # the ARN was put back: no false change
    assert module_arn("m-old") in outcomes[2].detail  # an unknown ARN stays whole
    assert aws.writes() == []
    assert not (standard.root / "deploy" / "state").exists()


def standard_queue_as_deployed() -> dict[str, object]:
    flow = queue_flow()
    flow["Actions"][0]["Parameters"]["QueueId"] = QUEUE_ARN  # type: ignore[index]
    flow["Metadata"]["ActionMetadata"]["q"]["queue"]["id"] = QUEUE_ARN  # type: ignore[index]
    return flow


def test_stack_outputs_are_values_and_the_file_overrides_them(standard: Project, aws: Aws):
    standard.values({"InstanceArn": QUEUE_ARN.split("/queue")[0], "Stack": "ivr-dev"})
    stack_queue = QUEUE_ARN.replace("aaaa", "stack")
    aws.cloudformation_stub.add_response(
        "describe_stacks",
        {
            "Stacks": [
                {
                    "StackName": "ivr-dev",
                    "CreationTime": DEPLOYED_AT,
                    "StackStatus": "UPDATE_COMPLETE",
                    "Outputs": [{"OutputKey": "CustomerQueueArn", "OutputValue": stack_queue}],
                }
            ]
        },
        {"StackName": "ivr-dev"},
    )
    stubs.create_all(aws)

    run(standard, aws)

    queue = aws.content_sent("CreateContactFlow", Name="queue")
    assert queue["Actions"][0]["Parameters"]["QueueId"] == stack_queue


def test_a_missing_stack_is_explained(standard: Project, aws: Aws):
    aws.cloudformation_stub.add_client_error(
        "describe_stacks",
        service_error_code="ValidationError",
        service_message="Stack with id ivr-nope does not exist",
        expected_params={"StackName": "ivr-nope"},
    )

    with pytest.raises(Exception, match=r"ivr-nope.*does not exist.*--stack"):
        run(standard, aws, stack="ivr-nope")


def test_unresolved_placeholders_are_listed_per_flow_before_any_write(project: Project, aws: Aws):
    project.add("main", "CONTACT_FLOW", main_flow())
    project.add("queue", "CONTACT_FLOW", queue_flow())
    project.values({"InstanceArn": QUEUE_ARN.split("/queue")[0]})
    stubs.list_flows(aws)

    with pytest.raises(UnresolvedPlaceholders) as caught:
        run(project, aws)

    # pin is no managed module here, so ${Module:pin} needs a value too.
    assert caught.value.missing == {"main": ["Module:pin"], "queue": ["CustomerQueueArn"]}
    assert "${CustomerQueueArn}" in str(caught.value) and "queue" in str(caught.value)
    assert aws.writes() == []


def test_lint_errors_stop_the_deploy_before_any_call(standard: Project, aws: Aws):
    broken = queue_flow()
    broken["Actions"][0]["Transitions"]["NextAction"] = "nowhere"  # type: ignore[index]
    standard.add("queue", "CONTACT_FLOW", broken)

    with pytest.raises(LintFailed) as caught:
        run(standard, aws)

    assert any(f.severity == "error" and f.identifier == "q" for f in caught.value.findings)
    assert "nowhere" in str(caught.value)
    assert aws.sent == []


def test_no_instance_says_how_to_name_one(standard: Project, aws: Aws):
    standard.values({"values": {"CustomerQueueArn": QUEUE_ARN}})

    with pytest.raises(Exception, match="--instance-id"):
        run(standard, aws)
