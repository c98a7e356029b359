"""Fault injection: identify_caller through a proxy that fails like a database failover.

Each backend's real server (MariaDB, PostgreSQL, DynamoDB on moto's server) sits behind
tests/faults/proxy.py, and the real handler answers events with `timeLimitSeconds=1` (a budget
of 0.7 s after the runtime's 0.3 s margin). The scenario, per backend:

    pass     calls answer ok (the connection is opened and kept)
    silent   the kept connection and every new one go unanswered: each call answers
             `unavailable` within its time limit, never later
    refuse   every connection is reset: `unavailable`, quickly
    pass     the first call after the proxy passes again answers ok

`test_a_black_hole_then_back` goes from silent straight back to pass, the old connections
reset as a restarted server would. Before functions/stores/sql/watchdog.py, PostgreSQL never
came back: its silent connection blocked the worker thread forever while holding the store's
lock, and every later call in the container answered `unavailable`.

Figures (faults injected, recoveries, time from the proxy passing again to the first ok
answer) are printed per backend; reproduce them with

    .venv/bin/pytest -q -p no:cacheprovider -s tests/faults
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from functions import identify_caller
from models.customer import Customer, Language, Tier
from tests.conftest import SqlBackend
from tests.containers import close_stores, environment_stores, invoke_in_environment
from tests.faults.proxy import FaultProxy

pytestmark = pytest.mark.service

LIMIT_S = 1.0  # the flow's timeLimitSeconds
SLACK_S = 0.25  # scheduling on a loaded 2-core runner; the runtime itself answers at 0.7 s
QUICK_S = 0.5  # a reset connection is refused at once, not at the deadline
CALLS_PER_FAULT = 3
EVENT = Path(__file__).parents[1] / "events" / "known_caller.json"
TARO = Customer(
    customer_id="cust-1",
    phone_e164="+81312345678",
    first_name="Taro",
    preferred_language=Language.JA,
    tier=Tier.GOLD,
)


@dataclass
class Figures:
    backend: str
    faults: int = 0
    unavailable: int = 0
    recoveries: int = 0
    recover_s: float = 0.0
    slowest_s: float = 0.0

    def report(self) -> str:
        return (
            f"{self.backend}: {self.faults} faults injected, {self.unavailable} calls answered "
            f"unavailable (slowest {self.slowest_s:.2f} s of {LIMIT_S:.0f} s), "
            f"{self.recoveries} recoveries, first ok {self.recover_s * 1000:.0f} ms after "
            "the proxy passed again"
        )


def call() -> tuple[dict[str, str], float]:
    event = json.loads(EVENT.read_text(encoding="utf-8"))
    event["Details"]["Parameters"] = {"timeLimitSeconds": str(LIMIT_S)}
    started = time.monotonic()
    # Each call on a container of the environment the fixture set; its stores (tests/containers.py
    # `environment_stores`) are the same from call to call, as a Lambda environment's are.
    answer = invoke_in_environment(identify_caller.handler, event)
    return answer, time.monotonic() - started


def expect_ok() -> float:
    answer, elapsed = call()
    assert (answer["status"], answer["customerFound"]) == ("ok", "true"), answer
    return elapsed


def expect_unavailable(figures: Figures, within: float) -> None:
    for _ in range(CALLS_PER_FAULT):
        answer, elapsed = call()
        assert answer["status"] == "unavailable", answer
        assert elapsed < within, f"answered after {elapsed:.2f} s, limit {within:.2f} s"
        figures.unavailable += 1
        figures.slowest_s = max(figures.slowest_s, elapsed)


def come_back(proxy: FaultProxy, figures: Figures) -> None:
    proxy.set_mode("pass")
    back = time.monotonic()
    expect_ok()  # the first call after the database is back
    figures.recoveries += 1
    figures.recover_s = max(figures.recover_s, time.monotonic() - back)


def failover(proxy: FaultProxy, figures: Figures) -> None:
    for _ in range(2):
        expect_ok()
    proxy.set_mode("silent")
    figures.faults += 1
    expect_unavailable(figures, LIMIT_S + SLACK_S)
    proxy.set_mode("refuse")
    figures.faults += 1
    expect_unavailable(figures, QUICK_S)
    come_back(proxy, figures)
    proxy.set_mode("silent")
    figures.faults += 1
    expect_unavailable(figures, LIMIT_S + SLACK_S)
    come_back(proxy, figures)
    for _ in range(2):
        expect_ok()


# --- backends behind the proxy ---------------------------------------------------------------


@pytest.fixture
def handler_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    yield monkeypatch
    close_stores()


def _through(url: str, proxy: FaultProxy) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{proxy.port}"
    return urlunsplit(parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) > 1 else host))


@pytest.fixture(params=["mysql", "postgresql", "dynamodb"])
def proxied(
    request: pytest.FixtureRequest, handler_env: pytest.MonkeyPatch
) -> Iterator[tuple[FaultProxy, Figures]]:
    """identify_caller's store behind a proxy in pass mode, Taro stored through it."""
    if request.param == "dynamodb":
        endpoint = request.getfixturevalue("moto_server")
        table: Callable[[str], str] = request.getfixturevalue("dynamodb_table")
        handler_env.setenv("IVR_STORE_BACKEND", "dynamodb")
        handler_env.setenv("IVR_CUSTOMERS_TABLE", table("CustomersTable"))
        parts = urlsplit(endpoint)
        proxy = FaultProxy(parts.hostname or "127.0.0.1", parts.port or 80)
        handler_env.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{proxy.port}")
    else:
        backend: SqlBackend = request.getfixturevalue(f"{request.param}_backend")
        parts = urlsplit(backend.url)
        proxy = FaultProxy(parts.hostname or "127.0.0.1", parts.port or 0)
        handler_env.setenv("IVR_STORE_BACKEND", "sql")
        handler_env.setenv("IVR_DATABASE_URL", _through(backend.url, proxy))
    close_stores()
    environment_stores().customers.put(TARO)
    try:
        yield proxy, Figures(request.param)
    finally:
        close_stores()  # closes the SQL connection while the proxy can still carry its goodbye
        proxy.close()


