"""Flow-log speed: `ivr logs summary` in log lines per second and `ivr whatif` in contacts per
second through main_inbound, both on one core (CPU time of this process).

    .venv/bin/python bench/flowlogs.py [--calls 6000] [--repeat 3]

The log is a generated day of `--calls` main_inbound calls (ivr/flowlogs/generate.py: random
keys, canned Lambda answers, some failures), written as JSON lines to a temp file. Summary:
the whole `ivr logs summary` path, summarize_logs (read and decode + reassemble contacts +
count, with the flow's branches), best of `--repeat`. Beside it, the same run's baseline:
json.loads of each line and nothing else (text read line by line), best of `--repeat`, and the
summary's rate as a ratio of it; absolute rates move with the machine's load, the ratio much
less. (The reader decodes with orjson a chunk of lines at a time, json where orjson would read
a value otherwise: ivr/flowlogs/reader.py.) What-if: replay every logged contact through
main_inbound with the Lambda answers recorded in the log (the file already read), best of
`--repeat`. Targets (issue 13): 200,000 lines/s and 2,000 contacts/s; exits 1 when either is
missed.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _harness import ROOT

FLOW = ROOT / "contact_flows" / "main_inbound.json"
SUMMARY_TARGET = 200_000
WHATIF_TARGET = 2_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--calls", type=int, default=6000, help="calls in the generated day")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    args = parser.parse_args()

    from ivr.coverage import FlowShape
    from ivr.flowlogs.contacts import contacts
    from ivr.flowlogs.generate import a_day_of_calls
    from ivr.flowlogs.reader import ReadReport, read_flow_logs
    from ivr.flowlogs.summary import summarize_logs
    from ivr.flowlogs.whatif import WhatIf
    from ivr.flowlogs.writer import records_for, write_records

    with tempfile.TemporaryDirectory(prefix="ivr-bench-flowlogs-") as folder:
        log = Path(folder) / "day.jsonl"
        with log.open("w", encoding="utf-8") as out:
            lines = sum(
                write_records(records_for(c.result, c.contact_id, start=c.start), out)
                for c in a_day_of_calls(FLOW, args.calls, seed=13)
            )
        size = log.stat().st_size
        shape = FlowShape.load(FLOW)

        summary_seconds = []
        for _ in range(args.repeat):
            started = time.process_time()
            report = ReadReport()
            summary = summarize_logs([log], shape, None, report)
            summary_seconds.append(time.process_time() - started)
        assert report.entries == lines and summary.contacts == args.calls

        # The baseline: json.loads of each line and nothing else.
        decode_seconds = []
        for _ in range(args.repeat):
            started = time.process_time()
            with log.open(encoding="utf-8") as source:
                for line in source:
                    json.loads(line)
            decode_seconds.append(time.process_time() - started)

        logged = list(contacts(read_flow_logs([log], ReadReport())))
        whatif_seconds = []
        for _ in range(args.repeat):
            whatif = WhatIf(FLOW)
            started = time.process_time()
            for contact in logged:
                whatif.replay(contact)
            whatif_seconds.append(time.process_time() - started)
            assert whatif.report.changed == 0 and not whatif.report.unknown, "replay differs"

    line_rate = lines / min(summary_seconds)
    contact_rate = len(logged) / min(whatif_seconds)
    print(f"log: {args.calls} calls, {lines} lines, {size / 1e6:.1f} MB")
    print(
        f"summary: {line_rate:,.0f} lines/s ({min(summary_seconds):.2f} s CPU, best of "
        f"{args.repeat}: read + reassemble + count; target {SUMMARY_TARGET:,})"
    )
    decode_rate = lines / min(decode_seconds)
    print(
        f"         json.loads alone: {decode_rate:,.0f} lines/s ({min(decode_seconds):.2f} s "
        f"CPU); the summary runs at {line_rate / decode_rate:.2f}x of it"
    )
    print(
        f"whatif:  {contact_rate:,.0f} contacts/s ({min(whatif_seconds):.2f} s CPU, best of "
        f"{args.repeat}; target {WHATIF_TARGET:,})"
    )
    return 0 if line_rate >= SUMMARY_TARGET and contact_rate >= WHATIF_TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
