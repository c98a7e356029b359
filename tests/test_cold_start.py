"""The collector is paused only for a Lambda container's start-up, and always resumed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
EVENT = (Path(__file__).parent / "events" / "withheld_caller.json").read_text(encoding="utf-8")

PROBE = """
import gc, json, sys
import functions.identify_caller as f
before = gc.isenabled()
f.handler(json.loads(sys.argv[1]), None)
print(json.dumps({"during_start": before, "after_first_call": gc.isenabled(),
                  "frozen": gc.get_freeze_count() > 0}))
"""


def probe(extra_env: dict[str, str]) -> dict[str, bool]:
    env = {"PATH": "/usr/bin:/bin", "POWERTOOLS_METRICS_DISABLED": "true", **extra_env}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, EVENT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_in_lambda_collection_pauses_until_the_first_answer() -> None:
    seen = probe({"AWS_LAMBDA_FUNCTION_NAME": "identify-caller"})
    assert seen == {"during_start": False, "after_first_call": True, "frozen": True}


def test_outside_lambda_the_collector_is_never_touched() -> None:
    seen = probe({})
    assert seen == {"during_start": True, "after_first_call": True, "frozen": False}


def test_resume_after_an_invalid_event_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from functions import cold_start, identify_caller
    from functions.errors import InvalidEvent

    monkeypatch.setenv(cold_start.LAMBDA_MARKER, "identify-caller")
    cold_start.pause_collection()  # as a Lambda environment's first import does
    try:
        assert cold_start.collection_paused() and not gc.isenabled()
        with pytest.raises(InvalidEvent):
            identify_caller.handler({"not": "an event"}, None)
        assert gc.isenabled()
        assert not cold_start.collection_paused()
    finally:
        gc.enable()
        gc.unfreeze()
