"""Block coverage: the collector reads the engine's events, keyed by flow file, merged."""

from __future__ import annotations

import json
from pathlib import Path

from ivr.cli import main
from ivr.coverage import CoverageCollector, format_report, recording
from ivr.engine import Simulator
from ivr.testing import run_call
from tests.coverage.conftest import write
from tests.engine.conftest import action

ALL_BRANCHES = {
    ("menu", "condition:Equals 1"),
    ("menu", "condition:Equals 2"),
    ("menu", "error:InputTimeLimitExceeded"),
    ("menu", "error:NoMatchingCondition"),
    ("sales", "next"),
    ("sales", "error:NoMatchingError"),
    ("transfer", "error:QueueAtCapacity"),
    ("transfer", "error:NoMatchingError"),
    ("bye", "next"),
}


def uncovered(collector: CoverageCollector) -> tuple[set[str], set[tuple[str, str]]]:
    (flow,) = collector.report().flows
    return (
        {i for i, _ in flow.uncovered_actions},
        {(b.identifier, b.label) for b in flow.uncovered_branches},
    )


def test_one_call_leaves_exactly_the_other_branches(menu_flow: Path) -> None:
    collector = CoverageCollector()
    Simulator(menu_flow).call(inputs=["1"], listener=collector.listener(menu_flow))

    actions, branches = uncovered(collector)
    assert actions == {"bye", "hangup"}
    assert branches == ALL_BRANCHES - {("menu", "condition:Equals 1"), ("sales", "next")}
    (flow,) = collector.report().flows
    assert (flow.actions_covered, len(flow.shape.actions)) == (3, 5)
    assert (flow.branches_covered, len(flow.shape.branches)) == (2, 9)


def test_calls_merge_and_the_report_lists_what_is_left(menu_flow: Path) -> None:
    collector = CoverageCollector()
    simulator = Simulator(menu_flow)
    for keys in (["1"], ["2"], ["timeout"]):
        simulator.call(inputs=keys, listener=collector.listener(menu_flow))
    simulator.call(inputs=["1"], queue_at_capacity=True, listener=collector.listener(menu_flow))

    actions, branches = uncovered(collector)
    assert actions == set()
    assert branches == {
        ("menu", "error:NoMatchingCondition"),
        ("sales", "error:NoMatchingError"),
        ("transfer", "error:NoMatchingError"),
    }
    text = format_report(collector.report(), relative_to=menu_flow.parent)
    assert "menu.json" in text and "5/5" in text and "6/9" in text
    assert "branch not taken: menu error:NoMatchingCondition -> bye" in text
    assert "action not run" not in text


def test_collectors_merge_like_one(menu_flow: Path) -> None:
    first, second, together = CoverageCollector(), CoverageCollector(), CoverageCollector()
    one = Simulator(menu_flow).call(inputs=["1"])
    two = Simulator(menu_flow).call(inputs=["2"])
    first.record(menu_flow, one.events)
    second.record(menu_flow, two.events)
    together.record(menu_flow, one.events)
    together.record(menu_flow, two.events)
    first.merge(second)
    assert first.report().to_dict() == together.report().to_dict()


def test_a_flow_transferred_to_is_covered_in_its_own_file(tmp_path: Path) -> None:
    second = write(
        tmp_path / "second.json",
        action("hello", "MessageParticipant", {"Text": "Hi."}, next_action="end"),
        action("end", "DisconnectParticipant"),
    )
    first = write(
        tmp_path / "first.json",
        action(
            "go",
            "TransferToFlow",
            {"ContactFlowId": "second"},
            errors={"NoMatchingError": "end"},
        ),
        action("end", "DisconnectParticipant"),
    )
    collector = CoverageCollector()
    Simulator(first).call(listener=collector.listener(first))
    report = {Path(f.shape.path).name: f for f in collector.report().flows}
    assert report["second.json"].uncovered_actions == []
    assert report["second.json"].branches_covered == 1
    assert [i for i, _ in report["first.json"].uncovered_actions] == ["end"]
    assert second.name in {Path(f.shape.path).name for f in collector.report().flows}


def test_recording_sees_every_call_and_keeps_the_callers_listener(menu_flow: Path) -> None:
    collector, heard = CoverageCollector(), []
    with recording(collector):
        run_call(menu_flow, inputs=["2"])
        Simulator(menu_flow).call(inputs=["1"], listener=heard.append)
    run_call(menu_flow, inputs=["timeout"])  # after the block: not recorded

    assert heard, "the caller's own listener still hears the events"
    actions, branches = uncovered(collector)
    assert actions == set()
    assert ("menu", "error:InputTimeLimitExceeded") in branches
    assert ("menu", "condition:Equals 2") not in branches


def scenarios_file(tmp_path: Path, *scenarios: dict) -> Path:
    path = tmp_path / "scenarios.json"
    path.write_text(json.dumps(list(scenarios)), encoding="utf-8")
    return path


def test_cli_prints_the_table_and_fails_under_the_threshold(
    menu_flow: Path, tmp_path: Path, capsys
) -> None:
    scenarios = scenarios_file(tmp_path, {"name": "sales", "inputs": ["1"]})
    report_path = tmp_path / "coverage.json"
    code = main(
        [
            "coverage",
            str(menu_flow),
            "--scenarios",
            str(scenarios),
            "--fail-under",
            "50",
            "--json",
            str(report_path),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1  # 5 of 14 actions+branches
    assert "3/5" in out and "2/9" in out and "below --fail-under 50%" in out
    assert "action not run:  bye (MessageParticipant)" in out
    saved = json.loads(report_path.read_text())
    (flow,) = saved["flows"]
    assert {b["label"] for b in flow["branches"]["uncovered"] if b["identifier"] == "menu"} == {
        "condition:Equals 2",
        "error:InputTimeLimitExceeded",
        "error:NoMatchingCondition",
    }
    assert saved["percent"] == round(100 * 5 / 14, 2)


def test_cli_passes_at_the_threshold_with_yaml_scenarios(
    menu_flow: Path, tmp_path: Path, capsys
) -> None:
    scenarios = tmp_path / "scenarios.yaml"
    scenarios.write_text(
        "- {name: sales, inputs: [1]}\n"
        "- {name: leave, inputs: [2]}\n"
        "- {name: silent, inputs: [timeout]}\n"
        "- {name: full, inputs: [1], queue_at_capacity: true}\n"
        "- {name: wrong key, inputs: [9]}\n",
        encoding="utf-8",
    )
    code = main(["coverage", str(menu_flow), "--scenarios", str(scenarios), "--fail-under", "85"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "5/5" in out and "7/9" in out
