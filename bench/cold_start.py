"""Cold start of identify_caller against a bare boto3 handler doing the same lookup.

Each sample is a fresh Python process that times, with time.perf_counter, from just before
importing the handler's module to just after its first invocation returns (interpreter start-up
is outside the window: it is the same for both). Both handlers query moto's DynamoDB server
over HTTP on 127.0.0.1, in a table created from template.yaml with one customer seeded.
Samples alternate between the two so drift on the machine hits both alike.

Then one more child runs under `python -X importtime` (import and first call) and the script
prints where identify_caller's import time goes, by package and by module.

    .venv/bin/python bench/cold_start.py [--runs 20] [--top 15]

Budget: median(identify_caller) <= 1.3 x median(bare). Exit status 1 when missed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from typing import Any

from _harness import (
    BENCH,
    ROOT,
    child_environment,
    connect_event,
    dynamodb_with_one_customer,
    median,
    p90,
)

BUDGET_RATIO = 1.3
OURS = "functions.identify_caller:handler"
BARE = "baseline_bare_handler:handler"
FLOOR = "baseline_floor_handler:handler"
MARKER = "BENCH_RESULT "
# What the Lambda runtime sets in every execution environment; both children get it, as both
# would in Lambda (functions/cold_start.py acts on it; the bare handler ignores it).
LAMBDA_ENVIRONMENT = {"AWS_LAMBDA_FUNCTION_NAME": "cold-start-bench"}

# Runs in the child. Only json/sys/time/importlib are loaded before the clock starts.
CHILD = f"""
import importlib, json, sys, time
sys.path[:0] = [{str(ROOT)!r}, {str(BENCH)!r}]
event = json.loads(sys.argv[2])
started = time.perf_counter()
module_name, attribute = sys.argv[1].split(":")
handler = getattr(importlib.import_module(module_name), attribute)
imported = time.perf_counter()
answer = handler(event, None)
answered = time.perf_counter()
handler(event, None)
warm = time.perf_counter()
sys.stdout.flush()
print({MARKER!r} + json.dumps({{
    "import_ms": (imported - started) * 1000,
    "first_call_ms": (answered - imported) * 1000,
    "cold_ms": (answered - started) * 1000,
    "second_call_ms": (warm - answered) * 1000,
    "answer": answer,
}}))
"""


def run_child(target: str, environment: dict[str, str], *flags: str) -> tuple[dict[str, Any], str]:
    """One fresh process: its measurements, and its stderr (importtime output, logs)."""
    event = json.dumps(connect_event())
    done = subprocess.run(
        [sys.executable, *flags, "-c", CHILD, target, event],
        capture_output=True,
        text=True,
        env=child_environment({**environment, **LAMBDA_ENVIRONMENT}),
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{target} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(lines[-1][len(MARKER) :])
    if result["answer"].get("customerFound") != "true":
        raise SystemExit(f"{target} did not find the seeded customer: {result['answer']}")
    return result, done.stderr


def summarize(name: str, samples: list[dict[str, Any]]) -> float:
    cold = [s["cold_ms"] for s in samples]
    imports = [s["import_ms"] for s in samples]
    first = [s["first_call_ms"] for s in samples]
    second = [s["second_call_ms"] for s in samples]
    print(
        f"{name:<16} cold median {median(cold):7.1f} ms  p90 {p90(cold):7.1f} ms   "
        f"(import {median(imports):6.1f} + first call {median(first):6.1f}; "
        f"second call {median(second):5.1f} ms)"
    )
    return median(cold)


IMPORTTIME = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$")


def import_costs(stderr: str) -> tuple[dict[str, float], list[tuple[str, float, float]]]:
    """Self time (ms) by top-level package, and (module, self ms, cumulative ms) for each."""
    by_package: dict[str, float] = defaultdict(float)
    modules: list[tuple[str, float, float]] = []
    for line in stderr.splitlines():
        match = IMPORTTIME.match(line)
        if not match:
            continue
        own, cumulative, module = int(match[1]) / 1000, int(match[2]) / 1000, match[4]
        by_package[module.split(".", 1)[0]] += own
        modules.append((module, own, cumulative))
    return dict(by_package), modules


FIRST_PARTY = frozenset({"functions", "models"})


def entry_points(stderr: str) -> list[tuple[str, str, float]]:
    """(importer, module, cumulative ms) where our code first pulls in another package.

    importtime prints a module after the modules it imported, one level deeper, so a line's
    children are the deeper lines just before it.
    """
    pending: dict[int, list[tuple[str, float]]] = defaultdict(list)
    found: list[tuple[str, str, float]] = []
    for line in stderr.splitlines():
        match = IMPORTTIME.match(line)
        if not match:
            continue
        depth, module, cumulative = len(match[3]) // 2, match[4], int(match[2]) / 1000
        for child, child_ms in pending.pop(depth + 1, []):
            top = child.split(".", 1)[0]
            if module.split(".", 1)[0] in FIRST_PARTY and top not in FIRST_PARTY:
                found.append((module, child, child_ms))
        pending[depth].append((module, cumulative))
    found += [
        ("(first call)", m, ms)
        for m, ms in pending.get(0, [])
        if m.split(".")[0] not in FIRST_PARTY
    ]
    return sorted(found, key=lambda entry: -entry[2])


def report_imports(environment: dict[str, str], top: int) -> None:
    _, stderr = run_child(OURS, environment, "-X", "importtime")
    by_package, modules = import_costs(stderr)
    total = sum(by_package.values())
    print(f"\nimport time of identify_caller (import + first call), {total:.1f} ms in all:")
    print("  by top-level package (self time summed):")
    for package, ms in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]:
        print(f"    {package:<28} {ms:7.1f} ms  {100 * ms / total:4.1f}%")
    print("  what our modules pull in (cumulative, incl. that package's own imports):")
    for importer, module, ms in entry_points(stderr)[:top]:
        print(f"    {importer:<34} -> {module:<32} {ms:7.1f} ms")
    print("  heaviest modules by self time:")
    for module, own, cumulative in sorted(modules, key=lambda m: -m[1])[:top]:
        print(f"    {module:<48} self {own:6.1f} ms  cumulative {cumulative:6.1f} ms")


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    options.add_argument("--runs", type=int, default=20, help="fresh processes per handler")
    options.add_argument("--top", type=int, default=15, help="rows in the import tables")
    args = options.parse_args(argv)
    if args.runs < 15:
        options.error("--runs must be at least 15 for a meaningful p90")

    with dynamodb_with_one_customer() as environment:
        for target in (OURS, BARE, FLOOR):  # warm the OS file cache and .pyc files first
            run_child(target, environment)
        ours: list[dict[str, Any]] = []
        bare: list[dict[str, Any]] = []
        floor: list[dict[str, Any]] = []
        for _ in range(args.runs):  # interleaved, so machine noise hits all three alike
            ours.append(run_child(OURS, environment)[0])
            bare.append(run_child(BARE, environment)[0])
            floor.append(run_child(FLOOR, environment)[0])
        print(f"cold start over {args.runs} fresh processes each ({sys.version.split()[0]}):")
        ours_ms = summarize("identify_caller", ours)
        bare_ms = summarize("bare boto3", bare)
        floor_ms = summarize("required deps", floor)
        ratio = ours_ms / bare_ms
        verdict = "within" if ratio <= BUDGET_RATIO else "OVER"
        print(f"ratio identify_caller / bare = {ratio:.2f}x  ({verdict} budget {BUDGET_RATIO}x)")
        print(
            f"  of which the required dependencies alone (floor / bare) = {floor_ms / bare_ms:.2f}x"
            f" and our code above them (identify_caller / floor) = {ours_ms / floor_ms:.2f}x"
        )
        report_imports(environment, args.top)
    return 0 if ratio <= BUDGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
