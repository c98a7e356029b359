"""The test suite's CPU time at a baseline commit and now, in one run (issue 10: the suite at
most half the CPU time it took when the issue was filed).

    .venv/bin/python bench/suite_cpu.py [--baseline COMMIT] [--only current|baseline]

Each suite runs as a child process from its own tree (the baseline from a temporary git
worktree, the current one from this checkout) with this venv's interpreter:

    python -m pytest -q -p no:cacheprovider --ignore=tests/artifacts --ignore=tests/test_install.py

with IVR_REQUIRE_SERVICES=1, so every backend runs (MariaDB and PostgreSQL must be up; moto's
server starts in-process). CPU is user + system time of the child and everything it waited
for (getrusage of children), so a helper process counts; wall time is printed beside it.
The Lambda artifact builds and the install test are left out of both: they are pip installs
into fresh interpreters (network and pip's time), and the baseline had neither.

The default baseline, 3b725fb, is the last commit before issue 10's first change: its suite
hashed every sample PIN with the production scrypt cost and seeded every store per test.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from _harness import ROOT, timed_child

DEFAULT_BASELINE = "3b725fb"
PYTEST = [
    "-m",
    "pytest",
    "-q",
    "-p",
    "no:cacheprovider",
    "--ignore=tests/artifacts",
    "--ignore=tests/test_install.py",
]


def run_suite(tree: Path, paths: list[str] | None = None) -> tuple[float, float, str]:
    """CPU and wall seconds of the suite in `tree` (its `paths` only, if given), and pytest's
    summary line."""
    environment = {**os.environ, "IVR_REQUIRE_SERVICES": "1"}
    done, wall, cpu = timed_child(
        [sys.executable, *PYTEST, *(paths or [])], cwd=tree, env=environment
    )
    summary = _summary(done.stdout)
    if done.returncode != 0:
        sys.exit(f"the suite in {tree} failed ({summary}):\n{done.stdout[-3000:]}{done.stderr}")
    return cpu, wall, summary


def baseline_test_files(commit: str) -> list[str]:
    """The test files `commit` had that this checkout still has."""
    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", commit, "tests"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return [p for p in listed if Path(p).name.startswith("test_") and (ROOT / p).is_file()]


def _summary(output: str) -> str:
    lines = [line for line in output.splitlines() if re.search(r"\d+ passed", line)]
    return lines[-1].strip("= ") if lines else "no summary"


def _tests(summary: str) -> int:
    return sum(int(n) for n in re.findall(r"(\d+) (?:passed|failed)", summary))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="commit to compare with")
    parser.add_argument(
        "--only",
        choices=("baseline", "current", "files"),
        help="run one: files is the current suite's test files the baseline had (they grew)",
    )
    args = parser.parse_args()
    results: dict[str, tuple[float, float, str]] = {}
    if args.only in (None, "baseline"):
        with tempfile.TemporaryDirectory(prefix="ivr-suite-baseline-") as folder:
            tree = Path(folder) / "tree"
            subprocess.run(
                ["git", "worktree", "add", "--detach", "--quiet", str(tree), args.baseline],
                cwd=ROOT,
                check=True,
            )
            try:
                results[f"baseline {args.baseline}"] = run_suite(tree)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT)
    if args.only in (None, "current"):
        results["current"] = run_suite(ROOT)
    if args.only in (None, "files"):
        results["current, its files"] = run_suite(ROOT, baseline_test_files(args.baseline))
    for name, (cpu, wall, summary) in results.items():
        tests = _tests(summary)
        print(
            f"{name:<18} {cpu:7.1f} s CPU  {wall:6.1f} s wall  {tests:5d} tests  "
            f"{1000 * cpu / max(tests, 1):5.1f} ms CPU/test  ({summary})"
        )
    baseline = next((cpu for name, (cpu, _, _) in results.items() if name.startswith("base")), None)
    if baseline is not None and "current" in results:
        now = results["current"][0]
        print(f"current / baseline CPU: {now / baseline:.2f} (target at most 0.50)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
