"""The delivery pipeline: pipeline/template.yaml, its buildspecs, the GitHub Actions workflow.

The buildspecs may only run commands the documentation gives (README.md, deploy/README.md,
pipeline/README.md), so the pipeline tests, builds and deploys the way a person does by hand
and the documentation cannot drift from what is delivered.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from cfnlint.api import lint_file

from ivr.template import load_template

ROOT = Path(__file__).resolve().parent.parent
PIPELINE = ROOT / "pipeline"
TEMPLATE = PIPELINE / "template.yaml"
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
CI_RUN = ROOT / ".ci" / "run"
DOCUMENTATION = (ROOT / "README.md", ROOT / "deploy" / "README.md", PIPELINE / "README.md")
BUILDSPECS = sorted(PIPELINE.glob("buildspec*.yml"))

DOCUMENT = load_template(TEMPLATE)
RESOURCES: dict[str, dict[str, Any]] = DOCUMENT["Resources"]

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
# A variable or a placeholder stands for any one value: "$NAME", ${NAME}, $NAME, <name>.
VALUE = re.compile(r'"\$\{?\w+\}?"|\$\{?\w+\}?|<[^<>\s]+>')


def normalize(command: str) -> str:
    """A command as compared: variables and placeholders as <>, whitespace collapsed."""
    return " ".join(VALUE.sub("<>", command).split())


def _code_lines(block: str) -> list[str]:
    """Commands of a code block: continuation lines joined, comments dropped."""
    lines = re.sub(r"\\\n\s*", " ", block).splitlines()
    commands = []
    for line in lines:
        line = re.split(r"(?:^|\s)#(?:\s|$)", line, maxsplit=1)[0].strip()
        if line:
            commands.append(line)
    return commands


def documented_commands() -> set[str]:
    """Every command in a code block or an inline code span of the documentation."""
    found: set[str] = set()
    for path in DOCUMENTATION:
        text = path.read_text(encoding="utf-8")
        for block in FENCE.findall(text):
            found.update(normalize(line) for line in _code_lines(block))
        found.update(normalize(span) for span in INLINE_CODE.findall(FENCE.sub("", text)))
    return found


def buildspec_commands(path: Path) -> list[str]:
    """Every command the buildspec runs, in every phase (`finally` blocks included)."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    commands: list[str] = []
    for phase in (spec.get("phases") or {}).values():
        commands += phase.get("commands") or []
        commands += phase.get("finally") or []
    return commands


