"""Replay tests run the real identify_caller on an SQLite file seeded with the sample
customers through the test's stores (tests/containers.py); IVR_DATABASE_URL names that file,
so worker processes (spawned with this environment) read the same store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ivr.commands.seed import seed_one
from ivr.sample_data import SAMPLE_CUSTOMERS
from tests.conftest import migrated
from tests.containers import close_stores, environment_stores

RECORDINGS = Path(__file__).parent / "recordings"


@pytest.fixture
def seeded_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'replay.sqlite3'}"
    monkeypatch.setenv("IVR_STORE_BACKEND", "sql")
    monkeypatch.setenv("IVR_DATABASE_URL", migrated(url))
    monkeypatch.setenv("IVR_DEFAULT_REGION", "JP")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    close_stores()
    store = environment_stores().customers
    for customer in SAMPLE_CUSTOMERS:
        seed_one(store, customer)
    yield url
    close_stores()
