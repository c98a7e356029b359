"""The SQL watchdog: one database's timer thread, which its close() stops (no process-wide
thread: functions/ keeps no module-level state, tests/test_module_state.py)."""

from __future__ import annotations

import threading
import time

from functions.stores.sql.watchdog import Watchdog


def _watchdog_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "ivr-sql-watchdog"]


def test_an_armed_alarm_fires_and_a_disarmed_one_does_not() -> None:
    watchdog = Watchdog()
    fired = threading.Event()
    kept: list[str] = []
    try:
        disarmed = watchdog.arm(time.monotonic() + 0.01, lambda: kept.append("disarmed"))
        watchdog.disarm(disarmed)
        watchdog.arm(time.monotonic() + 0.02, fired.set)
        assert fired.wait(5)
        assert kept == []
    finally:
        watchdog.close()


def test_close_stops_the_thread_and_drops_its_alarms_and_a_later_arm_starts_one() -> None:
    before = set(_watchdog_threads())
    watchdog = Watchdog()
    late: list[str] = []
    watchdog.arm(time.monotonic() + 0.05, lambda: late.append("fired after close"))
    [started] = set(_watchdog_threads()) - before
    watchdog.close()
    started.join(5)
    assert not started.is_alive()
    time.sleep(0.1)
    assert late == []
    fired = threading.Event()
    watchdog.arm(time.monotonic() + 0.01, fired.set)
    try:
        assert fired.wait(5)
    finally:
        watchdog.close()
