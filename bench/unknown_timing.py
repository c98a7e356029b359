"""Does verify_pin answer an unknown caller as fast as a known one with a wrong PIN? (issue 9)

    .venv/bin/python bench/unknown_timing.py [--rounds 40] [--children 8]

Warm: verify_pin.handler on the caller-ID path (no customerNumber, no customerId), a known
caller (Taro, +81312345678, with a PIN) and an unknown one (+81355550000), both keying a wrong
PIN, interleaved in alternating order, each attempt counter reset between calls (untimed), on
SQLite (a temp file) and DynamoDB (moto's server on 127.0.0.1). Fresh container: the first call
of a new process (after the import, which builds the decoy hash), known and unknown in
alternate processes, on SQLite (the decoy is the same on every backend).

The difference is the median of the paired differences (unknown - known, per round; for the
processes, the difference of the medians) and the noise is the larger of its bootstrap 95 %
interval half-width and 2 % of the known median. Exits 1 when a difference is outside noise.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from _harness import ROOT, child_environment, connect_event, dynamodb_with_one_customer, median

KNOWN, UNKNOWN = "+81312345678", "+81355550000"
WRONG_PIN, TARO_PIN = "9999", "1234"
# verify_pin's tables (functions/stores/registry.py names their variables).
STORES = ("customers", "pins", "verifications")


def _event(address: str) -> dict[str, Any]:
    return connect_event(address, {"pin": WRONG_PIN})


def _seed_pin() -> None:
    from functions.pins import hash_pin
    from functions.stores.pins import PinRecord
    from ivr.engine.stores import close_stores, environment_stores
    from models.customer import Customer

    close_stores()
    if environment_stores().settings.backend.lower() == "sql":
        from functions.stores.sql.schema import migrate

        migrate(environment_stores().sql_database())
    if environment_stores().customers.find_by_phone(KNOWN) is None:
        environment_stores().customers.put(
            Customer(customer_id="c-0001", phone_e164=KNOWN, first_name="Hanako")
        )
    known = environment_stores().customers.find_by_phone(KNOWN)
    assert known is not None
    environment_stores().pins.put(PinRecord(known.customer_id, "12345674", hash_pin(TARO_PIN)))


def _reset(subjects: Sequence[str]) -> None:
    from ivr.engine.stores import environment_stores

    for subject in subjects:
        environment_stores().pins.reset_attempts(subject)


def _subjects() -> list[str]:
    from ivr.engine.stores import environment_stores

    known = environment_stores().customers.find_by_phone(KNOWN)
    assert known is not None
    return [known.customer_id, f"caller:{UNKNOWN}"]


def warm_rounds(rounds: int) -> tuple[list[float], list[float]]:
    """(known, unknown) milliseconds per call, interleaved in alternating order."""
    from functions.container import Container
    from functions.verify_pin import handler

    subjects = _subjects()
    # A container of this phase's environment (the process's own was built for the first).
    container = Container.from_env()
    calls: dict[str, Callable[[], dict[str, str]]] = {
        "known": lambda: handler(_event(KNOWN), container=container),
        "unknown": lambda: handler(_event(UNKNOWN), container=container),
    }
    for call in calls.values():  # first-use work (tables, connections) out of the figures
        _reset(subjects)
        _check(call())
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for index in range(rounds):
        order = ("known", "unknown") if index % 2 == 0 else ("unknown", "known")
        for name in order:
            _reset(subjects)
            started = time.perf_counter()
            answer = calls[name]()
            times[name].append((time.perf_counter() - started) * 1000)
            _check(answer)
    container.close()
    return times["known"], times["unknown"]


def _check(answer: dict[str, str]) -> None:
    # An error path must never be what gets timed.
    if (answer["status"], answer["verified"], answer["attemptsLeft"]) != ("ok", "false", "2"):
        raise SystemExit(f"unexpected answer, not timing it: {answer}")


def first_calls(children: int, environment: dict[str, str]) -> tuple[list[float], list[float]]:
    """(known, unknown) milliseconds of a new process's first call, alternating processes."""
    subjects = _subjects()
    times: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
    for index in range(children * 2):
        address = (KNOWN, UNKNOWN)[index % 2]
        _reset(subjects)
        output = subprocess.run(
            [sys.executable, __file__, "--child", address],
            env=child_environment(environment),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        times[address].append(float(output.strip().splitlines()[-1]))
    return times[KNOWN], times[UNKNOWN]


def child(address: str) -> None:
    """In a new process: import the handler (the decoy is built here), time the first call."""
    from functions.verify_pin import handler

    started = time.perf_counter()
    answer = handler(_event(address))
    elapsed = (time.perf_counter() - started) * 1000
    _check(answer)
    print(f"{elapsed:.3f}")


def _noise(differences: Sequence[float], known_median: float) -> float:
    """Bootstrap 95 % half-width of the median difference, at least 2 % of the known median."""
    rng = random.Random(9)
    estimates = sorted(
        statistics.median(rng.choices(differences, k=len(differences))) for _ in range(2000)
    )
    half_width = (estimates[int(0.975 * 2000)] - estimates[int(0.025 * 2000)]) / 2
    return max(half_width, 0.02 * known_median)


def report(label: str, known: list[float], unknown: list[float], *, paired: bool) -> bool:
    known_median, unknown_median = median(known), median(unknown)
    if paired:
        differences = [u - k for k, u in zip(known, unknown, strict=True)]
    else:  # unpaired processes: every unknown against every known
        differences = [u - k for k in known for u in unknown]
    difference = statistics.median(differences)
    noise = _noise(differences, known_median)
    within = abs(difference) <= noise
    print(
        f"{label:<28} known median {known_median:7.2f} ms  unknown median {unknown_median:7.2f} ms"
        f"  ratio {unknown_median / known_median:5.3f}  difference {difference:+6.2f} ms"
        f"  noise +-{noise:.2f} ms  {'within noise' if within else 'OUTSIDE noise'}"
    )
    return within


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--children", type=int, default=8)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        sqlite = {
            "IVR_STORE_BACKEND": "sql",
            "IVR_DATABASE_URL": f"sqlite:///{Path(folder) / 'ivr.sqlite3'}",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
        }
        os.environ.update(sqlite)
        _seed_pin()
        ok &= report("sqlite warm", *warm_rounds(args.rounds), paired=True)
        ok &= report(
            "sqlite first call (process)", *first_calls(args.children, sqlite), paired=False
        )
    with dynamodb_with_one_customer():
        from functions.stores import registry
        from functions.stores.dynamodb.client import new_dynamodb_client
        from ivr.tables import create_table

        client = new_dynamodb_client()
        for table in (t for name in STORES for t in registry.kind(name).tables):
            if table.logical_id == "CustomersTable":
                continue  # dynamodb_with_one_customer made it
            os.environ[table.variable] = f"bench-{table.logical_id}"
            create_table(client, table.logical_id, os.environ[table.variable])
        _seed_pin()
        ok &= report("dynamodb (moto) warm", *warm_rounds(args.rounds), paired=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
