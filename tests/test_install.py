"""`pip install connect-ivr` with no extras gives a working `ivr`: the install a new user makes.

The project (its packaged folders, pyproject.toml, README.md) is copied to tmp_path, so the
build leaves nothing in the working tree, and installed into a fresh venv, its base
dependencies resolved from the package index (pip's cache makes a re-run quicker). Then the
venv's own `ivr` runs --help, --version and a lint of the flows, and `ivr --help` is checked not
to import boto3. About a minute: the one test of the suite that installs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import service_unavailable

ROOT = Path(__file__).parents[1]
PACKAGED = ("models", "functions", "ivr")
CACHES = "__pycache__"
# pip's words when the index can't be reached or has no matching release.
UNREACHABLE = ("NewConnectionError", "Network is unreachable", "No matching distribution")

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv with the project installed, no extras."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    for folder in PACKAGED:
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns(CACHES))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    bin_dir = work / "venv" / "bin"
    pip = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(source)],
        capture_output=True,
        text=True,
        env=_clean_environment(),
        timeout=900,
        check=False,
    )
    if pip.returncode != 0:
        if any(word in pip.stderr for word in UNREACHABLE):
            service_unavailable("the package index", RuntimeError(pip.stderr.strip()[-500:]))
        pytest.fail(f"pip install failed:\n{pip.stderr[-3000:]}")
    return bin_dir


def _clean_environment() -> dict[str, str]:
    """This environment without what would point the new venv at the dev venv."""
    drop = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def run(bin_dir: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / argv[0]), *argv[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_clean_environment(),
        timeout=120,
        check=False,
    )


def test_no_extra_is_installed(installed: Path, tmp_path: Path):
    listed = run(installed, "python", "-m", "pip", "list", "--format=json", cwd=tmp_path)
    names = {d["name"].lower() for d in json.loads(listed.stdout)}
    assert "connect-ivr" in names and "pyyaml" in names
    assert names.isdisjoint({"pymysql", "psycopg", "pytest", "moto"})  # extras only


def test_help_version_and_lint_work(installed: Path, tmp_path: Path):
    helped = run(installed, "ivr", "--help", cwd=tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert "lint" in helped.stdout and "deploy" in helped.stdout

    version = run(installed, "ivr", "--version", cwd=tmp_path)
    project_table = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert version.stdout.strip() == f"ivr {project_table['project']['version']}", version.stderr

    # The flows and the template they name, outside the source tree: lint reads the
    # handlers' contracts from the template's folder, as Lambda imports them.
    project = tmp_path / "project"
    shutil.copytree(ROOT / "contact_flows", project / "contact_flows")
    shutil.copy2(ROOT / "template.yaml", project / "template.yaml")
    linted = run(installed, "ivr", "lint", "contact_flows/", cwd=project)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert linted.stdout.splitlines()[-1] == "0 error(s), 0 warning(s)"


def test_help_does_not_import_boto3(installed: Path, tmp_path: Path):
    code = (
        "import sys\nfrom ivr.cli import main\ntry:\n    main(['--help'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))"
    )
    checked = run(installed, "python", "-c", code, cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip().splitlines()[-1] == "[]"
