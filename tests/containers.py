"""Containers and stores tests build for the handlers they call (functions/container.py).

A test configures its stores through the environment, as a deployed function is configured,
then builds the container Lambda's init would build from that environment. Its stores are the
ones `environment_stores()` hands the test (ivr/engine/stores.py: the same the simulator's
handlers run on), so what the test seeds and reads back is what the handler sees. Nothing in a
functions/ module is replaced or reset; `close_stores()` (the fixtures' teardown) closes them.
"""

from __future__ import annotations

from typing import Any

from functions.clock import Clock, system_clock
from functions.config import RuntimeSettings
from functions.container import Container
from ivr.engine.stores import close_stores, environment_stores

__all__ = [
    "close_stores",
    "environment_container",
    "environment_stores",
    "invoke",
    "invoke_in_environment",
]


def environment_container(
    *, clock: Clock = system_clock, settings: RuntimeSettings | None = None
) -> Container:
    """The container for the environment the test set, with these parts instead."""
    return Container.build(
        settings=settings or RuntimeSettings.from_env(), clock=clock, stores=environment_stores()
    )


def invoke(handler: Any, event: Any, container: Container, context: Any = None) -> dict[str, str]:
    """`handler` as Lambda invokes it, on `container`."""
    answer: dict[str, str] = handler(event, context, container=container)
    return answer


def invoke_in_environment(handler: Any, event: Any, context: Any = None) -> dict[str, str]:
    """`handler` on a container built now from the environment the test set: for tests that
    change a setting between two calls, as a new Lambda environment would see it."""
    container = environment_container()
    try:
        return invoke(handler, event, container, context)
    finally:
        container.workers.shutdown(wait=False)  # a late body may still finish
