"""One model of a call (issue 10): the same call written as a scenarios file, as `run_call`
keywords, as `ivr simulate` flags and as an Amazon Connect test case runs the same way, because
each is translated into an `ivr.scenarios.Scenario`; what is not a call is refused by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ivr import cli
from ivr.connect_tests import CaseRunner, parse_case
from ivr.engine import CallResult
from ivr.engine.simulator import seeded_contact_id
from ivr.scenarios import Scenario, load_scenarios
from ivr.testing import run_call
from tests.connect_tests.conftest import LINE, LOOKUP, dtmf, prompt
from tests.engine.conftest import flow_document

CALLER, DIALED = "+15550100", "+15550199"
ANSWER = {"tier": "gold", "name": "Hanako"}
# One ContactId for every way: `ivr simulate` would otherwise take a fresh one.
CONTACT_ID = seeded_contact_id(0)


@pytest.fixture
def line_flow(tmp_path: Path) -> Path:
    """The connect-test suite's small line: hours check, a Lambda lookup, a menu, a queue."""
    path = tmp_path / "line.json"
    path.write_text(json.dumps(flow_document(*LINE)), encoding="utf-8")
    return path


@pytest.fixture
def canned(line_flow: Path) -> Path:
    path = line_flow.parent / "lookup.json"
    path.write_text(json.dumps(ANSWER), encoding="utf-8")
    return path


def from_file(flow: Path, canned: Path) -> CallResult:
    scenarios = flow.parent / "calls.yaml"
    scenarios.write_text(
        "scenarios:\n"
        "  - name: sales\n"
        f"    caller: '{CALLER}'\n"
        f"    dialed: '{DIALED}'\n"
        "    inputs: [1]\n"
        "    attributes: {lang: en}\n"
        "    lambdas: {'" + LOOKUP + "': " + canned.name + "}\n"
        f"    contact_id: {CONTACT_ID}\n",
        encoding="utf-8",
    )
    (scenario,) = load_scenarios(scenarios)
    return scenario.run(flow)


def from_keywords(flow: Path, canned: Path) -> CallResult:
    call = run_call(
        flow,
        lambdas={LOOKUP: str(canned)},
        caller=CALLER,
        dialed=DIALED,
        inputs=["1"],
        attributes={"lang": "en"},
        contact_id=CONTACT_ID,
    )
    assert call.contact_id == CONTACT_ID
    return call.result


def from_flags(
    flow: Path, canned: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    monkeypatch.setattr(cli, "COMMANDS", ("simulate",))  # whatever state the others are in
    code = cli.main(
        [
            "simulate", str(flow), "--caller", CALLER, "--dialed", DIALED, "--input", "1",
            "--attribute", "lang=en", "--lambda", f"{LOOKUP}={canned}",
            "--contact-id", CONTACT_ID, "--json",
        ]
    )  # fmt: skip
    out, _ = capsys.readouterr()
    assert code == 0
    return json.loads(out)  # type: ignore[no-any-return]


def test_a_call_as_file_keywords_flags_and_connect_test_case_runs_the_same(
    line_flow: Path,
    canned: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    filed = from_file(line_flow, canned)
    keyed = from_keywords(line_flow, canned)
    assert filed.outcome.type == "queue" and filed.outcome.queue == "Sales"
    assert keyed.events == filed.events
    assert keyed.attributes == filed.attributes == {"lang": "en", "tier": "gold"}
    flagged = from_flags(line_flow, canned, capsys, monkeypatch)
    assert flagged == json.loads(filed.to_json())

    # Connect's test case: the entry point gives the numbers, InitializationData the
    # attributes, an observation presses 1; the runner's --lambda answers the lookup.
    content = {"Version": "2025-06-21", "Observations": [prompt("Menu", "Press 1", dtmf("1"))]}
    request = {
        "Name": "sales",
        "Content": json.dumps(content),
        "EntryPoint": {
            "Type": "VOICE_CALL",
            "VoiceCallEntryPointParameters": {
                "SourcePhoneNumber": CALLER,
                "DestinationPhoneNumber": DIALED,
                "FlowId": "line",
            },
        },
        "InitializationData": json.dumps({"lang": "en"}),
    }
    cased = CaseRunner(line_flow, lambdas={LOOKUP: str(canned)}).run(parse_case(request))
    assert cased.status == "PASSED", cased.describe()
    assert cased.events == filed.events


def test_a_run_option_or_a_call_field_goes_its_own_way(line_flow: Path, canned: Path) -> None:
    heard: list[Any] = []
    closed = run_call(
        line_flow, lambdas={LOOKUP: str(canned)}, hours_open=False, listener=heard.append
    )
    assert closed.result.prompts[-1] == "We are closed."
    assert tuple(heard) == closed.events
    scenario = Scenario(hours="closed", lambdas={LOOKUP: str(canned)})
    assert scenario.run(line_flow).events == closed.events


def test_an_unknown_keyword_is_refused_naming_it_and_the_known_ones(line_flow: Path) -> None:
    with pytest.raises(TypeError) as refused:
        run_call(line_flow, input=["1"])
    message = str(refused.value)
    assert "unknown call field 'input'" in message
    assert "inputs" in message and "max_steps" in message


def test_a_python_stand_in_runs_but_cannot_be_written_to_a_file(line_flow: Path) -> None:
    def lookup(event: dict[str, Any], context: Any) -> dict[str, str]:
        return {**ANSWER, "name": event["Details"]["Parameters"]["callerNumber"]}

    call = run_call(line_flow, lambdas={LOOKUP: lookup}, caller=CALLER, inputs=["1"])
    call.expect.prompt().containing(f"Hello {CALLER}.")
    call.expect.ended_in_queue("Sales")
    with pytest.raises(ValueError, match=r"Lambda \$\{LookupFunctionArn\} is the Python callable"):
        Scenario(name="live", lambdas={LOOKUP: lookup}).as_document()
    written = Scenario(name="canned", lambdas={LOOKUP: ANSWER}, inputs=["1"]).as_document()
    assert written == {"name": "canned", "inputs": ["1"], "lambdas": {LOOKUP: ANSWER}}