def test_a_failover_costs_only_the_calls_made_while_it_lasts(
    proxied: tuple[FaultProxy, Figures],
) -> None:
    proxy, figures = proxied
    failover(proxy, figures)
    assert figures.recoveries == 2
    print(f"\n{figures.report()}")


def test_a_black_hole_then_back(proxied: tuple[FaultProxy, Figures]) -> None:
    # Silent for longer than a connect time-out (psycopg's floor is 2 s), so a connect begun
    # in the black hole has given up by itself, then back with no refusing phase between.
    proxy, figures = proxied
    expect_ok()
    proxy.set_mode("silent")
    figures.faults += 1
    expect_unavailable(figures, LIMIT_S + SLACK_S)
    come_back(proxy, figures)
    expect_ok()
    print(f"\n{figures.report()}")


def test_a_connect_left_in_the_black_hole_holds_back_no_later_call(
    proxied: tuple[FaultProxy, Figures], request: pytest.FixtureRequest
) -> None:
    # A connect can't be cut, and psycopg waits at least 2 s for a server that never answers.
    # Begun while the database is silent and still waiting when a replica takes over, it
    # must not hold the store's lock: the first call after the failover answers ok.
    proxy, figures = proxied
    expect_ok()
    proxy.set_mode("silent")
    figures.faults += 1
    expect_unavailable(figures, LIMIT_S + SLACK_S)  # the kept connection is cut and dropped
    proxy.set_mode("pass", keep_silent=True)  # the connects begun while silent stay stuck
    back = time.monotonic()
    expect_ok()
    figures.recoveries += 1
    figures.recover_s = time.monotonic() - back
    print(f"\n{figures.report()}")
