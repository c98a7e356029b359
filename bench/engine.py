"""The offline engine's speed: calls per second and µs per block executed, on one core.

    .venv/bin/python bench/engine.py [--calls 20000] [--real-calls 5000] [--profile]

Sections (each call is timed alone; calls/s is the batch's count over its wall time):

* mocked: bench/flows/bench_24.json, a 24-block path (settings, a Lambda, Compares, attributes,
  a menu answered "9" then "1", Loop, flow attributes, queue metrics, queue) with the Lambda
  mocked as a canned dict and as a trivial Python function. Budget: <= 6.4 µs per block, twice
  the Go peer's 3.2 µs (76 µs for its 24-block call with a mocked Lambda).
* real: contact_flows/main_inbound.json with functions.identify_caller in-process on an
  embedded SQLite file (a temp IVR_DATABASE_URL seeded with ivr/sample_data.py through the
  simulator's stores, ivr/engine/stores.py), a known caller. Budget: >= 1,000 calls/s. The
  handler alone, called directly with the same event, is timed too, so what the engine adds
  is known.

Exits 1 when a budget is missed. `--profile` prints the top of a cProfile run of each section.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import logging
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _harness import ROOT, median, p90

BENCH_FLOW = ROOT / "bench" / "flows" / "bench_24.json"
MAIN_FLOW = ROOT / "contact_flows" / "main_inbound.json"
PLACEHOLDER = "${IdentifyCallerFunctionArn}"
CANNED = {
    "status": "ok",
    "customerFound": "true",
    "customerId": "cust-0001",
    "firstName": "Taro",
    "tier": "gold",
    "preferredLanguage": "ja",
}
PEER_US_PER_BLOCK = 3.2
BLOCK_BUDGET_US = 2 * PEER_US_PER_BLOCK
REAL_BUDGET_CALLS_S = 1000.0


def trivial_handler(event: dict[str, Any], context: Any = None) -> dict[str, str]:
    """A mocked Lambda that does a little work: reads the caller, answers a fresh dict."""
    address = event["Details"]["ContactData"]["CustomerEndpoint"]["Address"]
    return {**CANNED, "callerE164": address}


def measure(call: Callable[[], Any], calls: int) -> tuple[list[float], float]:
    """Per-call seconds and the batch's wall time; a warm-up of 200 calls first."""
    for _ in range(200):
        call()
    samples = []
    clock = time.perf_counter
    gc.collect()
    started = clock()
    for _ in range(calls):
        begun = clock()
        call()
        samples.append(clock() - begun)
    return samples, clock() - started


def report(label: str, samples: list[float], wall: float, blocks: int) -> float:
    """Print one line; answer the median µs per block."""
    per_call = median(samples) * 1e6
    per_block = per_call / blocks
    print(
        f"{label:<34} {len(samples) / wall:>9,.0f} calls/s  median {per_call:7.1f} µs/call "
        f"p90 {p90(samples) * 1e6:7.1f}  {blocks} blocks  {per_block:5.2f} µs/block"
    )
    return per_block


