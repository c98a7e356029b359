"""Warm invocation overhead of the handler runtime (functions/runtime.py `connect_handler`).

Times a trivial body wrapped by `connect_handler` (event parsing, parameters, the deadline
guard on a worker thread, one JSON log line, EMF metrics) against the same body called
directly on a ready-made `Invocation`, per call, after a warm-up. Logs and metrics are written
for real, to /dev/null (stdout and stderr redirected at the file-descriptor level). Each mode
runs in its own process: metrics enabled, then POWERTOOLS_METRICS_DISABLED=true.

    .venv/bin/python bench/warm_overhead.py [--calls 5000]

Budget: median overhead < 1 ms per call. Exit status 1 when missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable

from _harness import ROOT, child_environment, connect_event, median, p90

BUDGET_US = 1000.0
MODES = {"metrics enabled": "false", "metrics disabled": "true"}


def _time_calls(call: Callable[[], object], calls: int) -> list[float]:
    clock = time.perf_counter_ns
    samples = []
    for _ in range(calls):
        started = clock()
        call()
        samples.append((clock() - started) / 1000)
    return samples


def measure(calls: int) -> dict[str, float]:
    """Per-call µs of the wrapped and the direct body, in this process."""
    from functions.runtime import (
        ConnectHandler,
        Container,
        Deadline,
        HandlerContract,
        Invocation,
        NoParameters,
        parse_event,
    )
    from models.response import ConnectResponse

    def body(call: Invocation[NoParameters]) -> ConnectResponse:
        return ConnectResponse(reason="")

    event = connect_event()
    # What `@connect_handler` builds from the signature, given directly: the models are local.
    wrapped = ConnectHandler(
        body, HandlerContract(parameters=NoParameters, response=ConnectResponse)
    )
    ready = Invocation(parse_event(event), NoParameters(), Deadline.after(3), Container.build())

    def direct() -> object:
        return body(ready).to_string_map()

    saved = os.dup(1), os.dup(2)
    sink = os.open(os.devnull, os.O_WRONLY)
    os.dup2(sink, 1)
    os.dup2(sink, 2)
    try:
        for _ in range(200):  # warm-up: first log line, thread start, caches
            wrapped(event, None)
            direct()
        wrapped_us = _time_calls(lambda: wrapped(event, None), calls)
        direct_us = _time_calls(direct, calls)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(sink)
    return {
        "wrapped_median": median(wrapped_us),
        "wrapped_p90": p90(wrapped_us),
        "direct_median": median(direct_us),
        "direct_p90": p90(direct_us),
    }


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    options.add_argument("--calls", type=int, default=5000)
    options.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = options.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.calls)))
        return 0

    worst = 0.0
    print(f"warm overhead of connect_handler over {args.calls} calls ({sys.version.split()[0]}):")
    for mode, disabled in MODES.items():
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--calls", str(args.calls)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=child_environment({"POWERTOOLS_METRICS_DISABLED": disabled}),
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"{mode}: child failed:\n{done.stderr[-3000:]}")
        figures = json.loads(done.stdout.splitlines()[-1])
        overhead = figures["wrapped_median"] - figures["direct_median"]
        worst = max(worst, overhead)
        print(
            f"{mode:<17} wrapped median {figures['wrapped_median']:7.1f} µs  "
            f"p90 {figures['wrapped_p90']:7.1f} µs | direct median "
            f"{figures['direct_median']:5.1f} µs | overhead {overhead:7.1f} µs/call  "
            f"ratio {figures['wrapped_median'] / figures['direct_median']:.0f}x"
        )
    verdict = "within" if worst < BUDGET_US else "OVER"
    print(f"worst overhead {worst:.1f} µs/call ({verdict} budget {BUDGET_US:.0f} µs)")
    return 0 if worst < BUDGET_US else 1


if __name__ == "__main__":
    sys.exit(main())
