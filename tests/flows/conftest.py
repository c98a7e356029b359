"""`line`: contact_flows/ on the real handlers over a freshly seeded SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.flows.line import Line, seeded_line


@pytest.fixture
def line(tmp_path: Path) -> Iterator[Line]:
    with seeded_line(tmp_path) as seeded:
        yield seeded
