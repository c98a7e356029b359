"""Cold start and peak memory of every function as deployed, against a bare boto3 handler.

Each function's artifact is built exactly as `sam build` builds it (deploy/build_artifact.py,
for this machine's CPU: `--platform host`), and so is the bare handler's (its module and the
same bytecode step). Each sample is a fresh interpreter isolated from the dev venv:
`python3.12 -I -S` with nothing on sys.path but the standard library, the artifact and the
boto3/botocore the Lambda runtime provides (build_runtime), as in Lambda. The child times,
with time.perf_counter, from just before importing the handler's module to just after its
first invocation returns (interpreter start-up is outside the window: the same for all), then
reads its CPU time over the same window (`time.process_time`, every thread: far steadier than
wall time on a shared machine, shown beside it; the budget is on wall time) and its peak
RSS: VmHWM from /proc/self/status, the high-water mark of the process's own
memory. `getrusage(RUSAGE_SELF).ru_maxrss` would be the same figure in Lambda, but Linux
carries ru_maxrss over an exec from the forking parent (here this script and moto's server,
~120 MiB), so every child would report the parent's size. Every handler queries moto's
DynamoDB server on 127.0.0.1 with its template table seeded (bench/_stack.py) and must answer
status=ok on the seeded record, or the run stops: an error path is never what gets timed.
Samples rotate through the handlers so drift on the machine hits each alike.

SnapStart, offline: the same children, but after the import the child runs what Lambda runs
before the snapshot (the init above and functions/snapstart.py's before-snapshot hook), then
times the after-restore hook and the first invocation: what a restored container still pays.

Then one more child runs identify_caller under `-X importtime` and the script prints where
its import time goes, by package and by module.

    .venv/bin/python bench/cold_start.py [--runs 20] [--top 15] [--artifacts DIR [--reuse]]
    .venv/bin/python bench/cold_start.py --venv    # the dev venv instead of the artifacts

Budgets (P1, P5): median cold start of identify_caller <= 1.3 x the bare handler's; peak RSS
of every function's first invocation <= 1.1 x the bare handler's. Exit status 1 when missed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _harness import BENCH, ROOT, child_environment, median, p90
from _stack import Target, seeded_stack, targets

sys.path.insert(0, str(ROOT / "deploy"))
from build_artifact import (
    build_artifact,
    build_runtime,
    compile_bytecode,
    target_python,
)

BUDGET_RATIO = 1.3
RSS_BUDGET_RATIO = 1.1
BUDGETED = "identify_caller"
MARKER = "BENCH_RESULT "
# What the Lambda runtime sets in every execution environment; every child gets it, as each
# would in Lambda (functions/cold_start.py and functions/snapstart.py act on it).
LAMBDA_ENVIRONMENT = {"AWS_LAMBDA_FUNCTION_NAME": "cold-start-bench"}
BASELINES = ("baseline_bare_handler.py",)

# Runs in the child; argv: module, event, mode ("cold" | "snapstart"), JSON of the paths to put
# before and after the standard library. Only stdlib modules are loaded before the clock.
CHILD = f"""
import importlib, json, resource, sys, time
before, after = json.loads(sys.argv[4])
sys.path[:0] = before
sys.path.extend(after)
event = json.loads(sys.argv[2])
cpu_started = time.process_time()
started = time.perf_counter()
module = importlib.import_module(sys.argv[1])
imported = time.perf_counter()
restored = imported
if sys.argv[3] == "snapstart":
    hooks = sys.modules.get("functions.snapstart")
    if hooks is not None:
        hooks.before_snapshot()
    restored = time.perf_counter()
    if hooks is not None:
        hooks.after_restore()
answer = module.handler(event, None)
answered = time.perf_counter()
cpu_answered = time.process_time()
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open("/proc/self/status") as status:  # Linux: the high-water mark of this image only
    hwm_kib = next((int(l.split()[1]) for l in status if l.startswith("VmHWM:")), peak_kib)
