"""`ivr paths`: generated scenarios take every branch any input can reach, in every flow of
contact_flows/ (main_inbound included), as `ivr coverage` measures them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivr import cli
from ivr.flowpaths import find_paths

FLOWS = Path(__file__).resolve().parents[2] / "contact_flows"
FLOW_FILES = sorted(p for p in FLOWS.glob("*.json") if p.name != "manifest.json")


@pytest.mark.parametrize("flow", FLOW_FILES, ids=lambda p: p.stem)
def test_generated_scenarios_cover_every_reachable_branch(capsys, tmp_path, flow):
    scenarios = tmp_path / "scenarios.json"
    assert cli.main(["paths", str(flow), "--scenarios", str(scenarios), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["complete"]
    dead = {(d["identifier"], d["label"]) for d in found["dead"]}

    report_path = tmp_path / "coverage.json"
    cli.main(["coverage", str(flow), "--scenarios", str(scenarios), "--json", str(report_path)])
    capsys.readouterr()
    flows = json.loads(report_path.read_text(encoding="utf-8"))["flows"]
    [coverage] = [f for f in flows if Path(f["flow"]).resolve() == flow.resolve()]

    uncovered = {(b["identifier"], b["label"]) for b in coverage["branches"]["uncovered"]}
    assert uncovered == dead  # 100% of the branches an input can reach
    assert [a["identifier"] for a in coverage["actions"]["uncovered"]] == found["dead_actions"]
    reached = {(b["identifier"], b["label"]) for b in found["branches"]}
    assert len(reached) == coverage["branches"]["covered"]


def test_main_inbound_dead_branches_are_the_errors_no_answer_causes():
    report = find_paths(FLOWS / "main_inbound.json")
    assert len(report.reached) > 150
    for branch in report.dead:
        # Blocks the simulator never fails (messages, attributes, voices) and what only those
        # failures lead to (the sorry-goodbye branch of a queue that cannot be set).
        assert branch.label == "error:NoMatchingError" or branch.identifier.startswith(
            "sorry-goodbye"
        ), branch


def test_loops_are_bounded_and_counted(tmp_path):
    report = find_paths(FLOWS / "main_inbound.json")
    retried = [
        found
        for found in report.paths
        if any(identifier == "main-menu" for _, identifier, _ in found.actions)
        and sum(1 for _, identifier, _ in found.actions if identifier == "main-menu") >= 3
    ]
    assert retried, "no path went round the menu's retry loop to its end"
    assert report.runs < 5000


def test_paths_table_names_inputs_and_dead_branches(capsys):
    assert cli.main(["paths", str(FLOWS / "customer_queue.json")]) == 0
    out = capsys.readouterr().out
    assert "paths take every reachable branch" in out
    assert "attributes" in out
    assert "dead:" in out


def test_distinct_paths_account_for_every_run():
    report = find_paths(FLOWS / "main_inbound.json")
    assert sum(count for _, count in report.distinct.values()) == report.runs
    assert len(report.distinct) >= len(report.paths) > 1
    for found in report.paths:
        assert tuple(found.actions) in report.distinct


FIELD = Path(__file__).resolve().parents[1] / "fixtures" / "field"
SHOW_VIEW_FLOW = FIELD / "voicemail-express-amazon-connect__VMXExampleGuidedTaskAgentFlow.json"
LEX_MODULE = FIELD / "sample-amazon-connect-outbound-call__GetCustomerResponseModule.json"


def test_an_outside_services_answers_reach_each_of_its_branches(capsys, tmp_path):
    # A field flow's ShowView: its result (Conditions), one no Condition tests, each error it
    # wires, answered as ivr/flow_language.py says ShowView answers.
    report = find_paths(SHOW_VIEW_FLOW)
    view = "Show VMX Guided Task view"
    labels = {label for identifier, label in report.reached if identifier == view}
    assert {
        "error:NoMatchingCondition",
        "error:NoMatchingError",
        "error:TimeLimitExceeded",
    } <= labels, labels
    assert not [b for b in report.dead if b.identifier == view]
    answers = [found.scenario.answers for found in report.paths]
    assert {"Show VMX Guided Task view": "error:TimeLimitExceeded"} in answers

    # The scenarios carry those answers: `ivr coverage` takes the same branches.
    scenarios = tmp_path / "scenarios.json"
    assert cli.main(["paths", str(SHOW_VIEW_FLOW), "--scenarios", str(scenarios)]) == 0
    report_path = tmp_path / "coverage.json"
    cli.main(
        ["coverage", str(SHOW_VIEW_FLOW), "--scenarios", str(scenarios), "--json", str(report_path)]
    )
    capsys.readouterr()
    [coverage] = json.loads(report_path.read_text(encoding="utf-8"))["flows"]
    uncovered = {(b["identifier"], b["label"]) for b in coverage["branches"]["uncovered"]}
    assert uncovered == {(b.identifier, b.label) for b in report.dead}


def test_lex_intents_are_tried_like_keys():
    report = find_paths(LEX_MODULE)
    intents = {
        label
        for identifier, label in report.reached
        if identifier == "Collect Customer Input" and label.startswith("condition:")
    }
    assert len(intents) >= 2, intents
