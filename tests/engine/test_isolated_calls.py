"""Simulated calls kept apart: a fresh ContactId per `ivr simulate` (or --contact-id), the
embedded store at the project root (or IVR_DATA_DIR) whatever the current directory, and
`ivr seed --reset` forgetting the sample customers' lockouts so the demo always works."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from functions.config import DATABASE_URL
from functions.pins import LockoutPolicy
from functions.stores.bundle import Stores, StoreSettings
from ivr.cli import main
from ivr.data_dir import DATA_DIR, default_sqlite_url, project_root, project_store
from tests.engine import handlers

MENU = Path(__file__).parent / "flows" / "menu.json"
ECHO = "${EchoFunctionArn}=tests.engine.handlers:echo"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_database(monkeypatch):
    monkeypatch.delenv(DATABASE_URL, raising=False)
    monkeypatch.delenv("IVR_DATABASE_SECRET_ARN", raising=False)
    monkeypatch.delenv(DATA_DIR, raising=False)


def _contact_ids(capsys, *extra: str) -> list[str]:
    handlers.received.clear()
    for _ in range(2):
        assert main(["simulate", str(MENU), "--lambda", ECHO, "--input", "2", *extra]) == 0
    capsys.readouterr()
    return [event["Details"]["ContactData"]["ContactId"] for event in handlers.received]


def test_each_simulated_call_is_a_new_contact(capsys):
    first, second = _contact_ids(capsys)
    assert first != second


def test_the_contact_id_can_be_given(capsys):
    given = "11111111-2222-4333-8444-555555555555"
    assert _contact_ids(capsys, "--contact-id", given) == [given, given]


def test_the_store_is_at_the_project_root_whatever_the_directory(
    tmp_path, monkeypatch, no_database
):
    # A project of its own (a contact_flows/ folder holding the flow), so the store made here
    # is not the developer's .ivr/ of this checkout.
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    flow = project / "contact_flows" / MENU.name
    flow.parent.mkdir(parents=True)
    flow.write_bytes(MENU.read_bytes())
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert project_root(MENU) == REPO
    assert default_sqlite_url(MENU) == f"sqlite:///{REPO / '.ivr' / 'ivr.sqlite3'}"
    assert project_root(flow) == project
    with project_store(flow) as url:
        assert url == f"sqlite:///{project / '.ivr' / 'ivr.sqlite3'}"
        assert os.environ[DATABASE_URL] == url
    assert DATABASE_URL not in os.environ  # only for the call
    assert (project / ".ivr" / "ivr.sqlite3").is_file()  # migrated there,
    assert not (elsewhere / ".ivr").exists()  # not in the current directory


def test_ivr_data_dir_moves_the_store(tmp_path, monkeypatch, no_database):
    monkeypatch.setenv(DATA_DIR, str(tmp_path / "data"))
    assert default_sqlite_url(MENU) == f"sqlite:///{tmp_path / 'data' / 'ivr.sqlite3'}"


def test_a_new_embedded_store_is_migrated_before_the_call(tmp_path, monkeypatch, no_database):
    # A simulated call before any `ivr seed` (or after an upgrade that added a migration)
    # finds the handlers' tables, so it hears "not found", not "unavailable".
    from functions.stores.sql.database import SqlDatabase
    from functions.stores.sql.schema import LATEST, applied

    monkeypatch.setenv(DATA_DIR, str(tmp_path / "fresh"))
    monkeypatch.setenv("IVR_STORE_BACKEND", "sql")
    with project_store(MENU) as url:
        assert url is not None
        database = SqlDatabase(url)
        try:
            assert max(applied(database)) == LATEST
        finally:
            database.close()


def test_a_configured_database_wins(tmp_path, monkeypatch):
    monkeypatch.setenv(DATABASE_URL, "sqlite:///elsewhere.sqlite3")
    with project_store(MENU) as url:
        assert url is None and os.environ[DATABASE_URL] == "sqlite:///elsewhere.sqlite3"


def test_seed_outside_any_project_says_what_to_do(tmp_path, monkeypatch, capsys, no_database):
    monkeypatch.chdir(tmp_path)
    assert main(["seed"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and DATA_DIR in err
    assert not (tmp_path / ".ivr").exists()


def test_seed_reset_lifts_a_lockout(tmp_path, monkeypatch, capsys, no_database):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(DATA_DIR, str(tmp_path / "data"))
    assert main(["seed"]) == 0
    stores = Stores(StoreSettings(database_url=f"sqlite:///{tmp_path / 'data' / 'ivr.sqlite3'}"))
    pins = stores.pins
    for _ in range(3):
        pins.claim_attempt("cust-0001", int(time.time()), LockoutPolicy())
    locked = pins.attempt_window("cust-0001")
    assert locked is not None and locked.failures == 3
    assert main(["seed", "--reset"]) == 0
    assert "reset failed PIN attempts" in capsys.readouterr().out
    after = pins.attempt_window("cust-0001")
    stores.close()
    assert after is None or after.failures == 0
