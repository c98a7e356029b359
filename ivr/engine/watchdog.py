"""The time-limit guard for Lambda handlers run in-process, without a thread hand-off per call.

A handler runs inline on the simulating thread; handing each call to a worker thread and
waiting on a future cost more than a whole call's blocks (two thread switches per invocation).
One long-lived daemon thread checks every `TICK_S` whether a handler has overrun its deadline
and, if so, raises `HandlerTimedOut` inside it (CPython's PyThreadState_SetAsyncExc). The
exception lands at the handler's next Python instruction: a handler blocked inside a C call
(`time.sleep`, a socket read) is interrupted when that call returns. Either way the answer
comes back as a time-out, which is what Connect would make of it; `Watchdog.call` also
reports a time-out for a handler that returned, but late.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
TICK_S = 0.05


class HandlerTimedOut(BaseException):
    """Raised inside a handler that overran its time limit. A BaseException so that a handler's
    own `except Exception` does not swallow it."""


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Make `exception` pending in the thread (None clears a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None
    )


class Watchdog:
    def __init__(self, tick_s: float = TICK_S) -> None:
        self._tick_s = tick_s
        self._lock = threading.Lock()
        self._deadlines: dict[int, float] = {}  # thread id -> monotonic deadline
        self._thread: threading.Thread | None = None

    def call(self, limit_s: float, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)`, or HandlerTimedOut when it ran past `limit_s` seconds."""
        thread_id = threading.get_ident()
        deadline = time.monotonic() + limit_s
        with self._lock:
            outer = self._deadlines.get(thread_id)  # a handler that simulates a call itself
            self._deadlines[thread_id] = min(deadline, outer) if outer else deadline
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._watch, name="ivr-handler-watchdog", daemon=True
                )
                self._thread.start()
        try:
            result = function(*args)
        finally:
            with self._lock:
                # The watchdog removes the entry when it fires, under this lock: a missing
                # entry means an exception is (or was) pending in this thread.
                fired = self._deadlines.pop(thread_id, None) is None
                if outer is not None and not fired:
                    self._deadlines[thread_id] = outer
            if fired:
                _raise_in(thread_id, None)  # not yet delivered: drop it, report below
        if fired or time.monotonic() > deadline:
            raise HandlerTimedOut
        return result

    def _watch(self) -> None:
        while True:
            time.sleep(self._tick_s)
            now = time.monotonic()
            with self._lock:
                for thread_id, deadline in list(self._deadlines.items()):
                    if now >= deadline:
                        del self._deadlines[thread_id]
                        _raise_in(thread_id, HandlerTimedOut)


WATCHDOG = Watchdog()
