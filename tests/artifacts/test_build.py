"""deploy/build_artifact.py's refusals, without building anything: no Python of the target means
no bytecode, which is no artifact; an unknown function or distribution is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.artifacts.conftest import build_artifact


def test_a_build_without_the_target_python_fails_before_doing_anything(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LAMBDA_PYTHON_EXE", str(tmp_path / "no-such-python"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "artifact"
    with pytest.raises(build_artifact.BuildError, match=r"no Python 3\.12 found.*LAMBDA_PYTHON"):
        build_artifact.build_artifact("IdentifyCallerFunction", out, platform="host")
    assert not out.exists()


def test_the_command_line_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LAMBDA_PYTHON_EXE", str(tmp_path / "no-such-python"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert build_artifact.main(["IdentifyCallerFunction", str(tmp_path / "out")]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("build_artifact: no Python 3.12 found")


def test_a_function_without_a_table_is_named(tmp_path: Path) -> None:
    with pytest.raises(build_artifact.BuildError, match=r"NewFunction has no table"):
        build_artifact.function_requirements("NewFunction")


def test_a_distribution_not_in_pyproject_is_named(tmp_path: Path) -> None:
    artifacts = tmp_path / "artifacts.toml"
    artifacts.write_text('[functions.F]\nrequires = ["requests"]\nbackends = ["sqlite"]\n')
    with pytest.raises(build_artifact.BuildError, match=r"\['requests'\] not declared"):
        build_artifact.function_requirements("F", artifacts)


def test_versions_come_from_pyproject() -> None:
    requirements = build_artifact.function_requirements("OrderStatusFunction")
    assert any(r.startswith("psycopg[binary]") for r in requirements)
    assert any(r.lower().startswith("pymysql>=") for r in requirements)
