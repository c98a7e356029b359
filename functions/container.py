"""One Lambda environment's dependencies, built once and handed to every invocation.

    container = Container.from_env()                 # once per environment, at init
    handler(event, context)                          # Lambda: the environment's container
    handler(event, container=Container.build(...))   # tests, the simulator: their own

A function body reaches everything it depends on through `call.container` (functions/runtime.py
`Invocation`): the settings, the clock, the stores, the AWS clients, the logger and metrics, and
the worker pool the runtime runs bodies on. Nothing in a function module is replaced to test
it: a test builds a container with what it needs (a fixed clock, stores on its own database,
stubbed AWS clients, quick settings).

`environment()` is the one container the process keeps: built in Lambda's init
(functions/snapstart.py) or on the first invocation, from the IVR_* variables, and never
rebuilt; the environment of a Lambda does not change under it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from functions import observability
from functions.clock import Clock, system_clock
from functions.config import RuntimeSettings

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics

    from functions.stores.bundle import Stores

__all__ = ["AwsClients", "Container", "Environment", "environment"]

T = TypeVar("T")

# Bodies run on worker threads so the runtime can answer when the deadline passes even if a
# store call hangs. Lambda runs one invocation per environment at a time; a few workers cover
# a body still finishing after its deadline while the next invocation starts.
WORKERS = 4


class AwsClients:
    """The AWS service clients of one container, each built on first use (functions/
    aws_clients.py: botocore, time-outs, no SDK retries) and reused; a test hands in its own
    (a client wrapped in botocore's Stubber) by service name. Each call is an X-Ray subsegment
    when the invocation is traced (functions/tracing.py)."""

    def __init__(self, given: dict[str, Any] | None = None) -> None:
        from functions.tracing import instrument

        self._clients: dict[str, Any] = {
            service: instrument(client) for service, client in (given or {}).items()
        }
        self._session: Any = None  # botocore's, built with the first client
        self._lock = threading.Lock()

    def client(self, service: str) -> Any:
        """The client of `service` ("stepfunctions", "connect", "sqs", ...)."""
        with self._lock:
            if service not in self._clients:
                from functions.aws_clients import new_client, new_session
                from functions.tracing import instrument

                if self._session is None:
                    self._session = new_session()
                self._clients[service] = instrument(new_client(service, self._session))
            return self._clients[service]


@dataclass(frozen=True)
class Container:
    """Everything an invocation depends on; one per Lambda environment (or per test)."""

    settings: RuntimeSettings
    clock: Clock
    stores: Stores
    aws: AwsClients
    logger: Logger
    metrics: Metrics
    workers: ThreadPoolExecutor
    # What a function builds once from the container (its own configuration): `shared`.
    _shared: dict[Callable[[Container], Any], Any] = field(
        default_factory=dict, repr=False, compare=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def from_env(cls) -> Container:
        """The container the IVR_* variables describe (functions/config.py, README.md)."""
        from functions.stores.bundle import Stores

        return cls.build(settings=RuntimeSettings.from_env(), stores=Stores.from_env())

    @classmethod
    def build(
        cls,
        *,
        settings: RuntimeSettings | None = None,
        clock: Clock = system_clock,
        stores: Stores | None = None,
        aws: AwsClients | None = None,
    ) -> Container:
        """A container of these parts; what is not given is the default (stores: the
        embedded SQLite file, settings: 3 s limit, 300 ms margin, JP)."""
        if stores is None:
            from functions.stores.bundle import Stores

            stores = Stores()
        return cls(
            settings=settings or RuntimeSettings(),
            clock=clock,
            stores=stores,
            aws=aws or AwsClients(),
            logger=observability.logger(),
            metrics=observability.metrics(),
            workers=ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="ivr-handler"),
        )

    def shared(self, build: Callable[[Container], T]) -> T:
        """`build(self)`, run once per container: a function's configuration, read at its
        first call (a wrong value answered where the flow can branch on it), then kept."""
        with self._lock:
            if build not in self._shared:
                self._shared[build] = build(self)
            value: T = self._shared[build]
            return value

    def close(self) -> None:
        """Let running bodies finish, then close the stores' connections (tests, shutdown)."""
        self.workers.shutdown(wait=True)
        self.stores.close()


class Environment:
    """The process's one container, built from the environment on first use."""

    def __init__(self) -> None:
        self._container: Container | None = None
        self._lock = threading.Lock()
        # functions/snapstart.py registers its runtime hooks once per environment.
        self.snapshot_hooks_registered = False

    def __call__(self) -> Container:
        with self._lock:
            if self._container is None:
                self._container = Container.from_env()
            return self._container

    def built(self) -> Container | None:
        """The container if it was built, else None (nothing is built)."""
        with self._lock:
            return self._container


environment = Environment()
