"""Limits Amazon Connect sets on what a flow and a Lambda exchange, for both sides: functions/
(what a handler answers and how long it may take) and ivr/ (lint, the simulator) read them
here. No imports, so reading a number costs nothing.

Sources: the Flow language reference, InvokeLambdaFunction (InvocationTimeLimitSeconds 1-8)
and the admin guide's Lambda page (a STRING_MAP answer under 32 KB of UTF-8,
https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html).
"""

MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S = 1.0, 8.0  # how long Connect waits for a Lambda
STRING_MAP_LIMIT_BYTES = 32 * 1024  # a STRING_MAP answer is under this many bytes
