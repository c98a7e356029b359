"""`ivr replay` throughput: recordings per second with --jobs 1 (in this process) against
--jobs 2 (two spawned worker processes, startup included), and the ratio.

    .venv/bin/python bench/replay.py [--copies 400]

The folder is tests/replay/recordings (identify_caller: known, unknown, withheld, national
format, TASK) copied `--copies` times into a temp folder; the store is a temp SQLite file
seeded with ivr/sample_data.py through ivr/engine/stores.py (IVR_DATABASE_URL, inherited by the
workers). Every replay must match, or the run stops: a failing replay is not what gets timed.
Exits 1 when two jobs are not faster than one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _harness import ROOT

RECORDINGS = ROOT / "tests" / "replay" / "recordings"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--copies", type=int, default=400, help="copies of each recording")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ivr-bench-replay-") as folder:
        os.environ["IVR_STORE_BACKEND"] = "sql"
        os.environ["IVR_DATABASE_URL"] = f"sqlite:///{Path(folder) / 'replay.sqlite3'}"
        os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
        return _bench(Path(folder), args.copies)


def _bench(folder: Path, copies: int) -> int:
    from functions.stores.sql.schema import migrate
    from ivr.commands.seed import seed_one
    from ivr.engine.stores import close_stores, environment_stores
    from ivr.replay import find_recordings, replay
    from ivr.sample_data import SAMPLE_CUSTOMERS

    close_stores()
    migrate(environment_stores().sql_database())
    store = environment_stores().customers
    for customer in SAMPLE_CUSTOMERS:
        seed_one(store, customer)
    close_stores()  # close it: the replays open their own
    originals = find_recordings([RECORDINGS])
    for copy in range(copies):
        target = folder / "recordings" / f"{copy:04d}"
        target.mkdir(parents=True)
        for original in originals:
            shutil.copy(original, target / original.name)
    paths = find_recordings([folder / "recordings"])
    print(f"{len(paths)} recordings ({len(originals)} x {copies}), {os.cpu_count()} CPUs")

    rates = {}
    for jobs in (1, 2):
        started = time.perf_counter()
        results = replay(paths, jobs=jobs)
        wall = time.perf_counter() - started
        if not all(r.matched for r in results):
            bad = next(r for r in results if not r.matched)
            sys.exit(f"a replay differed, nothing timed: {bad}")
        rates[jobs] = len(paths) / wall
        print(f"  --jobs {jobs}  {wall:6.2f} s  {rates[jobs]:8,.0f} recordings/s")
    ratio = rates[2] / rates[1]
    print(f"  --jobs 2 / --jobs 1 = {ratio:.2f}x")
    return 0 if ratio > 1 else 1


if __name__ == "__main__":
    sys.exit(main())
