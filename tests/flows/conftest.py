"""`line`: contact_flows/ on the real handlers over a freshly seeded SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.flows.line import Line, seeded_line

COVERAGE_TESTS = Path(__file__).resolve().parent / "test_coverage.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """test_coverage.py last: it reads the scenario runs the other tests made (scenarios.RUNS)."""
    coverage = [item for item in items if item.path == COVERAGE_TESTS]
    if coverage:
        items[:] = [item for item in items if item.path != COVERAGE_TESTS] + coverage


@pytest.fixture
def line(tmp_path: Path) -> Iterator[Line]:
    with seeded_line(tmp_path) as seeded:
        yield seeded
