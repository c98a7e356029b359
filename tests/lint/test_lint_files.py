"""lint_paths on files and folders, the public flows nobody here wrote, and our own flows."""

from __future__ import annotations

import json
import shutil

import pytest

from ivr.lint import lint_paths
from tests.lint.conftest import FIXTURE_PROJECT, REPO, TEMPLATE, VALID_FLOW, public_flows


def test_folder_lints_every_flow_and_skips_other_json(tmp_path):
    shutil.copy(VALID_FLOW, tmp_path / "good.json")
    (tmp_path / "manifest.json").write_text('{"flows": ["good.json"]}', encoding="utf-8")
    broken = json.loads(VALID_FLOW.read_text(encoding="utf-8"))
    broken["StartAction"] = "nowhere"
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
    findings = lint_paths([tmp_path], template=TEMPLATE)
    assert [(f.code, f.path) for f in findings if f.is_error] == [
        ("dangling-start-action", str(tmp_path / "nested" / "broken.json"))
    ]


def test_template_is_found_upward_from_the_flow():
    assert lint_paths([FIXTURE_PROJECT / "contact_flows"]) == []


def test_create_contact_flow_body_is_unwrapped(tmp_path):
    body = {"Name": "x", "Type": "CONTACT_FLOW", "Content": VALID_FLOW.read_text(encoding="utf-8")}
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    assert lint_paths([path], template=TEMPLATE) == []


def test_named_file_that_is_not_a_flow(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text("{}", encoding="utf-8")
    [finding] = lint_paths([path])
    assert (finding.code, finding.severity, finding.path) == ("not-a-flow", "error", str(path))


def test_invalid_json(tmp_path):
    path = tmp_path / "flow.json"
    path.write_text('{"Actions": [', encoding="utf-8")
    [finding] = lint_paths([tmp_path])
    assert (finding.code, finding.severity) == ("invalid-json", "error")


def test_flow_the_model_cannot_read(tmp_path):
    path = tmp_path / "flow.json"
    path.write_text('{"Version": "2019-10-30", "Actions": [{"Type": "Compare"}]}', "utf-8")
    [finding] = lint_paths([path])
    assert (finding.code, finding.severity) == ("invalid-flow", "error")
    assert "Identifier" in finding.message


@pytest.mark.skipif(not public_flows(), reason="../shared/fixtures/public-flows is absent")
@pytest.mark.parametrize("path", public_flows(), ids=lambda p: p.name)
def test_public_flows_have_no_errors(path):
    findings = lint_paths([path])
    assert [str(f) for f in findings if f.is_error] == []


PROJECT_FLOWS = sorted((REPO / "contact_flows").glob("*.json"))


@pytest.mark.skipif(not PROJECT_FLOWS, reason="contact_flows/ has no flows yet")
def test_project_flows_have_no_errors():
    findings = lint_paths([REPO / "contact_flows"], template=REPO / "template.yaml")
    assert [str(f) for f in findings if f.is_error] == []