module.handler(event, None)
warm = time.perf_counter()
sys.stdout.flush()
print({MARKER!r} + json.dumps({{
    "import_ms": (imported - started) * 1000,
    "first_call_ms": (answered - imported) * 1000,
    "cold_ms": (answered - started) * 1000,
    "cold_cpu_ms": (cpu_answered - cpu_started) * 1000,
    "after_restore_ms": (answered - restored) * 1000,
    "second_call_ms": (warm - answered) * 1000,
    "peak_rss_mib": hwm_kib / 1024,
    "ru_maxrss_mib": peak_kib / 1024,
    "answer": answer,
}}))
"""


@dataclass(frozen=True)
class Setup:
    """How a child starts: the interpreter and its flags, and the paths for each target."""

    command: list[str]
    paths: dict[str, tuple[list[str], list[str]]]  # target name -> (before, after) stdlib
    description: str


def artifact_setup(folder: Path, chosen: list[Target], reuse: bool) -> Setup:
    """Build (or reuse) every artifact, the bare one and the runtime's boto3 into `folder`."""
    python = target_python()
    runtime = folder / "runtime"
    if not (reuse and runtime.is_dir()):
        print(f"building the runtime's boto3 into {runtime} ...", flush=True)
        build_runtime(runtime, platform="host")
    bare = folder / "bare"
    if not (reuse and bare.is_dir()):
        shutil.rmtree(bare, ignore_errors=True)
        bare.mkdir(parents=True)
        for name in BASELINES:
            shutil.copy2(BENCH / name, bare / name)
        compile_bytecode(bare, python)  # the same bytecode step as the functions' artifacts
    paths: dict[str, tuple[list[str], list[str]]] = {}
    for target in chosen:
        if target.logical_id is None:
            paths[target.name] = ([str(bare)], [str(runtime)])
            continue
        artifact = folder / target.logical_id
        if not (reuse and artifact.is_dir()):
            print(f"building {target.logical_id} into {artifact} ...", flush=True)
            build_artifact(target.logical_id, artifact, platform="host")
        paths[target.name] = ([str(artifact)], [str(runtime)])
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return Setup(
        [python, "-I", "-S"],
        paths,
        f"built artifacts, {python} {version} -I -S (artifact + runtime boto3 only)",
    )


def venv_setup(chosen: list[Target]) -> Setup:
    paths: dict[str, tuple[list[str], list[str]]] = {
        t.name: ([str(ROOT), str(BENCH)], []) for t in chosen
    }
    return Setup([sys.executable], paths, f"dev venv, {sys.executable} {sys.version.split()[0]}")


def run_child(
    setup: Setup, target: Target, environment: dict[str, str], mode: str = "cold", *flags: str
) -> tuple[dict[str, Any], str]:
    """One fresh process: its measurements, and its stderr (importtime output, logs)."""
    done = subprocess.run(
        [
            *setup.command,
            *flags,
            "-c",
            CHILD,
            target.module,
            json.dumps(target.event()),
            mode,
            json.dumps(setup.paths[target.name]),
        ],
        capture_output=True,
        text=True,
        env=child_environment({**environment, **LAMBDA_ENVIRONMENT}),
        cwd=tempfile.gettempdir(),  # nothing of the project's folder on the child's path
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{target.name} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len(MARKER) :])
    problem = target.check(result["answer"])
    if problem:
        raise SystemExit(f"{target.name} did not answer ok on its seeded record: {problem}")
    return result, done.stderr


def sample(
    setup: Setup, chosen: list[Target], environment: dict[str, str], runs: int, mode: str
) -> dict[str, list[dict[str, Any]]]:
    for target in chosen:  # warm the OS file cache first; the .pyc ship with the artifact
        run_child(setup, target, environment, mode)
    samples: dict[str, list[dict[str, Any]]] = {t.name: [] for t in chosen}
    for round_ in range(runs):  # interleaved, in a rotating order
        shift = round_ % len(chosen)
        for target in chosen[shift:] + chosen[:shift]:
            samples[target.name].append(run_child(setup, target, environment, mode)[0])
    return samples


