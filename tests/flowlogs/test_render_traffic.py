"""`ivr render --traffic` (mermaid, dot, html) and `ivr coverage --picture`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ivr import cli
from ivr.flowlogs.generate import a_day_of_calls
from ivr.flowlogs.writer import records_for, write_records

FLOWS = Path(__file__).resolve().parents[2] / "contact_flows"
MAIN = FLOWS / "main_inbound.json"


@pytest.fixture(scope="module")
def day_log(tmp_path_factory):
    log = tmp_path_factory.mktemp("traffic") / "day.jsonl"
    with log.open("w", encoding="utf-8") as out:
        for call in a_day_of_calls(MAIN, 200, seed=5):
            write_records(records_for(call.result, call.contact_id, start=call.start), out)
    return log


def _run(capsys, *argv: str) -> str:
    assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


def test_mermaid_traffic_counts_each_action_and_branch(capsys, day_log):
    out = _run(capsys, "render", str(MAIN), "--traffic", str(day_log))
    summary = json.loads(
        _run(capsys, "logs", "summary", str(day_log), "--flow", str(MAIN), "--json")
    )
    first = summary["actions"][0]
    assert first["identifier"] == "set-logging"
    assert f'<br/>{first["entries"]}"]' in out  # the count closes the node's label
    assert "style n0 fill:#e8603c" in out  # the busiest action, darkest colour
    assert re.search(r"linkStyle \d+ stroke:#999999", out)  # a branch nobody took
    assert "NoMatchingError: 0 (0#37;)" in out  # % is an entity in Mermaid


def test_dot_traffic_widens_busy_branches(capsys, day_log):
    out = _run(capsys, "render", str(MAIN), "--traffic", str(day_log), "--format", "dot")
    widths = [float(w) for w in re.findall(r"penwidth=([\d.]+)", out)]
    assert max(widths) == 6.0 and min(widths) == 1.0


def test_html_page_is_self_contained(capsys, day_log, tmp_path):
    page = tmp_path / "traffic.html"
    _run(
        capsys, "render", str(MAIN), "--traffic", str(day_log), "--format", "html", "-o", str(page)
    )
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<svg" in text and "<table>" in text
    assert "<script" not in text
    assert re.findall(r"(?:src|href)=", text) == []  # nothing fetched from anywhere
    assert "main_inbound.json: 200 contacts" in text


def test_coverage_picture_colours_uncovered_branches(capsys, tmp_path):
    scenarios = tmp_path / "scenarios.json"
    scenarios.write_text(json.dumps([{"inputs": ["1"]}]), encoding="utf-8")
    picture = tmp_path / "coverage.dot"
    report = tmp_path / "coverage.json"
    cli.main(
        [
            "coverage",
            str(FLOWS / "customer_queue.json"),
            "--scenarios",
            str(scenarios),
            "--picture",
            str(picture),
            "--json",
            str(report),
        ]
    )
    capsys.readouterr()
    text = picture.read_text(encoding="utf-8")
    [flow] = json.loads(report.read_text(encoding="utf-8"))["flows"]
    uncovered = flow["branches"]["total"] - flow["branches"]["covered"]
    assert text.count('NOT taken", color="#c0392b"') == uncovered > 0
    assert text.count('taken", color="#2d6a4f"') == flow["branches"]["covered"]