def _of_type(kind: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in RESOURCES.items() if res.get("Type") == kind}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements() -> list[tuple[str, dict[str, Any]]]:
    """Every statement of every role's inline policies; a conditional one (`!If`) as its
    statement, an AWS::NoValue branch left out."""
    found: list[tuple[str, dict[str, Any]]] = []
    for name, role in _of_type("AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                if "Fn::If" in statement:
                    branches = statement["Fn::If"][1:]
                    found += [(name, b) for b in branches if isinstance(b, dict) and "Effect" in b]
                else:
                    found.append((name, statement))
    return found


# --- the buildspecs run documented commands only ---------------------------------------------


def test_there_are_buildspecs() -> None:
    assert {p.name for p in BUILDSPECS} >= {"buildspec-test.yml", "buildspec-deploy.yml"}


@pytest.mark.parametrize("path", BUILDSPECS, ids=lambda p: p.name)
def test_every_buildspec_command_is_documented(path: Path) -> None:
    documented = documented_commands()
    undocumented = [c for c in buildspec_commands(path) if normalize(c) not in documented]
    assert not undocumented, (
        f"{path.name} runs commands no README documents (document each in pipeline/README.md, "
        f"README.md or deploy/README.md): {undocumented}"
    )


def test_documented_commands_check_does_refuse_an_undocumented_one() -> None:
    # Guards the check above: it matches whole commands, not fragments of the text.
    documented = documented_commands()
    assert normalize("make test") in documented
    assert normalize("make test --keep-going") not in documented
    assert normalize("curl https://example.com/install.sh | sh") not in documented


def test_normalize_treats_variables_and_placeholders_alike() -> None:
    assert normalize('ivr deploy --env "$IVR_ENV"  --stack ${STACK}') == normalize(
        "ivr deploy --env <env> --stack <stack-name>"
    )


def test_test_stage_runs_tests_lint_flow_lint_and_sam_build() -> None:
    commands = [normalize(c) for c in buildspec_commands(PIPELINE / "buildspec-test.yml")]
    for needed in ("make test", "make lint", "ivr lint contact_flows/", "sam build"):
        assert any(c == needed or c.endswith("/" + needed) for c in commands), needed


def test_deploy_stage_deploys_the_stack_then_the_flows_with_its_outputs() -> None:
    commands = buildspec_commands(PIPELINE / "buildspec-deploy.yml")
    sam = next(i for i, c in enumerate(commands) if c.startswith("sam deploy"))
    ivr = next(i for i, c in enumerate(commands) if "ivr deploy" in c)
    assert sam < ivr
    assert '--stack "$STACK_NAME"' in commands[ivr] and '--env "$IVR_ENV"' in commands[ivr]
    assert '--stack-name "$STACK_NAME"' in commands[sam]


@pytest.mark.parametrize("path", BUILDSPECS, ids=lambda p: p.name)
def test_buildspec_runs_python_312_like_the_functions(path: Path) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert spec["version"] == 0.2
    assert str(spec["phases"]["install"]["runtime-versions"]["python"]) == "3.12"
    functions = load_template(ROOT / "template.yaml")["Globals"]["Function"]
    assert functions["Runtime"] == "python3.12"


# --- pipeline/template.yaml ------------------------------------------------------------------


@pytest.mark.slow  # cfn-lint loads its whole rule set: left out of make test-fast
def test_cfn_lint_finds_nothing() -> None:
    matches = lint_file(TEMPLATE)
    assert not matches, "cfn-lint pipeline/template.yaml:\n" + "\n".join(str(m) for m in matches)


@pytest.mark.slow  # cfn-lint loads its whole rule set: left out of make test-fast
def test_cfn_lint_check_does_report_a_broken_template(tmp_path: Path) -> None:
    broken = tmp_path / "template.yaml"
    broken.write_text(
        TEMPLATE.read_text(encoding="utf-8").replace("PipelineType: V2", "PipelineType: V9"),
        encoding="utf-8",
    )
    assert lint_file(broken)


def test_buildspecs_the_template_names_exist_and_every_buildspec_is_used() -> None:
    named = {
        p["Properties"]["Source"]["BuildSpec"] for p in _of_type("AWS::CodeBuild::Project").values()
    }
    assert named, "no CodeBuild project names a buildspec"
    for path in named:
        assert (ROOT / path).is_file(), f"{path} is named by pipeline/template.yaml but missing"
    assert {str(p.relative_to(ROOT)) for p in BUILDSPECS} == named


def test_stages_go_source_test_dev_approval_prod() -> None:
    (pipeline,) = _of_type("AWS::CodePipeline::Pipeline").values()
    stages = pipeline["Properties"]["Stages"]
    assert [s["Name"] for s in stages] == ["Source", "Test", "DeployDev", "Approve", "DeployProd"]
    (approval,) = stages[3]["Actions"]
    assert approval["ActionTypeId"]["Provider"] == "Manual"
    built = stages[1]["Actions"][0]["OutputArtifacts"][0]["Name"]
    for stage in (stages[2], stages[4]):
        (deploy,) = stage["Actions"]
        assert deploy["InputArtifacts"] == [{"Name": built}], "deploy what was tested"


@pytest.mark.parametrize(
    ("project", "env"), [("DevDeployProject", "dev"), ("ProdDeployProject", "prod")]
)
def test_each_deploy_project_names_its_environment_and_role(project: str, env: str) -> None:
    properties = RESOURCES[project]["Properties"]
    variables = {v["Name"]: v["Value"] for v in properties["Environment"]["EnvironmentVariables"]}
    assert variables["IVR_ENV"] == env
    prefix = env.capitalize()
    assert variables["STACK_NAME"] == {"Ref": f"{prefix}StackName"}
    assert variables["CONNECT_INSTANCE_ARN"] == {"Ref": f"{prefix}ConnectInstanceArn"}
    assert properties["ServiceRole"] == {"Fn::GetAtt": f"{prefix}DeployRole.Arn"}
    for name in variables:
        assert f'"${name}"' in (PIPELINE / "buildspec-deploy.yml").read_text(encoding="utf-8")


def test_the_deploy_roles_match_but_for_the_environment() -> None:
    dev = repr(RESOURCES["DevDeployRole"]["Properties"]["Policies"])
    prod = repr(RESOURCES["ProdDeployRole"]["Properties"]["Policies"])
    assert dev.replace("Dev", "Prod").replace("deploy-dev", "deploy-prod") == prod


def test_no_iam_action_is_a_wildcard() -> None:
    for name, statement in _statements():
        for action in _as_list(statement["Action"]):
            assert "*" not in action, f"{name}: wildcard action {action}"


def test_the_only_wildcard_resource_is_ec2_describe_for_a_function_in_a_vpc() -> None:
    for name, statement in _statements():
        if "*" in _as_list(statement["Resource"]):
            assert all(a.startswith("ec2:Describe") for a in _as_list(statement["Action"])), name


def test_artifact_bucket_is_encrypted_private_and_tls_only() -> None:
    (bucket,) = _of_type("AWS::S3::Bucket").values()
    properties = bucket["Properties"]
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert all(properties["PublicAccessBlockConfiguration"].values())
    assert len(properties["PublicAccessBlockConfiguration"]) == 4
    (policy,) = _of_type("AWS::S3::BucketPolicy").values()
    (deny,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_repository_branch_stacks_instances_and_region_are_parameters() -> None:
    assert set(DOCUMENT["Parameters"]) >= {
        "ConnectionArn",
        "Repository",
        "Branch",
        "DeployRegion",
        "DevStackName",
        "ProdStackName",
        "DevConnectInstanceArn",
        "ProdConnectInstanceArn",
    }


# --- GitHub Actions and .ci/run --------------------------------------------------------------


def test_workflow_runs_ci_run_on_every_push_and_pull_request() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert {"push", "pull_request"} <= set(triggers)
    for trigger in ("push", "pull_request"):
        assert not (triggers[trigger] or {}).get("branches"), f"{trigger}: every branch"
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(re.search(r"(^|\s)\.ci/run(\s|$)", run) for run in runs)


def test_ci_run_lints_before_it_tests() -> None:
    lines = [line.strip() for line in CI_RUN.read_text(encoding="utf-8").splitlines()]
    assert "exec make test" in lines
    assert "export IVR_REQUIRE_SERVICES=1" in lines
    assert "make lint" in lines
    assert lines.index("make lint") < lines.index("exec make test")


# --- the what-if gate ------------------------------------------------------------------------

WHATIF_BUILDSPEC = PIPELINE / "buildspec-whatif.yml"


def _whatif_commands() -> tuple[str, str]:
    commands = buildspec_commands(WHATIF_BUILDSPEC)
    fetch = next(c for c in commands if c.startswith("aws logs filter-log-events"))
    gate = next(c for c in commands if "ivr whatif" in c)
    assert commands.index(fetch) < commands.index(gate), "fetch the logs, then replay them"
    return fetch, gate


def test_whatif_buildspec_fetches_yesterdays_flow_logs_and_replays_every_flow() -> None:
    fetch, gate = _whatif_commands()
    assert '--log-group-name "$FLOW_LOG_GROUP"' in fetch
    assert "yesterday 00:00" in fetch and "today 00:00" in fetch
    assert "--cli-read-timeout" in fetch and "--cli-connect-timeout" in fetch
    log_file = fetch.rsplit("> ", 1)[1].strip()
    assert gate.split() == [
        ".venv/bin/ivr",
        "whatif",
        "contact_flows/",
        "--logs",
        log_file,
        "--accept",
        '"$ACCEPT_FLOW_CHANGES"',
    ]


def test_whatif_gate_runs_in_the_test_stage_with_the_accept_variable() -> None:
    (pipeline,) = _of_type("AWS::CodePipeline::Pipeline").values()
    properties = pipeline["Properties"]
    test_stage = next(s for s in properties["Stages"] if s["Name"] == "Test")
    (gate,) = [
        a
        for a in test_stage["Actions"]
        if a["Configuration"]["ProjectName"] == {"Ref": "WhatIfProject"}
    ]
    assert gate["InputArtifacts"] == [{"Name": "SourceCode"}]
    overrides = json.loads(gate["Configuration"]["EnvironmentVariables"])
    assert overrides == [
        {
            "name": "ACCEPT_FLOW_CHANGES",
            "value": "#{variables.AcceptFlowChanges}",
            "type": "PLAINTEXT",
        }
    ]
    (variable,) = properties["Variables"]
    assert variable["Name"] == "AcceptFlowChanges" and variable["DefaultValue"] == "none"
    project = RESOURCES["WhatIfProject"]["Properties"]
    variables = {v["Name"]: v["Value"] for v in project["Environment"]["EnvironmentVariables"]}
    assert variables["FLOW_LOG_GROUP"] == {"Ref": "FlowLogGroupName"}
    assert project["ServiceRole"] == {"Fn::GetAtt": "WhatIfRole.Arn"}
    assert project["Source"]["BuildSpec"] == str(WHATIF_BUILDSPEC.relative_to(ROOT))


def test_only_the_whatif_role_reads_flow_logs_and_only_from_the_flow_log_group() -> None:
    readers = [(n, s) for n, s in _statements() if "logs:FilterLogEvents" in _as_list(s["Action"])]
    assert [(n, _as_list(s["Action"])) for n, s in readers] == [
        ("WhatIfRole", ["logs:FilterLogEvents"])
    ]
    assert readers[0][1]["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:logs:${DeployRegion}:${AWS::AccountId}"
        ":log-group:${FlowLogGroupName}:*"
    }
    # Besides: its own build log, and the source artifact read, nothing written.
    actions = {a for n, s in _statements() if n == "WhatIfRole" for a in _as_list(s["Action"])}
    assert actions == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:FilterLogEvents",
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:GetBucketAcl",
        "s3:GetBucketLocation",
    }


def _filter_log_events_output(jsonl: Path, out: Path) -> None:
    """What `aws logs filter-log-events --output json` writes: one message string per entry."""
    events = [
        {"logStreamName": "stream", "timestamp": 0, "message": line, "eventId": str(i)}
        for i, line in enumerate(jsonl.read_text(encoding="utf-8").splitlines())
    ]
    out.write_text(json.dumps({"events": events, "searchedLogStreams": []}), encoding="utf-8")


@pytest.fixture(scope="module")
def gate_workspace(tmp_path_factory) -> Path:
    """A build's working directory: the repository's flows and venv, and the fetched logs
    (a generated day of main_inbound calls in filter-log-events form)."""
    from ivr.flowlogs.generate import a_day_of_calls
    from ivr.flowlogs.writer import records_for, write_records

    work = tmp_path_factory.mktemp("whatif-build")
    shutil.copytree(ROOT / "contact_flows", work / "contact_flows")
    (work / ".venv").symlink_to(ROOT / ".venv")
    day = work / "day.jsonl"
    with day.open("w", encoding="utf-8") as out:
        for call in a_day_of_calls(work / "contact_flows" / "main_inbound.json", 150, seed=5):
            write_records(records_for(call.result, call.contact_id, start=call.start), out)
    _, gate = _whatif_commands()
    _filter_log_events_output(day, work / gate.split()[4])
    return work


def _run_gate(work: Path, accept: str) -> subprocess.CompletedProcess[str]:
    _, gate = _whatif_commands()
    return subprocess.run(
        ["bash", "-c", gate],
        cwd=work,
        env={**os.environ, "ACCEPT_FLOW_CHANGES": accept},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow  # two ivr processes replaying a generated day
def test_the_gate_command_passes_unchanged_flows_and_fails_an_edited_one(gate_workspace) -> None:
    unchanged = _run_gate(gate_workspace, "none")
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    assert "same ending:      150" in unchanged.stdout

    flow = gate_workspace / "contact_flows" / "main_inbound.json"
    original = flow.read_text(encoding="utf-8")
    edited = json.loads(original)
    for action in edited["Actions"]:  # every tier to the standard queue
        if action["Identifier"] == "check-tier":
            for condition in action["Transitions"]["Conditions"]:
                condition["NextAction"] = "set-queue-standard"
    flow.write_text(json.dumps(edited), encoding="utf-8")
    try:
        changed = _run_gate(gate_workspace, "none")
        accepted = _run_gate(gate_workspace, "main-inbound")
    finally:
        flow.write_text(original, encoding="utf-8")
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "--accept main-inbound" in changed.stderr
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "accepted (--accept)" in accepted.stdout