def report_cold(samples: dict[str, list[dict[str, Any]]], bare_name: str) -> tuple[float, float]:
    """Print P1 and P5 per function; (budgeted function's time ratio, worst RSS ratio)."""
    bare = samples[bare_name]
    bare_ms = median([s["cold_ms"] for s in bare])
    bare_rss = max(s["peak_rss_mib"] for s in bare)
    bare_cpu = median([s["cold_cpu_ms"] for s in bare])
    print(
        f"{'':<17}{'cold median':>12}{'p90':>9}{'import':>9}{'1st call':>10}{'2nd':>7}"
        f"{'x bare':>8}{'CPU':>9}{'x bare':>8}{'peak RSS':>11}{'x bare':>8}"
    )
    time_ratio, worst_rss = 0.0, 0.0
    for name, runs in samples.items():
        cold = [s["cold_ms"] for s in runs]
        rss = max(s["peak_rss_mib"] for s in runs)
        ratio, rss_ratio = median(cold) / bare_ms, rss / bare_rss
        cpu = median([s["cold_cpu_ms"] for s in runs])
        print(
            f"{name:<17}{median(cold):9.1f} ms{p90(cold):6.1f} ms"
            f"{median([s['import_ms'] for s in runs]):6.1f} ms"
            f"{median([s['first_call_ms'] for s in runs]):7.1f} ms"
            f"{median([s['second_call_ms'] for s in runs]):6.1f}"
            f"{ratio:7.2f}x{cpu:6.1f} ms{cpu / bare_cpu:7.2f}x{rss:7.1f} MiB{rss_ratio:7.2f}x"
        )
        if name == BUDGETED:
            time_ratio = ratio
        if name != bare_name:
            worst_rss = max(worst_rss, rss_ratio)
    return time_ratio, worst_rss


def report_snapstart(samples: dict[str, list[dict[str, Any]]], bare_name: str) -> None:
    bare_ms = median([s["after_restore_ms"] for s in samples[bare_name]])
    print(f"{'':<17}{'after restore':>14}{'p90':>9}{'x bare':>8}")
    for name, runs in samples.items():
        left = [s["after_restore_ms"] for s in runs]
        print(f"{name:<17}{median(left):11.1f} ms{p90(left):6.1f} ms{median(left) / bare_ms:7.2f}x")


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
    first_call = pending.get(0, [])
    found += [("(first call)", m, ms) for m, ms in first_call if m.split(".")[0] not in FIRST_PARTY]
    return sorted(found, key=lambda entry: -entry[2])


def report_imports(setup: Setup, target: Target, environment: dict[str, str], top: int) -> None:
    _, stderr = run_child(setup, target, environment, "cold", "-X", "importtime")
    by_package, modules = import_costs(stderr)
    total = sum(by_package.values())
    print(f"\nimport time of {target.name} (import + first call), {total:.1f} ms in all:")
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
    options.add_argument("--venv", action="store_true", help="the dev venv, not the artifacts")
    options.add_argument("--artifacts", type=Path, help="build into DIR (default: a temp dir)")
    options.add_argument("--reuse", action="store_true", help="keep what --artifacts DIR has")
    options.add_argument("--only", nargs="+", metavar="NAME", help="these functions only")
    options.add_argument("--no-snapstart", action="store_true", help="skip the SnapStart pass")
    args = options.parse_args(argv)
    if args.runs < 15:
        options.error("--runs must be at least 15 for a meaningful p90")

    everything = targets()
    bare_target = everything[0]
    chosen = [bare_target] + [t for t in everything[1:] if not args.only or t.name in args.only]
    scratch = None
    if args.venv:
        setup = venv_setup(chosen)
    else:
        folder = args.artifacts or Path(scratch := tempfile.mkdtemp(prefix="cold-start-"))
        setup = artifact_setup(folder, chosen, args.reuse)
    try:
        with seeded_stack() as environment:
            print(f"cold start over {args.runs} fresh processes each ({setup.description}):")
            samples = sample(setup, chosen, environment, args.runs, "cold")
            ratio, worst_rss = report_cold(samples, bare_target.name)
            verdict = "within" if ratio <= BUDGET_RATIO else "OVER"
            print(f"P1 {BUDGETED} / bare = {ratio:.2f}x ({verdict} budget {BUDGET_RATIO}x)")
            rss_verdict = "within" if worst_rss <= RSS_BUDGET_RATIO else "OVER"
            print(
                f"P5 worst peak RSS / bare = {worst_rss:.2f}x "
                f"({rss_verdict} budget {RSS_BUDGET_RATIO}x)"
            )
            if not args.no_snapstart:
                print(f"\nSnapStart, offline: after restore, over {args.runs} processes each:")
                report_snapstart(
                    sample(setup, chosen, environment, args.runs, "snapstart"), bare_target.name
                )
            budgeted = next((t for t in chosen if t.name == BUDGETED), None)
            if budgeted is not None:
                report_imports(setup, budgeted, environment, args.top)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0 if ratio <= BUDGET_RATIO and worst_rss <= RSS_BUDGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
