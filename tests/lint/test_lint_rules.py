"""One test per lint rule: break the valid fixture flow one way, check the finding's code,
severity and Identifier."""

from __future__ import annotations

import copy

import pytest

from ivr.lint import Finding, lint_flow
from models.flow import MAX_ACTIONS, MAX_CONTENT_CHARS, Flow
from tests.lint.conftest import action_in

DISCONNECT = {"Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}


def with_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def the_one(findings: list[Finding], code: str) -> Finding:
    __tracebackhide__ = True
    matching = with_code(findings, code)
    assert len(matching) == 1, f"expected one {code}, got: {[str(f) for f in findings]}"
    return matching[0]


def test_valid_flow_has_no_findings(doc, lint):
    assert lint(doc) == []


def test_every_message_names_its_identifier(doc, lint):
    action_in(doc, "save")["Type"] = "SetAttributes"
    action_in(doc, "welcome")["Transitions"]["NextAction"] = "nowhere"
    findings = lint(doc)
    assert findings
    for finding in findings:
        assert finding.identifier and finding.identifier in finding.message


# --- errors: what Connect rejects on import -----------------------------------------------


def test_wrong_version(doc, lint):
    doc["Version"] = "1"
    finding = the_one(lint(doc), "wrong-version")
    assert (finding.severity, finding.identifier) == ("error", "")


def test_dangling_start_action(doc, lint):
    doc["StartAction"] = "nowhere"
    finding = the_one(lint(doc), "dangling-start-action")
    assert finding.severity == "error" and "nowhere" in finding.message


@pytest.mark.parametrize("branch", ["default", "condition", "error"])
def test_dangling_next_action(doc, lint, branch):
    transitions = action_in(doc, "check-status")["Transitions"]
    if branch == "default":
        transitions["NextAction"] = "nowhere"
    elif branch == "condition":
        transitions["Conditions"][0]["NextAction"] = "nowhere"
    else:
        transitions["Errors"][0]["NextAction"] = "nowhere"
    finding = the_one(lint(doc), "dangling-next-action")
    assert (finding.severity, finding.identifier) == ("error", "check-status")
    assert "nowhere" in finding.message


def test_duplicate_identifier(doc, lint):
    doc["Actions"].append(copy.deepcopy(action_in(doc, "bye")))
    finding = the_one(lint(doc), "duplicate-identifier")
    assert (finding.severity, finding.identifier) == ("error", "bye")


@pytest.mark.parametrize(
    "identifier",
    [
        "x" * 51,
        "a:b",
        "queue(1)",
        "a/b",
        "cost=$",
        "a,b",
        "[x]",
        "__proto__",
        "toString",
        "valueOf",
    ],
)
def test_invalid_identifier(doc, lint, identifier):
    doc["Actions"].append({"Identifier": identifier, **DISCONNECT})
    action_in(doc, "sorry")["Transitions"]["NextAction"] = identifier
    finding = the_one(lint(doc), "invalid-identifier")
    assert (finding.severity, finding.identifier) == ("error", identifier)


def test_identifier_of_fifty_characters_with_hash_and_spaces_is_fine(doc, lint):
    identifier = "Set Customer Whisper #" + "x" * 28
    doc["Actions"].append({"Identifier": identifier, **DISCONNECT})
    action_in(doc, "sorry")["Transitions"]["NextAction"] = identifier
    assert lint(doc) == []


def test_unknown_action_type(doc, lint):
    action_in(doc, "save")["Type"] = "SetAttributes"
    finding = the_one(lint(doc), "unknown-action-type")
    assert (finding.severity, finding.identifier) == ("error", "save")
    assert "SetAttributes" in finding.message


@pytest.mark.parametrize(
    ("identifier", "mutate", "where"),
    [
        ("ask-account", lambda p: p.update(StoreInput=True), "StoreInput"),
        ("ask-account", lambda p: p.update(InputTimeLimitSeconds=5), "InputTimeLimitSeconds"),
        (
            "ask-account",
            lambda p: p["DTMFConfiguration"].update(DisableCancelKey=False),
            "DTMFConfiguration.DisableCancelKey",
        ),
        (
            "ask-account",
            lambda p: p["InputValidation"]["CustomValidation"].update(MaximumLength=8),
            "MaximumLength",
        ),
        (
            "identify",
            lambda p: p.update(InvocationTimeLimitSeconds=3.0),
            "InvocationTimeLimitSeconds",
        ),
        ("save", lambda p: p["Attributes"].update(vip=None), "Attributes.vip"),
    ],
)
def test_non_string_parameter(doc, lint, identifier, mutate, where):
    mutate(action_in(doc, identifier)["Parameters"])
    finding = the_one(lint(doc), "non-string-parameter")
    assert (finding.severity, finding.identifier) == ("error", identifier)
    assert where in finding.message


def test_documented_list_parameters_are_not_non_string(doc, lint):
    recording = {
        "Identifier": "record",
        "Type": "UpdateContactRecordingBehavior",
        "Parameters": {
            "RecordingBehavior": {"RecordedParticipants": ["Agent", "Customer"]},
        },
        "Transitions": {"NextAction": "identify"},
    }
    doc["Actions"].append(recording)
    action_in(doc, "welcome")["Transitions"]["NextAction"] = "record"
    assert with_code(lint(doc), "non-string-parameter") == []


@pytest.mark.parametrize("limit", ["0", "9", "soon", "-1"])
def test_invocation_time_limit(doc, lint, limit):
    action_in(doc, "identify")["Parameters"]["InvocationTimeLimitSeconds"] = limit
    finding = the_one(lint(doc), "invocation-time-limit")
    assert (finding.severity, finding.identifier) == ("error", "identify")


@pytest.mark.parametrize("limit", ["1", "8"])
def test_invocation_time_limit_bounds_are_accepted(doc, lint, limit):
    action_in(doc, "identify")["Parameters"]["InvocationTimeLimitSeconds"] = limit
    assert lint(doc) == []


def test_store_input_with_conditions(doc, lint):
    action_in(doc, "ask-account")["Transitions"]["Conditions"] = [
        {"NextAction": "lookup", "Condition": {"Operator": "Equals", "Operands": ["1"]}}
    ]
    finding = the_one(lint(doc), "store-input-conditions")
    assert (finding.severity, finding.identifier) == ("error", "ask-account")


def test_store_input_without_validation(doc, lint):
    del action_in(doc, "ask-account")["Parameters"]["InputValidation"]
    finding = the_one(lint(doc), "store-input-validation")
    assert (finding.severity, finding.identifier) == ("error", "ask-account")


@pytest.mark.parametrize("operands", [["12"], ["A"], ["1", "2"], [], [1]])
def test_menu_operand(doc, lint, operands):
    action_in(doc, "menu")["Transitions"]["Conditions"][0]["Condition"]["Operands"] = operands
    finding = the_one(lint(doc), "menu-operand")
    assert (finding.severity, finding.identifier) == ("error", "menu")


@pytest.mark.parametrize("key", ["0", "9", "*", "#"])
def test_menu_accepts_every_single_key(doc, lint, key):
    action_in(doc, "menu")["Transitions"]["Conditions"][1]["Condition"]["Operands"] = [key]
    assert lint(doc) == []


def test_lex_input_branches_on_intent_names(doc, lint):
    menu = action_in(doc, "menu")
    menu["Parameters"]["LexV2Bot"] = {"AliasArn": "$.FlowAttributes.bot"}
    menu["Transitions"]["Conditions"][0]["Condition"]["Operands"] = ["Sales"]
    assert lint(doc) == []


def test_menu_operator(doc, lint):
    action_in(doc, "menu")["Transitions"]["Conditions"][0]["Condition"]["Operator"] = "TextContains"
    finding = the_one(lint(doc), "menu-operator")
    assert (finding.severity, finding.identifier) == ("error", "menu")


@pytest.mark.parametrize(
    ("identifier", "mutate"),
    [
        ("hours", lambda conditions: conditions.pop()),
        ("hours", lambda conditions: conditions[1]["Condition"].update(Operands=["Closed"])),
        ("menu-loop", lambda conditions: conditions[0]["Condition"].update(Operands=["Again"])),
        ("menu-loop", lambda conditions: conditions.append(copy.deepcopy(conditions[0]))),
    ],
)
def test_required_conditions(doc, lint, identifier, mutate):
    mutate(action_in(doc, identifier)["Transitions"]["Conditions"])
    finding = the_one(lint(doc), "required-conditions")
    assert (finding.severity, finding.identifier) == ("error", identifier)


def test_unknown_operator(doc, lint):
    action_in(doc, "check-status")["Transitions"]["Conditions"][0]["Condition"]["Operator"] = "Is"
    finding = the_one(lint(doc), "unknown-operator")
    assert (finding.severity, finding.identifier) == ("error", "check-status")


@pytest.mark.parametrize("value", ["$.Atributes.lang", "Hello $.Customerendpoint.Address"])
def test_unknown_jsonpath_namespace(doc, lint, value):
    action_in(doc, "save")["Parameters"]["Attributes"]["extra"] = value
    finding = the_one(lint(doc), "unknown-jsonpath")
    assert (finding.severity, finding.identifier) == ("error", "save")


@pytest.mark.parametrize(
    "value",
    [
        "$.CustomerEndpoint.Address",
        "$.Queue.ARN",
        "$.Lex.IntentName",
        "$.Media.Sip.Headers.From",
        "$.FlowAttributes.x",
        "$['AwsRegion']",
        "$.SegmentAttributes['connect:Subtype']",
        "costs ${AMOUNT} and $5.00",
    ],
)
def test_documented_jsonpaths_are_accepted(doc, lint, value):
    action_in(doc, "save")["Parameters"]["Attributes"]["extra"] = value
    assert with_code(lint(doc), "unknown-jsonpath") == []


def test_too_many_actions(doc, lint):
    for number in range(MAX_ACTIONS + 1 - len(doc["Actions"])):
        doc["Actions"].append({"Identifier": f"extra-{number}", **DISCONNECT})
    assert len(doc["Actions"]) == MAX_ACTIONS + 1
    finding = the_one(lint(doc), "too-many-actions")
    assert (finding.severity, finding.identifier) == ("error", "")


def test_content_too_large_measured_from_the_flow(doc, lint):
    action_in(doc, "sorry")["Parameters"]["Text"] = "x" * MAX_CONTENT_CHARS
    finding = the_one(lint(doc), "content-too-large")
    assert (finding.severity, finding.identifier) == ("error", "")


def test_content_too_large_from_the_callers_count(doc):
    flow = Flow.model_validate(doc)
    findings = lint_flow(flow, content_chars=MAX_CONTENT_CHARS + 1, template=None)
    assert with_code(findings, "content-too-large")
    findings = lint_flow(flow, content_chars=MAX_CONTENT_CHARS, template=None)
    assert not with_code(findings, "content-too-large")


def test_unknown_function_placeholder(doc, lint):
    action_in(doc, "identify")["Parameters"]["LambdaFunctionARN"] = "${IdentifyFunctonArn}"
    finding = the_one(lint(doc), "unknown-function")
    assert (finding.severity, finding.identifier) == ("error", "identify")
    assert "${IdentifyFunctonArn}" in finding.message


def test_function_placeholder_without_a_template(doc):
    findings = lint_flow(Flow.model_validate(doc))
    errors = with_code(findings, "unknown-function")
    assert {f.identifier for f in errors} == {"identify", "lookup"}
    assert all("--template" in f.message for f in errors)


# --- warnings: what hurts callers ---------------------------------------------------------


def test_unreachable_action(doc, lint):
    doc["Actions"].append({"Identifier": "orphan", **DISCONNECT})
    finding = the_one(lint(doc), "unreachable-action")
    assert (finding.severity, finding.identifier) == ("warning", "orphan")


def test_unwired_error(doc, lint):
    del action_in(doc, "lookup")["Transitions"]["Errors"]
    finding = the_one(lint(doc), "unwired-error")
    assert (finding.severity, finding.identifier) == ("warning", "lookup")


def test_action_without_documented_errors_needs_no_error_branch(doc, lint):
    del action_in(doc, "check-status")["Transitions"]["Errors"]  # Compare: NoMatchingCondition
    assert with_code(lint(doc), "unwired-error") == []


def test_prompt_before_store_input(doc, lint):
    doc["Actions"].append(
        {
            "Identifier": "please",
            "Type": "MessageParticipant",
            "Parameters": {"Text": "Please have your account number ready."},
            "Transitions": {
                "NextAction": "ask-account",
                "Errors": [{"NextAction": "sorry", "ErrorType": "NoMatchingError"}],
            },
        }
    )
    action_in(doc, "check-status")["Transitions"]["Conditions"][0]["NextAction"] = "please"
    finding = the_one(lint(doc), "prompt-before-store-input")
    assert (finding.severity, finding.identifier) == ("warning", "please")
    assert "ask-account" in finding.message


def test_chained_lambdas(doc, lint):
    # Straight from the lookup of the caller to the account lookup, without asking anything.
    action_in(doc, "check-status")["Transitions"]["Conditions"][0]["NextAction"] = "lookup"
    finding = the_one(lint(doc), "chained-lambdas")
    assert (finding.severity, finding.identifier) == ("warning", "lookup")
    assert "identify" in finding.message


@pytest.mark.parametrize(
    "queue",
    [
        "${Q:sales:Q}",
        "%QueueArn%",
        "REPLACE_WITH_SAMPLE_BASIC_QUEUE_ARN",
        "arn:aws:connect:${REGION}:${ACCT_ID}:instance/${INSTANCE_ID}/queue/x",
    ],
)
def test_unresolved_placeholder_is_a_warning(doc, lint, queue):
    action_in(doc, "set-queue")["Parameters"]["QueueId"] = queue
    findings = lint(doc)
    finding = the_one(findings, "unresolved-placeholder")
    assert (finding.severity, finding.identifier) == ("warning", "set-queue")
    assert not [f for f in findings if f.is_error]


@pytest.mark.parametrize("queue", ["${SalesQueueArn}", "${Flow:customer-queue}", "${Module:pin}"])
def test_placeholders_ivr_deploy_fills_are_not_findings(doc, lint, queue):
    action_in(doc, "set-queue")["Parameters"]["QueueId"] = queue
    assert not [f for f in lint(doc) if f.code == "unresolved-placeholder"]


def test_placeholder_defined_as_a_template_output_is_resolved(doc, tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources: {}\nOutputs:\n  SalesQueueArn:\n    Value: x\n", encoding="utf-8"
    )
    action_in(doc, "set-queue")["Parameters"]["QueueId"] = "${SalesQueueArn}"
    findings = lint_flow(Flow.model_validate(doc), template=template)
    assert with_code(findings, "unresolved-placeholder") == []


def test_rules_are_independent(doc, lint):
    """Two unrelated breaks give both findings and nothing else."""
    action_in(doc, "identify")["Parameters"]["InvocationTimeLimitSeconds"] = "12"
    doc["Actions"].append({"Identifier": "orphan", **DISCONNECT})
    assert {f.code for f in lint(doc)} == {"invocation-time-limit", "unreachable-action"}
