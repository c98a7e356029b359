"""The one Powertools Logger and Metrics every function shares, built once per container.

Logs are JSON with the ContactId as correlation id; `MaskingFilter` keeps caller numbers and
PINs out of them. No Tracer: the X-Ray SDK costs ~0.4 s of import on the caller's time.

The correlation id is the invocation's, not the logger's: `correlated(contact_id)` sets it for
the code running inside (the runtime enters it before the body runs and copies it onto the
body's worker thread), and every line logged there carries it; outside, none. So a body still
finishing after its deadline logs its own contact, not the next invocation's.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any, TextIO

from aws_lambda_powertools import Logger, Metrics

from functions.privacy import MaskingFilter

SERVICE = "connect-ivr"
NAMESPACE = "ConnectIVR"


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is at the time of the record (tests swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


# Per context (thread, copied context), never shared between two invocations' code.
_correlation_id: ContextVar[str | None] = ContextVar("ivr_correlation_id", default=None)


@contextmanager
def correlated(contact_id: str) -> Iterator[None]:
    """Lines logged inside carry `contact_id` as correlation_id; cleared on the way out."""
    token = _correlation_id.set(contact_id)
    try:
        yield
    finally:
        _correlation_id.reset(token)


def correlation_id() -> str | None:
    return _correlation_id.get()


class _CorrelationFilter(logging.Filter):
    """Stamps each record with the correlation id of the context that logs it."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = _correlation_id.get()
        if current is not None:
            record.correlation_id = current
        return True


# One Logger and one Metrics per process (tests/test_module_state.py allows them): Powertools
# keeps both process-wide anyway (logging's registry by service name; one metric set shared by
# every Metrics), and what differs per call (the correlation id) is a ContextVar.
@cache
def logger() -> Logger:
    # stderr, not Powertools' default stdout: Lambda sends both to CloudWatch, and a
    # simulator printing a transcript or JSON on stdout stays clean.
    log = Logger(
        service=os.environ.get("POWERTOOLS_SERVICE_NAME", SERVICE),
        logger_handler=_StderrHandler(),
    )
    log.addFilter(MaskingFilter())
    # After masking: a ContactId is Connect's UUID, never a caller's data, and must stay whole.
    log.addFilter(_CorrelationFilter())
    return log


@cache
def metrics() -> Metrics:
    return Metrics(
        namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE),
        service=os.environ.get("POWERTOOLS_SERVICE_NAME", SERVICE),
    )
