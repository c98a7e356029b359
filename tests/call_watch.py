"""Calls of chosen functions/ functions, seen with a profile hook instead of replacing them.

    with CallWatch() as watch:
        watch.on(pins._scrypt, lambda args: computed.append((args["n"], args["r"], args["p"])))
        ... invoke a handler ...

The hook (sys.setprofile, and threading.setprofile for threads started while the watch is on:
a container's workers start at its first invocation) hands each watched call's arguments to
its recorder. Nothing in a module is replaced, so the code under test runs as deployed.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import CodeType, FrameType, TracebackType
from typing import Any

__all__ = ["CallWatch"]

Recorder = Callable[[dict[str, Any]], None]


class CallWatch:
    def __init__(self) -> None:
        self._recorders: dict[CodeType, list[Recorder]] = {}
        self._active = False

    def on(self, function: Callable[..., Any], record: Recorder) -> None:
        """Call `record(arguments by name)` at each call of the Python function `function`."""
        code: CodeType = function.__code__
        self._recorders.setdefault(code, []).append(record)

    def _profile(self, frame: FrameType, event: str, _: Any) -> None:
        if not self._active:
            # A thread started while the watch was on keeps its hook after the watch ends
            # (threading.setprofile only reaches threads yet to start): it drops it here, at
            # its next call, instead of profiling every call for the rest of the run.
            sys.setprofile(None)
            return
        if event == "call":
            for record in self._recorders.get(frame.f_code, ()):
                record(dict(frame.f_locals))

    def __enter__(self) -> CallWatch:
        self._active = True
        sys.setprofile(self._profile)
        threading.setprofile(self._profile)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._active = False
        threading.setprofile(None)
        sys.setprofile(None)
