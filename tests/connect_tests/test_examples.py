"""The two example test cases of connect-testing.md sections 7 and 8 (copied to cases/) run
offline against the public flows they were written for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivr.cli import main
from ivr.connect_tests import CaseRunner, load_case, parse_case

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "cases"
PUBLIC = ROOT.parent / "shared" / "fixtures" / "public-flows"
CARDS = PUBLIC / (
    "aws-samples__amazon-connect-step-by-step-guides-module-library__"
    "SBSGuides_Example_Cards_Handler.json"
)
BANKID = PUBLIC / "amazon-connect__amazon-connect-snippets__contact-flow.json"
# What deploy would put in place of the samples' placeholder text.
WORKING_QUEUE = "arn:aws:connect:us-east-1:111122223333:instance/INSTANCE/queue/WORKING"
BANKID_ARN = "arn:aws:lambda:eu-north-1:111122223333:function:bankid-auth"
CARDS_RESOURCES = {"ENTER WORKING QUEUE ARN HERE": WORKING_QUEUE}
BANKID_RESOURCES = {"REPLACE_WITH_LAMBDA_FUNCTION_ARN": BANKID_ARN}

pytestmark = pytest.mark.skipif(not PUBLIC.is_dir(), reason="../shared/fixtures absent")


def test_example_a_menu_passes_offline() -> None:
    result = CaseRunner(CARDS, resources=CARDS_RESOURCES).run(
        load_case(CASES / "menu_missing_luggage.json")
    )
    assert result.status == "PASSED", result.describe()
    assert result.summary == {"Total": 2, "Passed": 2, "Failed": 0}
    assert [(e.label, e.value) for e in result.logs] == [("queue", "ENTER WORKING QUEUE ARN HERE")]


def test_example_b_lambda_mock_passes_offline() -> None:
    result = CaseRunner(BANKID, resources=BANKID_RESOURCES).run(
        load_case(CASES / "bankid_lambda_mock.json")
    )
    assert result.status == "PASSED", result.describe()
    assert result.summary == {"Total": 4, "Passed": 4, "Failed": 0}
    assert not result.warnings  # the mock was consumed


def test_a_deliberately_wrong_assertion_fails_with_the_reason() -> None:
    document = json.loads((CASES / "menu_missing_luggage.json").read_text())
    checks = document["Observations"][1]["Actions"][0]["Parameters"]
    checks["Operand"] = "Manage reservation"
    result = CaseRunner(CARDS, resources=CARDS_RESOURCES).run(parse_case(document))
    assert result.status == "FAILED"
    assert result.observation("QueueTransfer").reason == (
        "assertion check-ivr failed: expected $.Attributes.IVRResponse Equals "
        "'Manage reservation', actual 'Missing Luggage'"
    )
    assert result.logs == ()  # the test ended at the failed check


def test_without_the_deployed_arns_the_mocks_and_queue_do_not_match() -> None:
    result = CaseRunner(BANKID).run(load_case(CASES / "bankid_lambda_mock.json"))
    assert result.status == "FAILED"
    assert result.observation("Greeting").reason.startswith("never observed")
    assert result.warnings == ("override never used: observation Setup, action mock-bankid",)


def test_cli_runs_both_examples(capsys) -> None:
    code = main(
        [
            "connect-test",
            "run",
            str(CASES / "bankid_lambda_mock.json"),
            "--flow",
            str(BANKID),
            "--resource",
            f"REPLACE_WITH_LAMBDA_FUNCTION_ARN={BANKID_ARN}",
            "--json",
        ]
    )
    (result,) = json.loads(capsys.readouterr().out)
    assert code == 0
    assert result["Status"] == "PASSED"
    assert result["Summary"] == {"Total": 4, "Passed": 4, "Failed": 0}
    code = main(
        ["connect-test", "run", str(CASES / "menu_missing_luggage.json"), "--flow", str(CARDS)]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED Menu: never observed" not in out  # the menu prompt is heard
    assert "FAILED QueueTransfer: never observed: TransferContactToQueue" in out
