"""A flow of 100,000 actions in one chain (MessageParticipant after MessageParticipant, then a
disconnect): how long `ivr simulate` (with --max-steps past the chain) and `ivr lint` take on
it, each in a fresh process as a user runs them. Budget: under 2 s each.

    .venv/bin/python bench/long_flow.py [--actions 100000] [--budget 2.0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from _harness import ROOT, timed_child


def chain(actions: int) -> dict[str, object]:
    """`actions` actions: a message each, the last one a disconnect."""
    body: list[dict[str, object]] = [
        {
            "Identifier": f"a{i}",
            "Type": "MessageParticipant",
            "Parameters": {"Text": f"step {i}"},
            "Transitions": {"NextAction": f"a{i + 1}"},
        }
        for i in range(actions - 1)
    ]
    body.append(
        {
            "Identifier": f"a{actions - 1}",
            "Type": "DisconnectParticipant",
            "Parameters": {},
            "Transitions": {},
        }
    )
    return {"Version": "2019-10-30", "StartAction": "a0", "Metadata": {}, "Actions": body}


def timed(argv: list[str]) -> tuple[float, float, int]:
    """Wall and CPU (user + system) seconds of one run of `argv`, and its exit code."""
    done, elapsed, cpu = timed_child(argv, cwd=ROOT)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    return elapsed, cpu, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per command")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (best counts)")
    args = parser.parse_args()
    ivr = str(Path(sys.executable).with_name("ivr"))
    with tempfile.TemporaryDirectory() as folder:
        flow = Path(folder) / "long.json"
        flow.write_text(json.dumps(chain(args.actions)), encoding="utf-8")
        size = flow.stat().st_size / 1e6
        print(f"flow: {args.actions} actions in one chain, {size:.1f} MB")
        commands = {
            "simulate": [ivr, "simulate", str(flow), "--json", "--max-steps", "1000000"],
            "lint": [ivr, "lint", str(flow), "--json"],
        }
        worst = 0.0
        for name, argv in commands.items():
            # Best of --repeat: the command's own time, not the other work on the machine
            # (CPU time, printed beside it, is what the command itself used).
            runs = [timed(argv) for _ in range(args.repeat)]
            elapsed, cpu, code = min(runs)
            worst = max(worst, elapsed)
            print(f"ivr {name:<9} {elapsed:6.2f} s wall, {cpu:5.2f} s CPU  (exit {code})")
    verdict = "within" if worst < args.budget else "OVER"
    print(f"slowest {worst:.2f} s ({verdict} budget {args.budget:.1f} s)")
    return 0 if worst < args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
