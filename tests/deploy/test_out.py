"""`deploy --out`: import-ready files from the values file alone, with no AWS client at all;
and the `ivr deploy` / `ivr export` command lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivr.cli import main
from ivr.deploy import write_import_files
from ivr.deploy.errors import UnresolvedPlaceholders
from tests.deploy.project import INSTANCE_ARN, QUEUE_ARN, Project, flow_arn, module_arn

STANDARD_VALUES = {
    "InstanceArn": INSTANCE_ARN,
    "values": {
        "CustomerQueueArn": QUEUE_ARN,
        "Flow:queue": flow_arn("imported-queue"),
        "Module:pin": module_arn("imported-pin"),
    },
}


def test_out_writes_substituted_normalized_files(standard: Project, tmp_path: Path):
    standard.values(STANDARD_VALUES)
    out = tmp_path / "import"
    lines: list[str] = []

    outcomes = write_import_files(standard.env(), out, report=lines.append)

    assert [o.name for o in outcomes] == ["queue", "pin", "main"]
    assert sorted(p.name for p in out.iterdir()) == ["main.json", "pin.json", "queue.json"]
    text = (out / "main.json").read_text(encoding="utf-8")
    main_flow = json.loads(text)
    assert main_flow["Actions"][1]["Parameters"]["FlowModuleId"] == module_arn("imported-pin")
    assert main_flow["Actions"][2]["Parameters"]["ContactFlowId"] == flow_arn("imported-queue")
    assert text == json.dumps(main_flow, indent=2, sort_keys=True) + "\n"
    assert "${" not in "".join(p.read_text() for p in out.iterdir())
    assert "[3/3] main: written to" in lines[-1]


def test_out_lists_what_the_values_file_lacks(standard: Project, tmp_path: Path):
    with pytest.raises(UnresolvedPlaceholders) as caught:
        write_import_files(standard.env(), tmp_path / "import")

    assert caught.value.missing == {"main": ["Flow:queue", "Module:pin"]}
    assert not (tmp_path / "import").exists()


def test_out_reads_an_explicit_values_file(standard: Project, tmp_path: Path):
    values = tmp_path / "elsewhere.json"
    values.write_text(json.dumps(STANDARD_VALUES))

    write_import_files(standard.env(values_file=values), tmp_path / "import", report=[].append)

    assert (tmp_path / "import" / "queue.json").is_file()


def test_cli_deploy_out(standard: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    standard.values(STANDARD_VALUES)
    out = tmp_path / "import"

    code = main(["deploy", "--env", "dev", "--flows", str(standard.flows_dir), "--out", str(out)])

    assert code == 0
    assert (out / "main.json").is_file()
    assert "[1/3] queue: written to" in capsys.readouterr().out


def test_cli_deploy_lint_errors_exit_2_and_list_findings(
    standard: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    standard.values(STANDARD_VALUES)
    (standard.flows_dir / "pin.json").write_text(
        json.dumps({"Version": "2019-10-30", "StartAction": "missing", "Actions": []})
    )

    code = main(["deploy", "--env", "dev", "--flows", str(standard.flows_dir), "--out", "x"])

    assert code == 2
    err = capsys.readouterr().err
    assert "lint found" in err and "pin.json" in err
    assert not Path("x").exists()


def test_cli_missing_values_file_is_explained(
    standard: Project, capsys: pytest.CaptureFixture[str]
):
    args = ["deploy", "--env", "dev", "--flows", str(standard.flows_dir)]

    code = main([*args, "--values", str(standard.root / "nope.json"), "--out", "x"])

    assert code == 2
    assert "cannot read values file" in capsys.readouterr().err


def test_cli_export_needs_names_or_all(capsys: pytest.CaptureFixture[str]):
    assert main(["export", "--env", "dev"]) == 2
    assert "--all" in capsys.readouterr().err


def test_cli_help_documents_the_values_file(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        main(["deploy", "--help"])

    help_text = capsys.readouterr().out
    assert '"InstanceArn"' in help_text and "${Flow:<name>}" in help_text
