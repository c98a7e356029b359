"""The flow-to-function contract: `$.External` reads and passed parameters checked against
the handlers the fixture project's template names (lint_fixture_functions.py)."""

from __future__ import annotations

import importlib
import sys

import pytest

from ivr.lint import Finding, lint_flow
from models.flow import Flow
from tests.lint.conftest import FIXTURE_PROJECT, action_in


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


@pytest.fixture(scope="module")
def handlers():
    sys.path.insert(0, str(FIXTURE_PROJECT))
    try:
        yield importlib.import_module("lint_fixture_functions")
    finally:
        sys.path.remove(str(FIXTURE_PROJECT))


def test_correct_flow_is_clean(doc, lint):
    assert lint(doc) == []


def test_typo_in_a_read_key_names_the_key_the_function_and_the_reader(doc, lint, handlers):
    assert {"customerName"} <= handlers.lookup_account.contract.response.keys()
    action_in(doc, "save")["Parameters"]["Attributes"]["customerName"] = "$.External.customerNmae"
    [finding] = errors(lint(doc))
    assert (finding.code, finding.identifier) == ("unknown-external-key", "save")
    assert "customerNmae" in finding.message
    assert "LookupAccountFunction" in finding.message


def test_prompt_interpolation_is_checked(doc, lint):
    action_in(doc, "ask-account")["Parameters"]["Text"] = "Hello $.External.teir customer."
    [finding] = errors(lint(doc))
    assert (finding.code, finding.identifier) == ("unknown-external-key", "ask-account")
    assert "teir" in finding.message and "IdentifyFunction" in finding.message


def test_a_later_calls_parameters_read_the_earlier_answer(doc, lint):
    parameters = action_in(doc, "lookup")["Parameters"]["LambdaInvocationAttributes"]
    parameters["language"] = "$.External.language"
    [finding] = errors(lint(doc))
    assert (finding.code, finding.identifier) == ("unknown-external-key", "lookup")
    assert "IdentifyFunction" in finding.message


def test_a_key_of_the_next_function_read_too_early(doc, lint, handlers):
    assert not {"balance"} & handlers.identify.contract.response.keys()
    action_in(doc, "ask-account")["Parameters"]["Text"] = "Your balance is $.External.balance."
    [finding] = errors(lint(doc))
    assert (finding.code, finding.identifier) == ("unknown-external-key", "ask-account")


def test_bracket_reads_are_checked(doc, lint):
    action_in(doc, "check-status")["Parameters"]["ComparisonValue"] = "$.External['state']"
    [finding] = errors(lint(doc))
    assert (finding.code, finding.identifier) == ("unknown-external-key", "check-status")


def test_reads_on_the_calls_own_error_branch_are_not_checked_against_it(doc, lint):
    # A failed call leaves no answer; what the error branch reads is not this contract's.
    doc["Actions"].append(
        {
            "Identifier": "identify-failed",
            "Type": "MessageParticipant",
            "Parameters": {"Text": "We could not find you ($.External.reason)."},
            "Transitions": {
                "NextAction": "bye",
                "Errors": [{"NextAction": "bye", "ErrorType": "NoMatchingError"}],
            },
        }
    )
    action_in(doc, "identify")["Transitions"]["Errors"][0]["NextAction"] = "identify-failed"
    assert lint(doc) == []
    action_in(doc, "identify-failed")["Parameters"]["Text"] = "Sorry $.External.tierr."
    assert lint(doc) == []


def test_a_shared_failure_prompt_is_checked_on_every_success_path(doc, lint):
    # `sorry` follows check-status (after identify) and save (after lookup): a key only
    # identify answers is wrong on the second path.
    action_in(doc, "sorry")["Parameters"]["Text"] = "Sorry, $.External.tier customer."
    [finding] = errors(lint(doc))
    assert (finding.code, finding.identifier) == ("unknown-external-key", "sorry")
    assert "LookupAccountFunction" in finding.message


def test_missing_required_parameter(doc, lint, handlers):
    assert "accountNumber" in handlers.lookup_account.contract.parameters.required()
    del action_in(doc, "lookup")["Parameters"]["LambdaInvocationAttributes"]["accountNumber"]
    [finding] = errors(lint(doc))
    assert (finding.code, finding.identifier) == ("missing-parameter", "lookup")
    assert "accountNumber" in finding.message


def test_optional_parameter_may_be_left_out(doc, lint):
    del action_in(doc, "lookup")["Parameters"]["LambdaInvocationAttributes"]["language"]
    assert lint(doc) == []


def test_unaccepted_parameter_is_a_warning(doc, lint):
    action_in(doc, "lookup")["Parameters"]["LambdaInvocationAttributes"]["pin"] = "1234"
    [finding] = lint(doc)
    assert (finding.code, finding.severity, finding.identifier) == (
        "unaccepted-parameter",
        "warning",
        "lookup",
    )
    assert "'pin'" in finding.message


def test_time_limit_parameter_is_always_accepted(doc, lint):
    action_in(doc, "lookup")["Parameters"]["LambdaInvocationAttributes"]["timeLimitSeconds"] = "4"
    assert lint(doc) == []


def test_handler_that_does_not_import(doc, tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n"
        "  IdentifyFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Handler: no_such_module_for_lint.handler\n"
        "  LookupAccountFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Handler: tests.lint.fixture_project.lint_fixture_functions.lookup_account\n",
        encoding="utf-8",
    )
    [finding] = errors(lint_flow(Flow.model_validate(doc), template=template))
    assert (finding.code, finding.identifier) == ("handler-import", "identify")
    assert "no_such_module_for_lint" in finding.message


def test_a_compared_reason_must_be_one_the_function_declares(doc, lint, handlers):
    # The declared reasons are the response model's: renaming a reason (or mistyping one in
    # the flow) leaves a branch no call can take, and lint says so.
    assert "timeout" in handlers.identify.contract.reasons
    compare = action_in(doc, "check-status")
    compare["Parameters"]["ComparisonValue"] = "$.External.reason"
    compare["Transitions"]["Conditions"][0]["Condition"]["Operands"] = ["timeout"]
    assert lint(doc) == []
    compare["Transitions"]["Conditions"][0]["Condition"]["Operands"] = ["time_out"]
    [finding] = errors(lint(doc))
    assert (finding.code, finding.identifier) == ("unknown-reason", "check-status")
    assert "'time_out'" in finding.message and "IdentifyFunction" in finding.message
