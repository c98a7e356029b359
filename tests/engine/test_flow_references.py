"""Flow and module references resolve only inside the flows folder: `..`, paths and symlinks
that lead out of it are refused with a message, and the file outside is never run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivr.cli import main
from ivr.engine import simulate
from ivr.errors import FlowError
from tests.engine.conftest import action

SECRET = "the file outside the flows folder"


def _flow(actions: list[dict[str, object]]) -> dict[str, object]:
    return {"Version": "2019-10-30", "StartAction": actions[0]["Identifier"], "Actions": actions}


def _module() -> dict[str, object]:
    return _flow(
        [
            action("say", "MessageParticipant", {"Text": SECRET}, next_action="end"),
            action("end", "EndFlowModuleExecution"),
        ]
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """tmp/outside/x.json and tmp/a/b/flows/ (returned), with a symlink out of it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.json").write_text(json.dumps(_module()), encoding="utf-8")
    flows = tmp_path / "a" / "b" / "flows"
    flows.mkdir(parents=True)
    (flows / "inside.json").write_text(json.dumps(_module()), encoding="utf-8")
    (flows / "escape.json").symlink_to(outside / "x.json")
    return flows


def _caller(flows: Path, reference: str) -> Path:
    path = flows / "main.json"
    invoke = action(
        "invoke",
        "InvokeFlowModule",
        {"FlowModuleId": reference},
        next_action="bye",
        errors={"NoMatchingError": "bye"},
    )
    bye = action("bye", "DisconnectParticipant")
    path.write_text(json.dumps(_flow([invoke, bye])), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "reference",
    ["%../../outside/x%", "escape", "%escape%", "${Module:escape}"],
)
def test_a_reference_out_of_the_folder_is_refused(project, reference):
    with pytest.raises(FlowError, match="leads outside the flows folder"):
        simulate(_caller(project, reference))


@pytest.mark.parametrize(
    "reference", ["${Module:../../outside/x}", "${M:../../outside/x:M}", "${../../outside/xArn}"]
)
def test_a_path_never_loads_the_file_outside(project, reference):
    try:
        result = simulate(_caller(project, reference))
    except FlowError as exc:
        assert "leads outside the flows folder" in str(exc)
    else:
        assert SECRET not in result.prompts


def test_a_module_inside_the_folder_still_runs(project):
    assert simulate(_caller(project, "%inside%")).prompts == [SECRET]


def test_the_command_says_so_in_one_line(project, capsys):
    assert main(["simulate", str(_caller(project, "%../../outside/x%"))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "leads outside the flows folder" in err
