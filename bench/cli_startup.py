"""Start-up of the `ivr` command line, as whole processes, against `python -c pass`.

Each sample is one process, timed from outside (wall clock around subprocess.run, so fork,
exec, interpreter start-up, imports, the command's work and exit all count). The three commands
alternate, in a rotating order, so drift on the machine hits each alike; the first round is
discarded (it warms the .pyc files and the page cache). Then each `ivr` command runs once more
under `python -X importtime` and the script lists the third-party packages it imported, so an
import that creeps back in (boto3 for lint) shows by name.

    .venv/bin/python bench/cli_startup.py [--runs 20]

Budgets: median(ivr --help) <= 5 x median(python -c pass); median(ivr lint contact_flows/)
<= 8 x. Exit status 1 when either is missed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from _harness import ROOT, child_environment, median, p90

PYTHON = sys.executable
SCRIPT = Path(PYTHON).parent / "ivr"
BASELINE = "python -c pass"
ARGUMENTS = (["--help"], ["lint", "contact_flows/"])
BUDGETS = {"ivr --help": 5.0, "ivr lint contact_flows/": 8.0}


def commands(module: bool) -> dict[str, list[str]]:
    """The console script pip installs, run as its shebang would; `python -m ivr.cli` with
    --module or where there is no script (`-m` imports ivr from the working folder first)."""
    ivr = [PYTHON, str(SCRIPT)] if SCRIPT.is_file() and not module else [PYTHON, "-m", "ivr.cli"]
    return {
        BASELINE: [PYTHON, "-c", "pass"],
        **{f"ivr {' '.join(a)}": [*ivr, *a] for a in ARGUMENTS},
    }


def run_once(argv: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one process, in ms. A command that fails
    stops the run: its time would be an error path's."""
    started = time.perf_counter()
    child = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=child_environment({}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = (time.perf_counter() - started) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed (exit {child.returncode})")
    return elapsed, (usage.ru_utime + usage.ru_stime) * 1000


# Runs ivr's main in a child, then prints the top-level packages it left in sys.modules
# (importtime would also list failed optional imports, such as copy's `org.python.core`).
LISTER = """
import sys
from ivr.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
names = {m.split(".", 1)[0] for m in sys.modules}
print(" ".join(sorted(n for n in names if n not in sys.stdlib_module_names)))
"""


def packages_imported(arguments: list[str]) -> list[str]:
    """Top-level non-stdlib packages `ivr arguments...` imports (first-party included)."""
    done = subprocess.run(
        [PYTHON, "-c", LISTER, *arguments],
        cwd=ROOT,
        env=child_environment({}),
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    return [n for n in lines[-1].split() if not n.startswith("_")] if lines else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runs", type=int, default=20, help="samples per command (default 20)")
    parser.add_argument(
        "--module", action="store_true", help="run `python -m ivr.cli`, not the console script"
    )
    args = parser.parse_args()
    command_lines = commands(args.module)

    names = list(command_lines)
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(args.runs + 1):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            elapsed, used = run_once(command_lines[name])
            if round_number:  # round 0 warms the caches
                wall[name].append(elapsed)
                cpu[name].append(used)

    ivr = " ".join(command_lines["ivr --help"][1:-1])
    print(f"{args.runs} processes each, interleaved; ivr is {ivr}")
    print("  (the budget is on wall time; CPU time, less disturbed by other work, for comparison)")
    missed = []
    for name in names:
        ratio = median(wall[name]) / median(wall[BASELINE])
        cpu_ratio = median(cpu[name]) / median(cpu[BASELINE])
        line = (
            f"  {name:<24} wall median {median(wall[name]):6.1f} ms  p90 {p90(wall[name]):6.1f}"
            f"  {ratio:5.2f}x | cpu median {median(cpu[name]):6.1f} ms  {cpu_ratio:5.2f}x"
        )
        if name in BUDGETS:
            within = ratio <= BUDGETS[name]
            line += f"  (budget {BUDGETS[name]:g}x{'' if within else ', OVER'})"
            if not within:
                missed.append(name)
        print(line)
    for arguments in ARGUMENTS:
        imported = ", ".join(packages_imported(arguments)) or "-"
        print(f"  ivr {' '.join(arguments)} imports: {imported}")
    if missed:
        print("over budget: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
