"""Handlers' stores configured through the environment, as in a deployed function, on SQLite or
DynamoDB (moto's server), seeded with the sample customers, PINs and orders."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from functions.config import DATABASE_URL, STORE_BACKEND
from functions.container import Container
from functions.stores import registry
from ivr.seeding.orders import sample_credentials, sample_orders
from tests.containers import close_stores, environment_container
from tests.sample_store import SEEDED_ON, WRITTEN_KINDS, SampleTables, seeded_sqlite_url

EVENT = json.loads((Path(__file__).parent / "events" / "known_caller.json").read_text())
TODAY = SEEDED_ON
# The known caller (+81312345678) is Taro, cust-0001.
TARO = sample_credentials()[0]
HANAKO = sample_credentials()[1]
TARO_ORDERS = [o for o in sample_orders(TODAY) if o.customer_id == TARO.customer_id]
HANAKO_ORDERS = [o for o in sample_orders(TODAY) if o.customer_id == HANAKO.customer_id]


def event_with(parameters: dict[str, str], **contact: Any) -> dict[str, Any]:
    """known_caller.json with these parameters and ContactData fields replaced."""
    raw = copy.deepcopy(EVENT)
    raw["Details"]["Parameters"] = parameters
    raw["Details"]["ContactData"].update(contact)
    return raw


@dataclass
class Seeded:
    """The seeded backend, and the container the handlers under test run on."""

    backend: str
    container: Container

    def invoke(self, handler: Any, event: dict[str, Any]) -> dict[str, str]:
        answer: dict[str, str] = handler(event, container=self.container)
        return answer


def seeded_environment(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Seeded]:
    """Body of the `seeded` fixtures: configure, seed, yield, forget the cached stores."""
    if request.param == "dynamodb":
        make_table = request.getfixturevalue("dynamodb_table")
        sample: SampleTables = request.getfixturevalue("dynamodb_sample_tables")
        monkeypatch.setenv(STORE_BACKEND, "dynamodb")
        for variable, name in sample.shared().items():
            monkeypatch.setenv(variable, name)
        for kind in WRITTEN_KINDS:
            for table in registry.kind(kind).tables:
                name = make_table(table.logical_id)
                sample.copy(table.logical_id, name)
                monkeypatch.setenv(table.variable, name)
        yield from _seeded("dynamodb")
        return
    monkeypatch.setenv(STORE_BACKEND, "sql")
    # A copy of the session's seeded SQLite store (tests/sample_store.py): seeding it row by
    # row was most of each test's setup.
    monkeypatch.setenv(DATABASE_URL, seeded_sqlite_url(tmp_path))
    yield from _seeded("sqlite")


def _seeded(backend: str) -> Iterator[Seeded]:
    close_stores()
    container = environment_container()
    try:
        yield Seeded(backend, container)
    finally:
        container.workers.shutdown(wait=True)
        close_stores()


SEEDED_BACKENDS = ["sqlite", pytest.param("dynamodb", marks=pytest.mark.service)]
