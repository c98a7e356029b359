"""`pytest -p ivr.pytest_plugin --flow-coverage`: a separate pytest session over a small test
file, so the option, the table, the JSON report and the exit status are seen as a user sees
them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.coverage.conftest import MENU_ACTIONS, write

# Left out of the fast tier (make test-fast): each test runs pytest in a new Python process.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

TEST_FILE = """
from pathlib import Path

FLOW = Path(__file__).parent / "menu.json"


def test_sales(simulate_call):
    simulate_call(FLOW, inputs=["1"]).expect.ended_in_queue("Sales")


def test_leave(simulate_call):
    simulate_call(FLOW, inputs=["2"]).expect.disconnected()
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "menu.json", *MENU_ACTIONS)
    (tmp_path / "test_menu.py").write_text(TEST_FILE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    return tmp_path


def run_pytest(project: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "ivr.pytest_plugin",
            "-p",
            "no:cacheprovider",
            *options,
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_option_prints_the_table_and_writes_the_report(project: Path) -> None:
    report = project / "flow-coverage.json"
    done = run_pytest(project, "--flow-coverage", f"--flow-coverage-report={report}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "flow coverage" in done.stdout
    assert "menu.json" in done.stdout and "5/5" in done.stdout and "4/9" in done.stdout
    assert "branch not taken: transfer error:QueueAtCapacity -> bye" in done.stdout
    (flow,) = json.loads(report.read_text())["flows"]
    assert flow["actions"]["covered"] == 5
    assert flow["branches"]["covered"] == 4


def test_fail_under_fails_a_green_session(project: Path) -> None:
    done = run_pytest(project, "--flow-coverage-fail-under=90")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "2 passed" in done.stdout
    assert "below --flow-coverage-fail-under=90" in done.stdout


def test_without_the_option_nothing_is_recorded(project: Path) -> None:
    done = run_pytest(project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "flow coverage" not in done.stdout
