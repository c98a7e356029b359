"""One thread that calls a function at a point on the monotonic clock, unless disarmed first.

`SqlDatabase` arms it for each use of its connection with the invocation's deadline; when the
deadline passes first, the callback shuts the connection's socket down, which wakes a driver
blocked on a silent server at once (its read returns end-of-file) instead of never. psycopg 3
has no read time-out of its own: `cursor.execute` waits on the socket without one
(psycopg/connection.py `Connection.wait`), and libpq's TCP keepalives and `tcp_user_timeout`
only catch a peer that stops acknowledging, not one that acknowledges and never answers.

One thread per `SqlDatabase` (a container has one per database URL), started on first use and
stopped by `close()` (the database's), rather than a `threading.Timer` (a new thread) per
statement.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

__all__ = ["Alarm", "Watchdog"]

_log = logging.getLogger(__name__)


class Alarm:
    """An armed callback; `Watchdog.disarm` clears it so a late wake-up does nothing."""

    __slots__ = ("at", "fire")

    def __init__(self, at: float, fire: Callable[[], None]) -> None:
        self.at = at
        self.fire: Callable[[], None] | None = fire


class Watchdog:
    def __init__(self) -> None:
        self._wake = threading.Condition(threading.Lock())
        self._queue: list[tuple[float, int, Alarm]] = []
        self._order = itertools.count()  # ties on `at` never compare two Alarms
        self._thread: threading.Thread | None = None
        # Which thread is current: `close` moves it on, and a thread that is not current ends.
        self._generation = 0

    def arm(self, at: float, fire: Callable[[], None]) -> Alarm:
        """Call `fire()` on the watchdog's thread at `at` (time.monotonic()), unless disarmed."""
        alarm = Alarm(at, fire)
        with self._wake:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop,
                    args=(self._generation,),
                    name="ivr-sql-watchdog",
                    daemon=True,
                )
                self._thread.start()
            heapq.heappush(self._queue, (at, next(self._order), alarm))
            if self._queue[0][2] is alarm:
                self._wake.notify()
        return alarm

    def disarm(self, alarm: Alarm) -> None:
        # Left in the queue (removing from a heap is linear); the loop drops it when due.
        with self._wake:
            alarm.fire = None

    def close(self) -> None:
        """Stop the thread and drop the alarms still armed (their connection is being closed);
        a later `arm` starts a new thread."""
        with self._wake:
            self._generation += 1
            self._thread = None
            self._queue.clear()
            self._wake.notify_all()

    def _loop(self, generation: int) -> None:
        while True:
            with self._wake:
                while not self._queue or self._queue[0][0] > time.monotonic():
                    if generation != self._generation:
                        return
                    timeout = self._queue[0][0] - time.monotonic() if self._queue else None
                    self._wake.wait(timeout)
                if generation != self._generation:
                    return
                _, _, alarm = heapq.heappop(self._queue)
                fire, alarm.fire = alarm.fire, None
            if fire is not None:
                try:
                    fire()
                except Exception:  # the thread must survive any one callback
                    _log.exception("watchdog callback failed")
