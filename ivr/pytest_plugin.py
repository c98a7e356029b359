"""pytest plugin giving the `simulate_call` fixture and the `--flow-coverage` option.

Enable it with `pytest_plugins = ["ivr.pytest_plugin"]` in the root conftest.py, or
`pytest -p ivr.pytest_plugin`:

    def test_gold_caller(simulate_call):
        call = simulate_call("contact_flows/main_inbound.json", inputs=["1"])
        call.expect.ended_in_queue("Gold")

`--flow-coverage` records every call the session runs through the engine and prints, per
flow, the actions and branches covered and the ones left; `--flow-coverage-report=PATH`
writes it as JSON; `--flow-coverage-fail-under=N` fails the session below N percent
(actions and branches counted together). Either of the last two implies the first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest

from ivr.coverage import CoverageCollector, CoverageReport, format_report, recording
from ivr.testing import Call, run_call


@pytest.fixture
def simulate_call() -> Callable[..., Call]:
    """`run_call`: simulate a call and get it back ready for `call.expect...` checks."""
    return run_call


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("flow-coverage", "contact flow block coverage (ivr)")
    group.addoption(
        "--flow-coverage",
        action="store_true",
        default=False,
        help="report the flow actions and branches the simulated calls exercised",
    )
    group.addoption(
        "--flow-coverage-report",
        metavar="PATH",
        default=None,
        help="write the flow coverage report as JSON to PATH",
    )
    group.addoption(
        "--flow-coverage-fail-under",
        metavar="N",
        type=float,
        default=None,
        help="fail the session when flow coverage is below N percent",
    )


def pytest_configure(config: pytest.Config) -> None:
    option = config.option
    wanted = (
        getattr(option, "flow_coverage", False)
        or getattr(option, "flow_coverage_report", None)
        or getattr(option, "flow_coverage_fail_under", None) is not None
    )
    if wanted:
        config.pluginmanager.register(_FlowCoverage(config), "ivr-flow-coverage")


class _FlowCoverage:
    """Records from configure to session end; reports in the terminal summary."""

    def __init__(self, config: pytest.Config) -> None:
        self._report_path: str | None = config.option.flow_coverage_report
        self._fail_under: float | None = config.option.flow_coverage_fail_under
        self._collector = CoverageCollector()
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(recording(self._collector))
        self._report: CoverageReport | None = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self._stack.close()
        self._report = self._collector.report()
        if self._report_path:
            Path(self._report_path).write_text(self._report.to_json() + "\n", encoding="utf-8")
        if self._below() and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self._report is None:
            return
        terminalreporter.write_sep("-", "flow coverage")
        terminalreporter.write_line(
            format_report(self._report, relative_to=terminalreporter.config.rootpath)
        )
        if self._report_path:
            terminalreporter.write_line(f"flow coverage report written to {self._report_path}")
        if self._below():
            terminalreporter.write_line(
                f"FAIL: flow coverage {self._report.percent:.1f}% is below "
                f"--flow-coverage-fail-under={self._fail_under:g}",
                red=True,
            )

    def _below(self) -> bool:
        return (
            self._report is not None
            and self._fail_under is not None
            and self._report.percent < self._fail_under
        )


__all__ = ["simulate_call"]
