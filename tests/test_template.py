"""template.yaml: valid CloudFormation, least privilege, invocable only by our Connect instance.

Also the build: deploy/Makefile has a target for every function, deploy/build_artifact.py builds
for the template's runtime and architecture, and deploy/artifacts.toml declares each function's
distributions (tests/artifacts/ builds and runs them).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file

import functions.config
from ivr.template import FUNCTION_TYPES, functions_in, load_template

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
import build_artifact  # noqa: E402  (deploy/ holds scripts, not a package)

TEMPLATE = ROOT / "template.yaml"
MAKEFILE = ROOT / "deploy" / "Makefile"
CONNECT_PRINCIPAL = "connect.amazonaws.com"

DOCUMENT = load_template(TEMPLATE)
RESOURCES: dict[str, dict[str, Any]] = DOCUMENT["Resources"]
FUNCTIONS = sorted(functions_in(TEMPLATE).values(), key=lambda spec: spec.logical_id)
GLOBAL_FUNCTION = DOCUMENT.get("Globals", {}).get("Function", {})
# The callback workflow's functions (issue 11): invoked by its state machine or the callbacks
# table's stream, never by a flow, so Connect gets no permission on them.
WORKFLOW_FUNCTIONS = frozenset(
    {"StartCallbackWorkflowFunction", "CallbackStepsFunction", "PlaceCallbackFunction"}
)
CONNECT_FUNCTIONS = [spec for spec in FUNCTIONS if spec.logical_id not in WORKFLOW_FUNCTIONS]


def _of_type(*types: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in RESOURCES.items() if res.get("Type") in types}


def _referenced_resource(value: Any) -> str | None:
    """The logical id a `!Ref X`, `!Ref X.Alias` (SAM: the function's alias), `!GetAtt X.Arn`
    or `!GetAtt [X, Arn]` names, else None."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((kind, target),) = value.items()
    if kind == "Ref" and isinstance(target, str):
        return target.removesuffix(".Alias")
    if kind == "Fn::GetAtt":
        if isinstance(target, str):
            return target.split(".", 1)[0]
        if isinstance(target, list) and target:
            return str(target[0])
    return None


NO_VALUE = {"Ref": "AWS::NoValue"}


def _if(condition: str, value: Any) -> dict[str, Any]:
    """`!If [condition, value, !Ref AWS::NoValue]`: `value` only when `condition` holds."""
    return {"Fn::If": [condition, value, NO_VALUE]}


def _unconditional(statement: Any) -> list[dict[str, Any]]:
    """A statement, or the statements an `!If` may leave in its place (NoValue: none)."""
    if isinstance(statement, dict) and set(statement) == {"Fn::If"}:
        _, *branches = statement["Fn::If"]
        return [b for branch in branches if branch != NO_VALUE for b in _unconditional(branch)]
    return [statement]


def _function_statements(name: str) -> list[Any]:
    """The statements of a function's inline policies as written (an `!If` left as one)."""
    found: list[Any] = []
    for policy in RESOURCES[name].get("Properties", {}).get("Policies", []) or []:
        assert isinstance(policy, dict) and "Statement" in policy, (
            f"{name}: use inline statements, not a managed policy or SAM policy template "
            f"({policy!r}); those grant more than a function needs"
        )
        found += policy["Statement"]
    return found


def _statements() -> list[tuple[str, dict[str, Any]]]:
    """Every IAM statement in the template: functions' inline policies and IAM resources,
    each conditional one (`!If`) as it is when its condition holds."""
    found: list[tuple[str, dict[str, Any]]] = []
    for name in _of_type(*FUNCTION_TYPES):
        found += [
            (name, statement)
            for written in _function_statements(name)
            for statement in _unconditional(written)
        ]
    for name, resource in _of_type("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy").items():
        found += [(name, s) for s in resource["Properties"]["PolicyDocument"]["Statement"]]
    for name, resource in _of_type("AWS::IAM::Role").items():
        for policy in resource.get("Properties", {}).get("Policies", []) or []:
            found += [(name, s) for s in policy["PolicyDocument"]["Statement"]]
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    """A resource or action as text: a `!Sub` string, or the repr of another intrinsic."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        return sub if isinstance(sub, str) else str(sub[0])
    return value if isinstance(value, str) else repr(value)


@pytest.mark.slow  # cfn-lint loads its whole rule set: left out of make test-fast
def test_cfn_lint_finds_nothing() -> None:
    matches = lint_file(TEMPLATE)
    assert not matches, "cfn-lint template.yaml:\n" + "\n".join(str(m) for m in matches)


@pytest.mark.slow  # cfn-lint loads its whole rule set: left out of make test-fast
def test_cfn_lint_check_does_report_a_broken_template(tmp_path: Path) -> None:
    # Guards the check above: the API call must lint, not silently pass everything.
    broken = tmp_path / "template.yaml"
    broken.write_text(
        TEMPLATE.read_text(encoding="utf-8").replace(
            "BillingMode: PAY_PER_REQUEST", "BillingMode: PAY_WHEN_ASKED"
        ),
        encoding="utf-8",
    )
    assert lint_file(broken)


def test_template_declares_functions() -> None:
    assert FUNCTIONS, "template.yaml declares no Lambda function"


@pytest.mark.parametrize("spec", CONNECT_FUNCTIONS, ids=lambda spec: spec.logical_id)
def test_each_function_is_invocable_by_connect_only_from_our_instance(spec: Any) -> None:
    permissions = [
        res["Properties"]
        for res in _of_type("AWS::Lambda::Permission").values()
        if _referenced_resource(res["Properties"].get("FunctionName")) == spec.logical_id
    ]
    assert permissions, f"no AWS::Lambda::Permission lets Connect invoke {spec.logical_id}"
    for permission in permissions:
        assert permission["Principal"] == CONNECT_PRINCIPAL
        assert permission["Action"] == "lambda:InvokeFunction"
        assert permission.get("SourceArn") == {"Ref": "ConnectInstanceArn"}, (
            f"{spec.logical_id}: scope the permission to the instance with "
            "SourceArn: !Ref ConnectInstanceArn"
        )
        assert permission.get("SourceAccount") == {"Ref": "AWS::AccountId"}


@pytest.mark.parametrize("name", sorted(WORKFLOW_FUNCTIONS))
def test_workflow_functions_are_not_invocable_by_connect(name: str) -> None:
    assert name in {spec.logical_id for spec in FUNCTIONS}, f"{name} is gone from template.yaml"
    permissions = [
        res
        for res in _of_type("AWS::Lambda::Permission").values()
        if _referenced_resource(res["Properties"].get("FunctionName")) == name
    ]
    assert not permissions, f"{name} runs for the callback workflow only; drop its permission"


def test_place_callback_starts_outbound_calls_only_on_the_configured_flow_and_queue() -> None:
    statements = [
        s
        for s in _function_statements("PlaceCallbackFunction")
        if isinstance(s, dict) and s.get("Action") == "connect:StartOutboundVoiceContact"
    ]
    assert len(statements) == 1
    resources = statements[0]["Resource"]
    assert {"Fn::Sub": "${ConnectInstanceArn}/contact-flow/${OutboundContactFlowId}"} in resources
    assert {"Fn::Sub": "${ConnectInstanceArn}/queue/${OutboundQueueId}"} in resources
    assert all("ConnectInstanceArn" in r["Fn::Sub"] for r in resources)


def test_connect_instance_parameter_accepts_only_instance_arns() -> None:
    pattern = DOCUMENT["Parameters"]["ConnectInstanceArn"]["AllowedPattern"]
    instance = "arn:aws:connect:ap-northeast-1:123456789012:instance/" + "0" * 8 + "-0000" * 3
    assert re.fullmatch(pattern, instance + "-" + "0" * 12)
    assert not re.fullmatch(pattern, "arn:aws:connect:ap-northeast-1:123456789012:instance/*")
    assert not re.fullmatch(pattern, "*")


@pytest.mark.parametrize("spec", CONNECT_FUNCTIONS, ids=lambda spec: spec.logical_id)
def test_each_function_has_an_arn_output_for_flow_placeholders(spec: Any) -> None:
    output = DOCUMENT["Outputs"].get(f"{spec.logical_id}Arn")
    assert output, f"add Outputs.{spec.logical_id}Arn: ivr deploy fills {spec.placeholder}"
    # The alias: Connect must invoke a published version for SnapStart to apply.
    assert output["Value"] == {"Ref": f"{spec.logical_id}.Alias"}


@pytest.mark.parametrize("spec", CONNECT_FUNCTIONS, ids=lambda spec: spec.logical_id)
def test_connect_may_invoke_the_alias_its_flows_are_given(spec: Any) -> None:
    permission_targets = [
        res["Properties"]["FunctionName"]
        for res in _of_type("AWS::Lambda::Permission").values()
        if _referenced_resource(res["Properties"].get("FunctionName")) == spec.logical_id
    ]
    # A permission on the unqualified function does not cover invoking its alias.
    assert permission_targets == [DOCUMENT["Outputs"][f"{spec.logical_id}Arn"]["Value"]]


def test_snapstart_is_a_parameter_of_every_function_off_by_default() -> None:
    parameter = DOCUMENT["Parameters"]["SnapStart"]
    assert parameter["Default"] == "None"
    assert set(parameter["AllowedValues"]) == {"None", "PublishedVersions"}
    assert GLOBAL_FUNCTION["SnapStart"] == {"ApplyOn": {"Ref": "SnapStart"}}
    assert GLOBAL_FUNCTION["AutoPublishAlias"]
    for name, resource in _of_type(*FUNCTION_TYPES).items():
        assert "SnapStart" not in resource.get("Properties", {}), f"{name} overrides SnapStart"


@pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.logical_id)
def test_each_handler_resolves_to_a_callable(spec: Any) -> None:
    if importlib.util.find_spec(spec.module) is None:
        pytest.skip(f"{spec.module} is not written yet")
    module = importlib.import_module(spec.module)
    handler = getattr(module, spec.attribute, None)
    assert callable(handler), f"{spec.handler} is not a callable in {module.__file__}"


@pytest.mark.parametrize("name", sorted(_of_type("AWS::DynamoDB::Table")))
def test_each_table_is_recoverable_encrypted_and_on_demand(name: str) -> None:
    properties = RESOURCES[name]["Properties"]
    assert properties.get("BillingMode") == "PAY_PER_REQUEST"
    pitr = properties.get("PointInTimeRecoverySpecification", {})
    assert pitr.get("PointInTimeRecoveryEnabled") is True
    assert properties.get("SSESpecification", {}).get("SSEEnabled") is True
    # Expiring records (TTL: attempt counters, verifications) are worth nothing after a
    # stack is deleted; every other table is kept.
    if not properties.get("TimeToLiveSpecification", {}).get("Enabled"):
        assert RESOURCES[name].get("DeletionPolicy") == "Retain"


def test_the_order_function_reaches_the_database_through_the_vpc_and_the_proxy() -> None:
    properties = RESOURCES["OrderStatusFunction"]["Properties"]
    assert properties["VpcConfig"] == {
        "SubnetIds": {"Ref": "DatabaseSubnetIds"},
        "SecurityGroupIds": {"Ref": "DatabaseSecurityGroupIds"},
    }
    variables = properties["Environment"]["Variables"]
    assert variables[functions.config.ORDER_STORE_BACKEND] == "sql"
    assert variables[functions.config.DATABASE_PROXY_HOST] == {"Ref": "DatabaseProxyEndpoint"}
    secret = {"Ref": "DatabaseSecretArn"}
    assert variables[functions.config.DATABASE_SECRET_ARN] == secret
    granted = [s for _, s in _statements() if s["Resource"] == secret]
    assert [s["Action"] for s in granted] == [["secretsmanager:GetSecretValue"]]


# Wildcards no narrower resource can replace, each with why. A call placed with
# StartOutboundVoiceContact is a contact that does not exist yet: its id can't be named, so the
# instance's contacts are the narrowest (the flow and queue are named beside it).
NECESSARY_WILDCARDS = {("PlaceCallbackFunction", "${ConnectInstanceArn}/contact/*")}


def test_iam_statements_name_no_wildcard_resource_or_action() -> None:
    statements = _statements()
    assert statements, "no IAM statement found: the functions could not read their tables"
    for owner, statement in statements:
        for action in _as_list(statement["Action"]):
            assert "*" not in _text(action), f"{owner}: wildcard action {action!r}"
        for resource in _as_list(statement["Resource"]):
            if (owner, _text(resource)) in NECESSARY_WILDCARDS:
                continue
            assert "*" not in _text(resource), f"{owner}: wildcard resource {resource!r}"


def test_index_queries_name_an_index_the_table_has() -> None:
    indexes = {
        f"${{{name}.Arn}}/index/{index['IndexName']}"
        for name, table in _of_type("AWS::DynamoDB::Table").items()
        for index in table["Properties"].get("GlobalSecondaryIndexes", [])
    }
    queried = [
        _text(resource)
        for _, statement in _statements()
        if "dynamodb:Query" in _as_list(statement["Action"])
        for resource in _as_list(statement["Resource"])
    ]
    assert queried
    assert set(queried) <= indexes


def test_customers_table_has_the_keys_the_store_reads() -> None:
    table = RESOURCES["CustomersTable"]["Properties"]
    assert table["KeySchema"] == [{"AttributeName": "customer_id", "KeyType": "HASH"}]
    (by_phone,) = [i for i in table["GlobalSecondaryIndexes"] if i["IndexName"] == "by-phone"]
    assert by_phone["KeySchema"] == [{"AttributeName": "phone_e164", "KeyType": "HASH"}]


def test_environment_variables_are_ones_the_functions_read() -> None:
    read = {
        value
        for name, value in vars(functions.config).items()
        if name.isupper() and isinstance(value, str) and value.startswith("IVR_")
    }
    variables = GLOBAL_FUNCTION.get("Environment", {}).get("Variables", {})
    for resource in _of_type(*FUNCTION_TYPES).values():
        variables |= resource["Properties"].get("Environment", {}).get("Variables", {})
    ours = {name for name in variables if name.startswith("IVR_")}
    assert ours, "the template sets no IVR_* variable"
    assert ours <= read, f"not in functions/config.py (typo?): {sorted(ours - read)}"
    assert variables[functions.config.STORE_BACKEND] == "dynamodb"
    assert _referenced_resource(variables[functions.config.CUSTOMERS_TABLE]) in RESOURCES


def test_build_targets_python_and_cpu_of_the_template() -> None:
    runtime = GLOBAL_FUNCTION["Runtime"]
    (architecture,) = GLOBAL_FUNCTION["Architectures"]
    assert runtime == "python" + build_artifact.LAMBDA_PYTHON
    cpu = {"arm64": "aarch64", "x86_64": "x86_64"}[architecture]
    assert cpu == build_artifact.LAMBDA_CPU
    for name, resource in _of_type(*FUNCTION_TYPES).items():
        properties = resource["Properties"]
        assert properties.get("Runtime", runtime) == runtime, name
        assert properties.get("Architectures", [architecture]) == [architecture], name


@pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.logical_id)
def test_each_function_has_a_makefile_build_target(spec: Any) -> None:
    metadata = RESOURCES[spec.logical_id].get("Metadata", {})
    assert metadata.get("BuildMethod") == "makefile"
    assert (ROOT / metadata["ContextPath"] / "Makefile") == MAKEFILE
    targets = re.findall(r"\b(build-[A-Za-z0-9]+)\b", MAKEFILE.read_text())
    assert f"build-{spec.logical_id}" in targets


@pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.logical_id)
def test_each_function_declares_its_artifact(spec: Any) -> None:
    """deploy/artifacts.toml names its distributions (all declared in pyproject.toml, none
    the Lambda runtime provides) and the backends tests/artifacts invokes it on."""
    table = build_artifact.artifact_table()[spec.logical_id]
    requirements = build_artifact.function_requirements(spec.logical_id)
    names = {build_artifact.requirement_name(r) for r in requirements}
    assert names.isdisjoint(build_artifact.RUNTIME_PROVIDED)
    assert table["backends"], "at least one backend to invoke the artifact on"


def test_artifacts_toml_names_only_template_functions() -> None:
    assert set(build_artifact.artifact_table()) == {spec.logical_id for spec in FUNCTIONS}


# Tables whose items expire within minutes (TTL): a deleted stack may take them along.
EPHEMERAL_TABLES = {"PinAttemptsTable", "VerificationsTable"}
KEY_ARN = "arn:aws:kms:ap-northeast-1:123456789012:key/" + "0" * 8 + "-0000" * 3 + "-" + "0" * 12
WRITE_ACTIONS = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}


@pytest.mark.parametrize("name", sorted(_of_type("AWS::DynamoDB::Table")))
def test_each_stateful_table_is_deletion_protected_and_kept(name: str) -> None:
    resource = RESOURCES[name]
    properties = resource["Properties"]
    if name in EPHEMERAL_TABLES:
        assert properties["TimeToLiveSpecification"]["Enabled"] is True
        assert "DeletionProtectionEnabled" not in properties
    else:
        assert properties.get("DeletionProtectionEnabled") is True
        assert resource.get("DeletionPolicy") == "Retain"
        assert resource.get("UpdateReplacePolicy") == "Retain"


@pytest.mark.parametrize("parameter", ["KmsKeyArn", "DatabaseSecretKmsKeyArn"])
def test_kms_key_parameters_are_optional_key_arns(parameter: str) -> None:
    declared = DOCUMENT["Parameters"][parameter]
    assert declared["Default"] == ""
    assert re.fullmatch(declared["AllowedPattern"], "")
    assert re.fullmatch(declared["AllowedPattern"], KEY_ARN)
    # An alias can't be the Resource of an IAM statement on the key.
    assert not re.fullmatch(declared["AllowedPattern"], "arn:aws:kms:ap-northeast-1:1:alias/x")
    assert not re.fullmatch(declared["AllowedPattern"], "*")


def test_kms_conditions_test_for_a_given_key() -> None:
    conditions = DOCUMENT["Conditions"]
    for condition, parameter in [
        ("UseKmsKey", "KmsKeyArn"),
        ("UseDatabaseSecretKmsKey", "DatabaseSecretKmsKeyArn"),
        ("HasReservedConcurrency", "ReservedConcurrency"),
    ]:
        assert conditions[condition] == {"Fn::Not": [{"Fn::Equals": [{"Ref": parameter}, ""]}]}


@pytest.mark.parametrize("name", sorted(_of_type("AWS::DynamoDB::Table")))
def test_each_table_is_encrypted_with_the_given_key(name: str) -> None:
    sse = RESOURCES[name]["Properties"]["SSESpecification"]
    assert sse["SSEEnabled"] is True
    assert sse["SSEType"] == _if("UseKmsKey", "KMS")
    assert sse["KMSMasterKeyId"] == _if("UseKmsKey", {"Ref": "KmsKeyArn"})


@pytest.mark.parametrize("name", sorted(_of_type("AWS::Logs::LogGroup")))
def test_each_log_group_is_encrypted_with_the_given_key(name: str) -> None:
    assert RESOURCES[name]["Properties"]["KmsKeyId"] == _if("UseKmsKey", {"Ref": "KmsKeyArn"})


@pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.logical_id)
def test_each_function_may_use_the_table_key_through_dynamodb_only(spec: Any) -> None:
    written = _function_statements(spec.logical_id)
    conditional = [
        s["Fn::If"][1]
        for s in written
        if isinstance(s, dict) and s.get("Fn::If", [None])[0] == "UseKmsKey"
    ]
    assert len(conditional) == 1, f"{spec.logical_id}: one !If [UseKmsKey, ...] statement"
    (statement,) = conditional
    assert statement["Resource"] == {"Ref": "KmsKeyArn"}
    assert statement["Condition"] == {
        "StringEquals": {"kms:ViaService": {"Fn::Sub": "dynamodb.${AWS::Region}.amazonaws.com"}}
    }
    actions = set(_as_list(statement["Action"]))
    assert {"kms:Decrypt", "kms:DescribeKey"} <= actions
    writes = any(
        WRITE_ACTIONS & set(_as_list(s["Action"]))
        for s in written
        if isinstance(s, dict) and "Action" in s
    )
    assert ({"kms:Encrypt", "kms:GenerateDataKey"} <= actions) == writes
    assert actions <= {"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"}


def test_the_order_function_decrypts_the_secret_through_secrets_manager_only() -> None:
    (statement,) = [
        s["Fn::If"][1]
        for s in _function_statements("OrderStatusFunction")
        if isinstance(s, dict) and s.get("Fn::If", [None])[0] == "UseDatabaseSecretKmsKey"
    ]
    assert statement["Action"] == ["kms:Decrypt"]
    assert statement["Resource"] == {"Ref": "DatabaseSecretKmsKeyArn"}
    assert statement["Condition"] == {
        "StringEquals": {
            "kms:ViaService": {"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"}
        }
    }
    others = [name for name, s in _statements() if s["Resource"] == statement["Resource"]]
    assert others == ["OrderStatusFunction"]


def test_reserved_concurrency_is_a_parameter_unreserved_by_default() -> None:
    parameter = DOCUMENT["Parameters"]["ReservedConcurrency"]
    assert parameter["Default"] == ""
    pattern = parameter["AllowedPattern"]
    assert re.fullmatch(pattern, "") and re.fullmatch(pattern, "50")
    # 0 reserves nothing and throttles every call: never a value to deploy by accident.
    assert not re.fullmatch(pattern, "0") and not re.fullmatch(pattern, "-1")
    assert GLOBAL_FUNCTION["ReservedConcurrentExecutions"] == _if(
        "HasReservedConcurrency", {"Ref": "ReservedConcurrency"}
    )
    for name, resource in _of_type(*FUNCTION_TYPES).items():
        assert "ReservedConcurrentExecutions" not in resource["Properties"], name


def _verify_pin_writes() -> list[dict[str, Any]]:
    return [
        s
        for name, s in _statements()
        if name == "VerifyPinFunction" and WRITE_ACTIONS & set(_as_list(s["Action"]))
    ]


def test_verify_pin_writes_to_tables_others_read_only_within_conditions() -> None:
    writes = _verify_pin_writes()
    assert writes
    for statement in writes:
        table = _referenced_resource(statement["Resource"])
        if table == "PinAttemptsTable":
            continue  # its lockout counters: no other function reads that table
        condition = statement.get("Condition", {})
        assert condition.get("ForAllValues:StringEquals", {}).get("dynamodb:Attributes"), table
        assert condition.get("StringEqualsIfExists") == {"dynamodb:ReturnValues": "NONE"}, table
    on_pins = {
        action
        for statement in writes
        if _referenced_resource(statement["Resource"]) == "PinsTable"
        for action in _as_list(statement["Action"])
    }
    assert on_pins == {"dynamodb:UpdateItem"}, "no PutItem/DeleteItem of a credential"


class _RecordingClient:
    """A DynamoDB client that records the write requests it is given."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []

    def put_item(self, **request: Any) -> dict[str, Any]:
        self.requests.append(("dynamodb:PutItem", request))
        return {}

    def update_item(self, **request: Any) -> dict[str, Any]:
        self.requests.append(("dynamodb:UpdateItem", request))
        return {}


def _attribute_names(request: dict[str, Any]) -> set[str]:
    """The top-level attribute names a write request names (dynamodb:Attributes)."""
    names = set(request.get("Item", {})) | set(request.get("Key", {}))
    for expression in ("UpdateExpression", "ConditionExpression"):
        words = re.findall(r"(?<![:#\w])([A-Za-z_]\w*)\b(?!\s*\()", request.get(expression, ""))
        names |= {w for w in words if w.upper() not in {"SET", "AND", "OR", "NOT", "REMOVE"}}
    return names


def test_verify_pin_store_writes_name_only_what_its_role_allows() -> None:
    from functions.pins import hash_pin
    from functions.stores.dynamodb.pins import DynamoPinStore
    from functions.stores.dynamodb.verifications import DynamoVerificationStore
    from functions.stores.pins import PinRecord

    client = _RecordingClient()
    pins = DynamoPinStore("PinsTable", "PinAttemptsTable", client=client)  # type: ignore[arg-type]
    verifications = DynamoVerificationStore("VerificationsTable", client=client)  # type: ignore[arg-type]
    pins._replace_hash(PinRecord("cust-0001", "20260019", hash_pin("1234")), hash_pin("1234"))
    verifications._record("contact-1", "cust-0001", 1_800_000_000)
    allowed = {
        (action, _referenced_resource(s["Resource"])): s["Condition"]
        for s in _verify_pin_writes()
        if "Condition" in s
        for action in _as_list(s["Action"])
    }
    assert len(client.requests) == 2
    for action, request in client.requests:
        condition = allowed[(action, request["TableName"])]
        names = condition["ForAllValues:StringEquals"]["dynamodb:Attributes"]
        assert _attribute_names(request) <= set(names), request["TableName"]
        assert request.get("ReturnValues", "NONE") == "NONE"


def test_booked_callbacks_start_the_workflow_and_failures_reach_the_dead_letter_queue() -> None:
    mapping = RESOURCES["BookedCallbacksMapping"]["Properties"]
    assert _referenced_resource(mapping["FunctionName"]) == "StartCallbackWorkflowFunction"
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": "CallbacksTable.StreamArn"}
    assert [f["Pattern"] for f in mapping["FilterCriteria"]["Filters"]] == [
        '{"eventName": ["INSERT"]}'
    ]
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    dead_letters = {"Fn::GetAtt": "CallbackDeadLetterQueue.Arn"}
    assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == dead_letters
    machine = RESOURCES["CallbackStateMachine"]["Properties"]
    assert machine["Type"] == "STANDARD" and machine["Tracing"] == {"Enabled": True}
    assert GLOBAL_FUNCTION["Tracing"] == "Active"
    assert set(machine["DefinitionSubstitutions"]) == set(
        re.findall(r"\$\{(\w+)\}", (ROOT / machine["DefinitionUri"]).read_text())
    )
