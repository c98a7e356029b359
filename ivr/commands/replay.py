"""`ivr replay DIR`: replay recorded Lambda invocations against the handlers, report differences.

Exit code 0 when every answer matches its recording, 1 when any differs (or a handler raised,
overran or answered something that is not an object), 2 on the toolkit's own errors (a
recording that cannot be read, a function that cannot be resolved).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ivr.replay import ReplayResult, find_recordings, replay

FORMAT = """\
A recording is a JSON file:
  {"function": "IdentifyCallerFunction",    template.yaml logical id, ${...Arn}, or module:function
   "event": {...},                          the Connect event the function received
   "response": {...},                       the answer it gave then
   "description": "..."}                    optional
Folders are searched recursively for *.json. Answers are compared key by key:
added (only in the replay), removed (only in the recording), changed."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="replay recorded Lambda events against the handlers and report differences",
        description=(
            "Replay recorded events against today's handlers and report every key whose "
            "answer differs. Exit 0 all match, 1 any differ, 2 toolkit error."
        ),
        epilog=FORMAT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "targets", nargs="+", metavar="DIR", help="folders of recordings (or recording files)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: one per CPU; 1 replays in this process)",
    )
    parser.add_argument("--template", help="template.yaml (default: found upward from here)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.jobs is not None and args.jobs < 1:
        print("ivr replay: --jobs must be at least 1", file=sys.stderr)
        return 2
    paths = find_recordings(args.targets)
    template = Path(args.template) if args.template else None
    results = replay(paths, jobs=args.jobs, template=template)
    if args.json:
        print(json.dumps(_report(results), indent=2, ensure_ascii=False, default=str))
    else:
        _print(results)
    return 0 if all(r.matched for r in results) else 1


def _report(results: list[ReplayResult]) -> dict[str, Any]:
    matched = sum(r.matched for r in results)
    return {
        "recordings": len(results),
        "matched": matched,
        "differed": len(results) - matched,
        "results": [r.to_dict() for r in results],
    }


def _print(results: list[ReplayResult]) -> None:
    for result in results:
        if result.matched:
            print(f"ok    {result.recording} ({result.function})")
            continue
        print(f"DIFF  {result.recording} ({result.function})")
        if result.error:
            print(f"      error: {result.error}")
        for difference in result.differences:
            print(f"      {difference.describe()}")
    differed = sum(not r.matched for r in results)
    print(f"{len(results)} recordings: {len(results) - differed} matched, {differed} differed")
