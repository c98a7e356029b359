"""Lint reads Connect's Flow language from ivr/flow_language.py: every reference Type is
known, free-form parameters may hold any JSON, legacy console exports are named and refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivr import cli
from ivr.deploy.errors import ManifestError
from ivr.deploy.manifest import load_manifest
from ivr.flow_language import ACTIONS, LEGACY_EXPORT_HINT
from tests.lint.conftest import TEMPLATE

# The shape of a pre-2020 console export (connect.md 2.1): modules, version "1", start.
LEGACY = {
    "modules": [
        {
            "id": "c7239840-6642-48bf-9b86-d3749d40680f",
            "type": "Disconnect",
            "branches": [],
            "parameters": [],
            "metadata": {"position": {"x": 500, "y": 20}},
        }
    ],
    "version": "1",
    "type": "contactFlow",
    "start": "c7239840-6642-48bf-9b86-d3749d40680f",
    "metadata": {"name": "legacy", "description": "", "type": "contactFlow"},
}


@pytest.fixture(autouse=True)
def only_these_commands(monkeypatch):
    monkeypatch.setattr(cli, "COMMANDS", ("lint", "diff", "render", "simulate"))


def _one_action(doc: dict, action: dict) -> dict:
    doc["Actions"] = [action]
    doc["StartAction"] = action["Identifier"]
    return doc


@pytest.mark.parametrize("type_", sorted(ACTIONS))
def test_every_type_of_the_description_is_known(lint, doc, type_):
    document = _one_action(doc, {"Identifier": "a", "Type": type_, "Parameters": {}})
    assert "unknown-action-type" not in {f.code for f in lint(document)}


def test_a_type_outside_the_language_is_unknown(lint, doc):
    document = _one_action(doc, {"Identifier": "a", "Type": "SetQueue", "Parameters": {}})
    assert "unknown-action-type" in {f.code for f in lint(document)}


def test_show_view_data_may_hold_booleans(lint, doc):
    view = {
        "Identifier": "view",
        "Type": "ShowView",
        "Parameters": {
            "ViewResource": {"Id": "arn:aws:connect:us-east-1:aws:view/form:1"},
            "ViewData": {"Sections": [{"Required": True, "Rows": 3}]},
        },
        "Transitions": {"NextAction": "view"},
    }
    assert "non-string-parameter" not in {f.code for f in lint(_one_action(doc, view))}


def test_a_boolean_elsewhere_is_still_a_non_string_parameter(lint, doc):
    prompt = {
        "Identifier": "say",
        "Type": "MessageParticipant",
        "Parameters": {"Text": True},
        "Transitions": {"NextAction": "say"},
    }
    assert "non-string-parameter" in {f.code for f in lint(_one_action(doc, prompt))}


def test_routing_criteria_with_a_numeric_proficiency_is_accepted(lint, doc):
    criteria = {"Steps": [{"Expression": {"AttributeCondition": {"ProficiencyLevel": 4.0}}}]}
    routing = {
        "Identifier": "route",
        "Type": "UpdateContactRoutingBehavior",
        "Parameters": {"RoutingCriteria": criteria},
        "Transitions": {"NextAction": "route"},
    }
    codes = {f.code for f in lint(_one_action(doc, routing))}
    assert "non-string-parameter" not in codes and "unknown-action-type" not in codes


def _legacy(folder: Path, name: str = "legacy.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(LEGACY), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["lint", "{file}"],
        ["lint", "{folder}"],
        ["simulate", "{file}"],
        ["render", "{file}"],
        ["diff", "{file}", "{file}"],
    ],
    ids=["lint-file", "lint-folder", "simulate", "render", "diff"],
)
def test_a_legacy_console_export_is_named_and_exits_2(tmp_path, capsys, command):
    path = _legacy(tmp_path / "flows")
    argv = [a.format(file=path, folder=path.parent) for a in command]
    assert cli.main([*argv, "--template", str(TEMPLATE)] if argv[0] == "lint" else argv) == 2
    assert LEGACY_EXPORT_HINT in capsys.readouterr().err


def test_deploy_names_a_legacy_export_in_the_manifest(tmp_path):
    _legacy(tmp_path)
    (tmp_path / "manifest.json").write_text(
        json.dumps({"flows": [{"name": "Old", "type": "CONTACT_FLOW", "file": "legacy.json"}]}),
        encoding="utf-8",
    )
    manifest = load_manifest(tmp_path)
    with pytest.raises(ManifestError, match="a legacy console export"):
        manifest.read_document(manifest.flows[0])


def test_a_folder_without_any_flow_exits_2(tmp_path, capsys):
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    assert cli.main(["lint", str(tmp_path), "--template", str(TEMPLATE)]) == 2
    assert "no flow found" in capsys.readouterr().err


def test_a_parameter_the_reference_requires_is_missing(lint, doc):
    transfer = {
        "Identifier": "transfer",
        "Type": "TransferToFlow",
        "Parameters": {},
        "Transitions": {"Errors": [{"NextAction": "transfer", "ErrorType": "NoMatchingError"}]},
    }
    [finding] = [f for f in lint(_one_action(doc, transfer)) if f.code == "missing-parameter"]
    assert "TransferToFlow needs the parameter ContactFlowId" in finding.message
    transfer["Parameters"] = {"ContactFlowId": "arn:aws:connect:::contact-flow/next"}
    assert "missing-parameter" not in {f.code for f in lint(_one_action(doc, transfer))}