def profile(label: str, call: Callable[[], Any], calls: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    print(f"\n--- cProfile: {label} ({calls} calls), by own time ---")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def mocked(calls: int, show_profile: bool) -> bool:
    from ivr.engine import Simulator

    print(f"mocked Lambda, {BENCH_FLOW.relative_to(ROOT)} (inputs 9 then 1)")
    worst = 0.0
    for label, target in (("canned dict", CANNED), ("trivial Python function", trivial_handler)):
        simulator = Simulator(BENCH_FLOW, lambdas={PLACEHOLDER: target})
        probe = simulator.call(inputs=("9", "1"))
        if probe.outcome.type != "queue" or probe.lambda_calls[0].error:
            sys.exit(f"bench flow did not reach its queue: {probe.outcome.describe()}")
        blocks = len(probe.path)

        def one_call(simulator: Any = simulator) -> Any:
            return simulator.call(inputs=("9", "1"))

        samples, wall = measure(one_call, calls)
        worst = max(worst, report(f"  {label}", samples, wall, blocks))
        if show_profile:
            profile(label, one_call, min(calls, 5000))
    within = worst <= BLOCK_BUDGET_US
    verdict = "within" if within else "OVER"
    print(
        f"  worst {worst:.2f} µs/block vs the peer's {PEER_US_PER_BLOCK} µs: "
        f"{worst / PEER_US_PER_BLOCK:.2f}x ({verdict} budget {BLOCK_BUDGET_US} µs)"
    )
    return within


def real(calls: int, show_profile: bool) -> bool:
    with tempfile.TemporaryDirectory(prefix="ivr-bench-") as folder:
        os.environ["IVR_STORE_BACKEND"] = "sql"
        os.environ["IVR_DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
        return _real(calls, show_profile)


def _real(calls: int, show_profile: bool) -> bool:
    from functions.identify_caller import handler
    from functions.stores.sql.schema import migrate
    from ivr.commands.seed import seed_one
    from ivr.engine import Simulator
    from ivr.engine.contact import Contact
    from ivr.engine.lambdas import LOGGER_NAME, validate
    from ivr.engine.stores import close_stores, environment_stores
    from ivr.sample_data import SAMPLE_CUSTOMERS

    close_stores()
    migrate(environment_stores().sql_database())
    store = environment_stores().customers
    for customer in SAMPLE_CUSTOMERS:
        seed_one(store, customer)
    caller = SAMPLE_CUSTOMERS[0].phone_e164
    print(f"\nreal handler, {MAIN_FLOW.relative_to(ROOT)}, identify_caller on {store.describe()}")

    simulator = Simulator(MAIN_FLOW)
    probe = simulator.call(caller=caller)
    answer = probe.lambda_calls[0].response or {}
    failed = [c for c in probe.lambda_calls if c.error]
    if not probe.ok or answer.get("customerFound") != "true" or failed:
        sys.exit(f"main_inbound did not run cleanly for the seeded caller: {probe.to_dict()}")
    blocks = len(probe.path)
    functions = ", ".join(c.function for c in probe.lambda_calls)
    print(f"  path: {blocks} blocks, ended {probe.outcome.describe()}; Lambdas: {functions}")

    def one_call() -> Any:
        return simulator.call(caller=caller)

    samples, wall = measure(one_call, calls)
    report("  main_inbound, known caller", samples, wall, blocks)
    rate = calls / wall

    # The same path with each handler replaced by the answer it just gave: the engine's share.
    canned = Simulator(
        MAIN_FLOW, lambdas={c.arn: dict(c.response or {}) for c in probe.lambda_calls}
    )
    if canned.call(caller=caller).path != probe.path:
        sys.exit("the canned answers did not reproduce the real handlers' path")
    engine, _ = measure(lambda: canned.call(caller=caller), calls)
    call_us, engine_us = median(samples) * 1e6, median(engine) * 1e6
    print(
        f"  same path, answers canned            median {engine_us:7.1f} µs/call "
        f"({engine_us / blocks:.2f} µs/block)"
    )
    print(
        f"  the {len(probe.lambda_calls)} handlers: {call_us - engine_us:.1f} µs/call "
        f"({(call_us - engine_us) / call_us:.0%} of the call), the engine {engine_us:.1f} µs"
    )
    # identify_caller's event straight to the handler (quiet, as in a simulated call).
    contact = Contact(contact_id="bench", caller=caller, dialed="+81120000000")
    event = {
        "Name": "ContactFlowEvent",
        "Details": {"ContactData": contact.contact_data(), "Parameters": {"timeLimitSeconds": "3"}},
    }
    if validate(handler(event), "STRING_MAP").response is None:
        sys.exit("identify_caller answered something Connect would refuse")
    logging.getLogger(LOGGER_NAME).addFilter(lambda record: record.levelno >= logging.WARNING)
    direct, _ = measure(lambda: handler(event), calls)
    print(f"  identify_caller.handler alone        median {median(direct) * 1e6:7.1f} µs/call")
    if show_profile:
        profile("main_inbound, real handler", one_call, min(calls, 2000))
    within = rate >= REAL_BUDGET_CALLS_S
    verdict = "within" if within else "UNDER"
    print(f"  {rate:,.0f} calls/s ({verdict} budget {REAL_BUDGET_CALLS_S:,.0f} calls/s)")
    return within


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--calls", type=int, default=20000, help="calls per mocked section")
    parser.add_argument("--real-calls", type=int, default=5000, help="calls with real handlers")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    args = parser.parse_args()
    ok = mocked(args.calls, args.profile)
    ok = real(args.real_calls, args.profile) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
