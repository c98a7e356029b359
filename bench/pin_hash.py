"""How long a PIN check costs: hash_pin and verify_pin_hash with today's parameters.

    .venv/bin/python bench/pin_hash.py

A 512 MB Lambda gets about 512/1769 of a vCPU, so expect roughly 3.5x the per-core time here.
"""

from __future__ import annotations

import statistics
import time

from functions.pins import hash_pin, verify_pin_hash

ROUNDS = 20


def main() -> None:
    stored = hash_pin("1234")
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        verify_pin_hash("1234", stored)
        samples.append((time.perf_counter() - started) * 1000)
    median = statistics.median(samples)
    print(f"verify_pin_hash: median {median:.1f} ms, max {max(samples):.1f} ms ({ROUNDS} rounds)")
    print(f"estimated on a 512 MB Lambda (~0.29 vCPU): {median * 1769 / 512:.0f} ms")


if __name__ == "__main__":
    main()
