"""Limits Amazon Connect sets on what a flow and a Lambda exchange, for both sides: functions/
(what a handler answers and how long it may take) and ivr/ (lint, the simulator) read them
here. Only `json`, so reading a number costs nothing.

Sources: the Flow language reference, InvokeLambdaFunction (InvocationTimeLimitSeconds 1-8)
and the admin guide's Lambda page (a STRING_MAP answer under 32 KB of UTF-8,
https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html).
"""

import json
from typing import Any

MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S = 1.0, 8.0  # how long Connect waits for a Lambda
STRING_MAP_LIMIT_BYTES = 32 * 1024  # a STRING_MAP answer is under this many bytes


def answer_too_large(answer: Any) -> str | None:
    """Why Connect refuses `answer` for its size (its JSON, UTF-8), or None when it fits.
    Raises TypeError/ValueError when `answer` is not JSON."""
    size = len(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    if size < STRING_MAP_LIMIT_BYTES:
        return None
    return (
        f"response is {size} bytes of UTF-8; Connect accepts less than 32 KB "
        f"({STRING_MAP_LIMIT_BYTES} bytes)"
    )
