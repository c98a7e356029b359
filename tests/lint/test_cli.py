"""`ivr lint`, `ivr diff`, `ivr render` through `ivr.cli.main`: exit codes and output."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ivr import cli
from tests.lint.conftest import TEMPLATE, VALID_FLOW


@pytest.fixture(autouse=True)
def only_these_commands(monkeypatch):
    # Other engineers' subcommands may be mid-way; these tests exercise ours through main().
    monkeypatch.setattr(cli, "COMMANDS", ("lint", "diff", "render"))


def write(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def valid(tmp_path) -> Path:
    return Path(shutil.copy(VALID_FLOW, tmp_path / "valid.json"))


def test_lint_clean_flow_exits_0(valid, capsys):
    assert cli.main(["lint", str(valid), "--template", str(TEMPLATE)]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out


def test_lint_error_exits_1(tmp_path, doc, capsys):
    doc["StartAction"] = "nowhere"
    path = write(tmp_path / "broken.json", doc)
    assert cli.main(["lint", str(path), "--template", str(TEMPLATE)]) == 1
    out = capsys.readouterr().out
    assert "error [dangling-start-action]" in out and str(path) in out


def test_lint_warning_exits_0_unless_strict(tmp_path, doc):
    doc["Actions"].append({"Identifier": "orphan", "Type": "DisconnectParticipant"})
    path = write(tmp_path / "warned.json", doc)
    assert cli.main(["lint", str(path), "--template", str(TEMPLATE)]) == 0
    assert cli.main(["lint", str(path), "--template", str(TEMPLATE), "--strict"]) == 1


def test_lint_json_lists_findings(tmp_path, doc, capsys):
    doc["Actions"].append({"Identifier": "orphan", "Type": "DisconnectParticipant"})
    path = write(tmp_path / "warned.json", doc)
    cli.main(["lint", str(path), "--template", str(TEMPLATE), "--json"])
    [finding] = json.loads(capsys.readouterr().out)
    assert finding == {
        "severity": "warning",
        "code": "unreachable-action",
        "identifier": "orphan",
        "message": finding["message"],
        "path": str(path),
    }


def test_lint_json_is_the_text_json_dumps_writes(tmp_path, doc, capsys):
    # The report is laid out by hand (ivr.commands.lint.json_report); it must stay exactly
    # json.dumps(..., indent=2, ensure_ascii=False) of the findings, escapes included.
    doc["Actions"].append({"Identifier": '孤立"x', "Type": "DisconnectParticipant"})
    doc["Actions"].append({"Identifier": "orphan", "Type": "DisconnectParticipant"})
    path = write(tmp_path / "warned.json", doc)
    cli.main(["lint", str(path), "--template", str(TEMPLATE), "--json"])
    out = capsys.readouterr().out
    findings = json.loads(out)
    assert len(findings) >= 2
    assert out == json.dumps(findings, indent=2, ensure_ascii=False) + "\n"


def test_lint_json_without_findings_is_an_empty_list(valid, capsys):
    cli.main(["lint", str(valid), "--template", str(TEMPLATE), "--json"])
    assert capsys.readouterr().out == "[]\n"


def test_lint_missing_path_exits_2(tmp_path, capsys):
    assert cli.main(["lint", str(tmp_path / "absent.json")]) == 2
    assert "absent.json" in capsys.readouterr().err


def test_diff_same_flow_exits_0_silently(valid, tmp_path, doc, capsys):
    doc["Actions"].reverse()
    doc["Metadata"] = {}
    other = write(tmp_path / "relaid.json", doc)
    assert cli.main(["diff", str(valid), str(other)]) == 0
    assert capsys.readouterr().out == ""


def test_diff_changed_flow_exits_1(valid, tmp_path, doc, capsys):
    doc["Actions"][0]["Parameters"]["Text"] = "Hello."
    other = write(tmp_path / "changed.json", doc)
    assert cli.main(["diff", str(valid), str(other)]) == 1
    assert "~ changed welcome" in capsys.readouterr().out
    assert cli.main(["diff", str(valid), str(other), "--json"]) == 1
    [change] = json.loads(capsys.readouterr().out)
    assert (change["kind"], change["identifier"]) == ("changed", "welcome")


def test_diff_needs_two_files_without_rev(valid, capsys):
    assert cli.main(["diff", str(valid)]) == 2
    assert "--rev" in capsys.readouterr().err


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path, doc) -> Path:
    """A git repository where flows/main.json has two commits and a working-copy change."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(tmp_path, "init", "-q")
    flow = tmp_path / "flows" / "main.json"
    flow.parent.mkdir()
    write(flow, doc)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    doc["Metadata"] = {"moved": True}
    write(flow, doc)
    git(tmp_path, "commit", "-q", "-am", "layout only")
    doc["StartAction"] = "identify"
    write(flow, doc)
    return flow


def test_diff_revision_against_working_copy(repo, capsys):
    assert cli.main(["diff", str(repo), "--rev", "HEAD"]) == 1
    assert 'StartAction: "welcome" -> "identify"' in capsys.readouterr().out


def test_diff_two_revisions(repo, capsys):
    assert cli.main(["diff", str(repo), "--rev", "HEAD~1", "--rev2", "HEAD"]) == 0
    assert capsys.readouterr().out == ""


def test_diff_unknown_revision_exits_2(repo, capsys):
    assert cli.main(["diff", str(repo), "--rev", "no-such-rev"]) == 2
    assert "no-such-rev" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_render_to_stdout(valid, capsys, fmt):
    assert cli.main(["render", str(valid), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert ("flowchart TD" if fmt == "mermaid" else "digraph flow") in out
    assert "ask-account" in out


def test_render_to_file(valid, tmp_path):
    target = tmp_path / "flow.mmd"
    assert cli.main(["render", str(valid), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("flowchart TD")


def test_render_of_a_non_flow_exits_2(tmp_path, capsys):
    path = tmp_path / "manifest.json"
    path.write_text("[]", encoding="utf-8")
    assert cli.main(["render", str(path)]) == 2
    assert "not a flow" in capsys.readouterr().err
