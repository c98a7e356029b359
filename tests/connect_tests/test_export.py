"""Scenarios exported as Connect test cases: the shape written, and the round trip (export,
import, run offline, PASSED)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivr.cli import main
from ivr.connect_tests import CaseRunner, export_content, export_scenario, parse_case
from ivr.errors import ToolkitError
from ivr.scenarios import Scenario
from tests.connect_tests.conftest import CANNED, LOOKUP

ACCOUNT = Scenario(
    name="account holder",
    caller="+15550100",
    inputs=["2", "12345#"],
    attributes={"lang": "en"},
    lambdas=CANNED,
    expect_prompts=["Welcome to the test line", "Thank you, Hanako."],
    expect_queue="Sales",
)


def round_trip(flow: Path, scenario: Scenario, **options):
    request = export_scenario(flow, scenario, **options)
    return request, parse_case(json.loads(json.dumps(request)))


def test_export_writes_overrides_inputs_and_the_queue_check(line_flow: Path) -> None:
    content = export_content(line_flow, ACCOUNT)
    observations = {o["Identifier"]: o for o in content["Observations"]}
    assert content["Version"] == "2025-06-21"
    setup = observations["Setup"]
    assert setup["Event"]["Type"] == "TestInitiated"
    strategies = [a["Parameters"]["Behavior"]["Properties"] for a in setup["Actions"]]
    assert [s["ActionType"] for s in strategies] == [
        "CheckHoursOfOperation",
        "InvokeLambdaFunction",
        "InvokeLambdaFunction",  # one per call: overrides are one-shot
    ]
    loaded = strategies[1]["Strategy"]["Response"]["ExecutionResult"]["LoadedData"]
    assert json.loads(loaded) == CANNED[LOOKUP]
    keys = [
        a["Parameters"]["Instruction"]["Properties"]["Value"]
        for o in content["Observations"]
        for a in o["Actions"]
        if a["Type"] == "SendInstruction"
    ]
    assert keys == ["2", "12345#"]
    final = content["Observations"][-1]
    assert final["Event"]["Properties"]["ActionType"] == "TransferContactToQueue"
    assert [a["Type"] for a in final["Actions"]] == ["Assert", "TestControl"]
    assert final["Actions"][0]["Parameters"] == {
        "Namespace": "$.Queue.Name",
        "Operator": "Equals",
        "Operand": "Sales",
    }
    # Linked in the order heard.
    chain = [o["Transitions"].get("NextObservations", []) for o in content["Observations"]]
    ids = [o["Identifier"] for o in content["Observations"]]
    assert chain == [[following] for following in ids[1:]] + [[]]


def test_round_trip_passes_offline_without_the_scenarios_lambdas(line_flow: Path) -> None:
    request, test_case = round_trip(line_flow, ACCOUNT)
    assert request["EntryPoint"]["VoiceCallEntryPointParameters"]["SourcePhoneNumber"] == (
        "+15550100"
    )
    assert test_case.caller == "+15550100" and test_case.attributes == {"lang": "en"}
    result = CaseRunner(line_flow).run(test_case)  # no lambdas: the overrides answer
    assert result.status == "PASSED", result.describe()
    assert result.ended.startswith("EndTest")


@pytest.mark.parametrize(
    ("scenario", "heard"),
    [
        (Scenario(name="closed", hours="closed", lambdas=CANNED), "We are closed."),
        (
            Scenario(name="busy", inputs=["1"], queue_at_capacity=True, lambdas=CANNED),
            "All our agents are busy.",
        ),
        (Scenario(name="silent", inputs=["timeout"], lambdas=CANNED), "Sorry"),
    ],
)
def test_round_trip_of_hours_capacity_and_silence(
    line_flow: Path, scenario: Scenario, heard: str
) -> None:
    scenario.expect_prompts = [heard]
    _, test_case = round_trip(line_flow, scenario)
    assert CaseRunner(line_flow).run(test_case).status == "PASSED"


def test_resources_name_the_cloud_arns(line_flow: Path) -> None:
    arn = "arn:aws:lambda:us-east-1:111122223333:function:lookup"
    queue = "arn:aws:connect:us-east-1:111122223333:instance/I/queue/sales"
    resources = {LOOKUP: arn, "${SalesQueueArn}": queue}
    scenario = Scenario(name="sales", inputs=["1"], lambdas=CANNED)
    request, test_case = round_trip(line_flow, scenario, resources=resources)
    assert arn in request["Content"] and LOOKUP not in request["Content"]
    final = test_case.content.observations[-1]
    assert final.event.properties["ActionParameters"] == {"QueueId": queue}
    assert CaseRunner(line_flow, resources=resources).run(test_case).status == "PASSED"
    assert CaseRunner(line_flow).run(test_case).status == "FAILED"


def test_a_scenario_that_fails_offline_is_not_exported(line_flow: Path) -> None:
    wrong = Scenario(name="wrong", inputs=["2", "1#"], lambdas=CANNED, expect_queue="Gold")
    with pytest.raises(ToolkitError, match="expected queue 'Gold', the call transferred"):
        export_scenario(line_flow, wrong)
    unheard = Scenario(name="unheard", lambdas=CANNED, expect_prompts=["Goodbye forever"])
    with pytest.raises(ToolkitError, match="no prompt containing 'Goodbye forever'"):
        export_scenario(line_flow, unheard)


def test_cli_export_then_run(line_flow: Path, tmp_path: Path, capsys) -> None:
    scenarios = tmp_path / "scenarios.json"
    answer = tmp_path / "lookup.json"
    answer.write_text(json.dumps(CANNED[LOOKUP]), encoding="utf-8")
    scenarios.write_text(
        json.dumps(
            [
                {"name": "sales", "inputs": ["1"], "lambdas": {LOOKUP: "lookup.json"}},
                {"name": "closed", "hours": "closed", "expect_prompts": ["We are closed"]},
            ]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "cases"
    code = main(
        ["connect-test", "export", str(line_flow), "--scenarios", str(scenarios), "--out", str(out)]
    )
    assert code == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == ["closed.json", "sales.json"]
    capsys.readouterr()
    code = main(["connect-test", "run", *(str(out / n) for n in written), "--flow", str(line_flow)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert printed.count(": PASSED") == 2

    code = main(["connect-test", "export", str(line_flow), "--scenarios", str(scenarios)])
    documents = json.loads(capsys.readouterr().out)
    assert code == 0 and [d["Name"] for d in documents] == ["sales", "closed"]
