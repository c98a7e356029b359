"""Garbage collection paused for a Lambda container's cold start.

A cold start allocates hundreds of thousands of objects that live as long as the container
(modules, pydantic schemas, phonenumbers metadata, botocore's service model). CPython's
cyclic collector runs again and again while they are created and finds nothing to free:
~50 ms of a ~300 ms cold start here (bench/cold_start.py). So, inside Lambda only, the
collector is paused from the first import of `functions` until the first invocation has been
answered; then everything alive is moved to the permanent generation (`gc.freeze`), which
later collections skip, and collection resumes.
See https://docs.python.org/3/library/gc.html#gc.freeze

Outside Lambda (tests, the `ivr` toolkit importing handlers) nothing changes: a process that
never invokes a handler must not run without a collector.
"""

from __future__ import annotations

import gc
import os

# Set by the Lambda runtime in every execution environment.
LAMBDA_MARKER = "AWS_LAMBDA_FUNCTION_NAME"

_paused = False


def pause_collection() -> None:
    """Pause the collector if this is a Lambda container starting; idempotent."""
    global _paused
    if not _paused and os.environ.get(LAMBDA_MARKER) and gc.isenabled():
        gc.disable()
        _paused = True


def resume_collection() -> None:
    """After the first answer: freeze what start-up built and collect normally again."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def collection_paused() -> bool:
    return _paused
