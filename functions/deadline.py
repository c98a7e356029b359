"""The answer's deadline, and the rule that a body's writes never outlive it.

The runtime runs a handler body on a worker thread and answers `unavailable` when the body
overruns (functions/runtime.py). A thread can't be stopped, so the body goes on; without this
module verify_pin then recorded a verification, and request_callback could store a callback,
that the flow had been told failed (issue 9, "a late body changes nothing"). Connect takes the
function's answer as the outcome (connect.md 1.3), so nothing may change after it:

* every store write runs inside `write_window()` (the ports in functions/stores/): it refuses
  to start once the deadline has passed or the runtime has answered (`DeadlineExceeded`, which
  aborts the body), and counts as begun; a SQL backend that runs statements before the one
  that commits (a schema check) calls `check_before_commit()` again right before it, so a
  stall in between can't carry the write past the answer;
* when the body overruns, the runtime calls `Deadline.close()`: from then on no write starts.
  If no write had begun, nothing the body does later can land, and the runtime answers
  `unavailable` at once. If one had (in flight, or done while the body went on), its result
  may be what the body answers, so the runtime waits a short grace for the body's own answer.

Each handler makes its decisive write (the verification, the callback) its last store call,
so a body that got that far answers within the grace. What remains: a single write that
started before the deadline and outlasts the grace may commit after `unavailable`; the store
time-outs derived from the remaining budget (`Deadline.remaining`) bound it.

The current deadline travels in a `ContextVar` (set by `run_under` for the body it runs),
because the stores are built once per container and shared by every invocation. Outside an
invocation (`ivr seed`, tests calling a store directly) there is none and writes are free.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from functions.errors import DeadlineExceeded

__all__ = [
    "Deadline",
    "DeadlineExceeded",
    "check_before_commit",
    "current",
    "run_under",
    "write_window",
]

P = ParamSpec("P")
T = TypeVar("T")


class Deadline:
    """A point on the monotonic clock the answer must be back by, and the writes made
    against it."""

    def __init__(self, at: float) -> None:
        self.at = at
        self._lock = threading.Lock()
        self._closed = False
        self._writes_begun = 0

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds)

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.at

    def check(self) -> None:
        """Raise `DeadlineExceeded` when the deadline passed or the runtime has answered."""
        with self._lock:
            self._check_locked()

    @contextmanager
    def write(self) -> Iterator[None]:
        """Around one write: refused (`DeadlineExceeded`) once the deadline is gone.

        The check and the count happen under one lock with `close()`, so a write either
        begins before the runtime gives up (and the runtime then waits for the body) or
        never begins.
        """
        with self._lock:
            self._check_locked()
            self._writes_begun += 1
        yield

    def close(self) -> bool:
        """The runtime answers without the body: refuse every later write.

        True when no write had begun, so nothing the body still does can change anything.
        """
        with self._lock:
            self._closed = True
            return self._writes_begun == 0

    def _check_locked(self) -> None:
        if self._closed or time.monotonic() >= self.at:
            raise DeadlineExceeded(
                "the deadline passed and the flow was answered without this call: "
                "its write is refused"
            )


_current: ContextVar[Deadline | None] = ContextVar("ivr_answer_deadline", default=None)


def run_under(deadline: Deadline, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` with `deadline` as the current one (for `write_window`)."""
    token = _current.set(deadline)
    try:
        return fn(*args, **kwargs)
    finally:
        _current.reset(token)


def current() -> Deadline | None:
    """The deadline of the invocation this code runs in, or None outside one."""
    return _current.get()


def check_before_commit() -> None:
    """Right before the statement that commits a write: `DeadlineExceeded` once it's gone."""
    deadline = _current.get()
    if deadline is not None:
        deadline.check()


@contextmanager
def write_window() -> Iterator[None]:
    """Around one store write: `DeadlineExceeded` instead of a write the flow won't hear of."""
    deadline = _current.get()
    if deadline is None:
        yield
        return
    with deadline.write():
        yield
