"""Run every bench script in turn (`make bench`); exit 1 when any misses its budget."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = ("cold_start.py", "warm_overhead.py", "cli_startup.py")


def main() -> int:
    here = Path(__file__).resolve().parent
    missed = []
    for script in SCRIPTS:
        print(f"== {script}", flush=True)
        if subprocess.run([sys.executable, str(here / script)], check=False).returncode:
            missed.append(script)
        print(flush=True)
    if missed:
        print("over budget: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
