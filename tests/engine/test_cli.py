"""`ivr simulate` through `ivr.cli.main`: the transcript, --json, exit codes, errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ivr import cli

MENU = str(Path(__file__).parent / "flows" / "menu.json")
ECHO = "${EchoFunctionArn}=tests.engine.handlers:echo"


@pytest.fixture(autouse=True)
def only_simulate(monkeypatch):
    # Test this command on its own, whatever state the other subcommands are in.
    monkeypatch.setattr(cli, "COMMANDS", ("simulate",))


def simulate(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["simulate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_result_has_the_documented_shape(capsys):
    code, out, _ = simulate(
        capsys, MENU, "--lambda", ECHO, "--input", "1", "--json", "--attribute", "pin=1234"
    )
    result = json.loads(out)
    assert code == 0
    assert set(result) == {"outcome", "path", "prompts", "lambda_calls", "attributes"}
    assert result["outcome"]["type"] == "queue"
    assert result["outcome"]["queue"] == "Sales"
    assert result["path"] == ["welcome", "lookup", "remember", "menu", "sales", "transfer"]
    assert result["prompts"] == ["Welcome to the test line.", "Press 1 for sales, 2 to leave."]
    call = result["lambda_calls"][0]
    assert set(call) == {"function", "parameters", "response", "error"}
    assert call["function"] == "EchoFunction"
    # Keyed secrets are hidden as in the transcript.
    assert call["parameters"] == {"callerNumber": "+81312345678", "pin": "***"}
    assert result["attributes"]["pin"] == "***"
    assert '"1234"' not in out
    assert result["attributes"]["calls"] == call["response"]["calls"]


def test_transcript_shows_speech_keys_lambdas_and_ending_but_not_the_pin(capsys):
    code, out, _ = simulate(
        capsys, MENU, "--lambda", ECHO, "--input", "timeout", "--input", "2",
        "--attribute", "pin=4321", "--caller", "+15551234567",
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert "IVR: Welcome to the test line." in lines
    assert "Caller stays silent" in lines
    assert "Caller presses 2" in lines
    assert "IVR: Goodbye." in lines
    assert lines[-1] == "Call ended: disconnected"
    lambda_line = next(line for line in lines if line.startswith("Lambda EchoFunction"))
    assert "+15551234567" in lambda_line
    assert "4321" not in out
    assert '"pin": "***"' in lambda_line


def test_missing_template_is_a_toolkit_error(capsys):
    code, _, _ = simulate(capsys, MENU, "--template", str(Path(MENU).parent / "none.yaml"))
    assert code == 2  # a template path that does not exist is the user's mistake


def test_no_handler_is_reported_in_the_transcript(capsys, tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text("Resources: {}\n", encoding="utf-8")
    code, out, _ = simulate(capsys, MENU, "--template", str(template))
    assert code == 0
    assert "error: no handler for ARN '${EchoFunctionArn}'" in out
    assert "IVR: Sorry, something went wrong." in out


def test_queue_at_capacity_and_exit_code_one_on_error(capsys, tmp_path):
    code, out, _ = simulate(
        capsys, MENU, "--lambda", ECHO, "--input", "1", "--queue-at-capacity", "--json"
    )
    assert code == 0
    assert json.loads(out)["prompts"][-1] == "Sorry, something went wrong."
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps(
            {
                "Version": "2019-10-30",
                "StartAction": "x",
                "Actions": [
                    {"Identifier": "x", "Type": "Teleport", "Parameters": {}, "Transitions": {}}
                ],
            }
        ),
        encoding="utf-8",
    )
    code, out, _ = simulate(capsys, str(broken), "--json")
    assert code == 1
    assert json.loads(out)["outcome"] == {
        "type": "error",
        "error": "action type Teleport is not supported by the simulator "
        f"(action x in {broken.name})",
    }


def test_step_limit_exits_one(capsys):
    # Silence forever: the menu repeats itself on time-out until the bound stops it.
    code, out, _ = simulate(capsys, MENU, "--lambda", ECHO, "--max-steps", "20", "--json")
    assert code == 1
    assert json.loads(out)["outcome"]["type"] == "step_limit"


def test_interactive_reads_keys_from_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("\n2\n"))
    code, out, _ = simulate(capsys, MENU, "--lambda", ECHO, "--interactive")
    assert code == 0
    assert out.count("Key (empty = silence)> ") == 2
    assert "Caller stays silent" in out
    assert "Caller presses 2" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.json"], "cannot read flow missing.json"),
        (["__NOT_A_FLOW__"], "is not a contact flow"),
        (["__NOT_JSON__"], "is not valid JSON"),
        ([MENU, "--attribute", "novalue"], "expected KEY=VALUE"),
    ],
)
def test_toolkit_errors_print_one_line_and_exit_two(capsys, tmp_path, args, message):
    (tmp_path / "notflow.json").write_text('{"hello": 1}', encoding="utf-8")
    (tmp_path / "notjson.json").write_text("{", encoding="utf-8")
    args = [
        str(tmp_path / "notflow.json") if a == "__NOT_A_FLOW__" else
        str(tmp_path / "notjson.json") if a == "__NOT_JSON__" else a
        for a in args
    ]  # fmt: skip
    code, _, err = simulate(capsys, *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
