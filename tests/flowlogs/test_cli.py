"""`ivr simulate --flow-log`, the test API's flow log, and `ivr logs summary` on what they wrote."""

from __future__ import annotations

import json
from pathlib import Path

from ivr import cli
from ivr.testing import run_call

MENU = str(Path(__file__).resolve().parents[1] / "engine" / "flows" / "menu.json")
ECHO = "${GreetingFunctionArn}=tests.engine.handlers:echo"


def _simulate(log: Path, *keys: str) -> int:
    inputs = [part for key in keys for part in ("--input", key)]
    return cli.main(["simulate", MENU, "--lambda", ECHO, *inputs, "--flow-log", str(log)])


def test_simulated_calls_append_their_flow_log_and_summary_counts_them(capsys, tmp_path):
    log = tmp_path / "flow.log"
    assert _simulate(log, "1") == 0
    assert _simulate(log, "2") == 0
    assert _simulate(log, "timeout") in (0, 1)
    capsys.readouterr()
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len({e["ContactId"] for e in entries}) == 3
    assert all(e["ContactFlowName"] == "menu" and e["Identifier"] for e in entries)

    code = cli.main(["logs", "summary", str(log), "--flow", MENU, "--json"])
    summary = json.loads(capsys.readouterr().out)

    assert code == 0
    assert summary["contacts"] == 3
    assert sum(summary["outcomes"].values()) == 3
    first = summary["actions"][0]
    assert first["entries"] == 3
    assert sum(b["count"] for b in first["branches"].values()) == 3


def test_summary_table_and_unreadable_lines_reported(capsys, tmp_path):
    log = tmp_path / "flow.log"
    _simulate(log, "1")
    with log.open("a", encoding="utf-8") as out:
        out.write("garbage line\n")
    capsys.readouterr()

    code = cli.main(["logs", "summary", str(log)])
    captured = capsys.readouterr()

    assert code == 0
    assert captured.out.startswith("Contacts: 1\n")
    assert "Outcome" in captured.out and "Action" in captured.out
    assert "1 unreadable skipped" in captured.err and "line 5: not JSON" in captured.err


def test_unreadable_log_file_is_a_toolkit_error(capsys, tmp_path):
    code = cli.main(["logs", "summary", str(tmp_path / "missing.log")])
    assert code == 2
    assert "cannot read flow log" in capsys.readouterr().err


def test_test_api_gives_the_flow_log(tmp_path):
    call = run_call(MENU, lambdas={"${GreetingFunctionArn}": {"greeting": "hi"}}, inputs=["1"])
    entries = call.flow_log()
    assert [e["Identifier"] for e in entries] == call.result.path
    assert {e["ContactId"] for e in entries} == {call.contact_id}
    path = tmp_path / "api.log"
    assert call.write_flow_log(path) == len(entries)


def test_logs_generate_writes_a_day_the_summary_reads(capsys, tmp_path):
    log = tmp_path / "day.jsonl"
    flow = str(Path(__file__).resolve().parents[2] / "contact_flows" / "main_inbound.json")
    assert cli.main(["logs", "generate", flow, "--calls", "50", "--seed", "2", "-o", str(log)]) == 0
    assert "50 contacts" in capsys.readouterr().out
    cli.main(["logs", "summary", str(log), "--flow", flow, "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert summary["contacts"] == 50
    assert summary["outcomes"]["queue"] + summary["outcomes"]["disconnect"] == 50
