"""The one Powertools Logger and Metrics every function shares, built once per container.

Logs are JSON with the ContactId as correlation id; `MaskingFilter` keeps caller numbers and
PINs out of them. No Tracer: the X-Ray SDK costs ~0.4 s of import on the caller's time.
"""

from __future__ import annotations

import logging
import os
import sys
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics

from functions.privacy import MaskingFilter

SERVICE = "connect-ivr"
NAMESPACE = "ConnectIVR"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time of the record (tests swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


@cache
def logger() -> Logger:
    # stderr, not Powertools' default stdout: Lambda sends both to CloudWatch, and a
    # simulator printing a transcript or JSON on stdout stays clean.
    log = Logger(
        service=os.environ.get("POWERTOOLS_SERVICE_NAME", SERVICE),
        logger_handler=_StderrHandler(),
    )
    log.addFilter(MaskingFilter())
    return log


@cache
def metrics() -> Metrics:
    return Metrics(
        namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE),
        service=os.environ.get("POWERTOOLS_SERVICE_NAME", SERVICE),
    )
