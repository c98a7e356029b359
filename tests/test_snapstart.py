"""Init-phase warm-up and the SnapStart hooks: only in Lambda, never failing an import."""

from __future__ import annotations

import functools
import gc
import sys
import types
from collections.abc import Callable
from typing import Any

import pytest

from functions import cold_start, snapstart
from functions.container import Container, Environment
from models.identify_caller import IdentifyCallerResponse
from models.parameters import ConnectParameters, NoParameters
from models.response import ConnectResponse


@pytest.fixture
def runtime_hooks(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Callable[[], Any]]]:
    """A stand-in for the Lambda runtime's snapshot_restore_py, recording registrations."""
    registered: dict[str, list[Callable[[], Any]]] = {"before": [], "after": []}
    module = types.ModuleType("snapshot_restore_py")
    module.register_before_snapshot = registered["before"].append  # type: ignore[attr-defined]
    module.register_after_restore = registered["after"].append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", module)
    return registered


def in_lambda_on_dynamodb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cold_start.LAMBDA_MARKER, "identify-caller")
    monkeypatch.setenv("IVR_STORE_BACKEND", "dynamodb")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-northeast-1")


def test_outside_lambda_nothing_is_built_or_registered(
    monkeypatch: pytest.MonkeyPatch, runtime_hooks: dict[str, list[Any]]
) -> None:
    monkeypatch.delenv(cold_start.LAMBDA_MARKER, raising=False)
    monkeypatch.setenv("IVR_STORE_BACKEND", "dynamodb")
    environment = Environment()
    snapstart.prepare(IdentifyCallerResponse, NoParameters, environment)
    assert environment.built() is None
    assert runtime_hooks == {"before": [], "after": []}


def test_in_lambda_the_client_is_built_and_the_hooks_registered_once(
    monkeypatch: pytest.MonkeyPatch, runtime_hooks: dict[str, list[Any]]
) -> None:
    in_lambda_on_dynamodb(monkeypatch)
    environment = Environment()
    snapstart.prepare(IdentifyCallerResponse, NoParameters, environment)
    snapstart.prepare(IdentifyCallerResponse, NoParameters, environment)
    assert environment().stores.built_dynamodb_client() is not None
    assert runtime_hooks["before"] == [snapstart.before_snapshot]
    [after] = runtime_hooks["after"]
    assert isinstance(after, functools.partial)
    assert after.func is snapstart.after_restore and after.args == (environment,)


def test_warm_builds_the_deferred_models_a_first_invocation_uses() -> None:
    # Response and parameter models defer their build (`ivr lint` only reads their fields):
    # warm, run during Lambda's init, is what keeps that work off the first invocation.
    class Answer(ConnectResponse):
        greeting: str = ""

    class Asked(ConnectParameters):
        name: str

    assert not Answer.__pydantic_complete__
    assert not Asked.__pydantic_complete__
    snapstart.warm(Answer, Asked, Container.build())
    assert Answer.__pydantic_complete__
    assert Asked.__pydantic_complete__


def test_a_failing_warm_up_never_fails_the_import(
    monkeypatch: pytest.MonkeyPatch, runtime_hooks: dict[str, list[Any]]
) -> None:
    in_lambda_on_dynamodb(monkeypatch)
    monkeypatch.setenv("IVR_STORE_BACKEND", "neither")  # ConfigurationError in warm()
    snapstart.prepare(IdentifyCallerResponse, NoParameters, Environment())
    assert [hook.func for hook in runtime_hooks["after"]] == [snapstart.after_restore]


def test_without_the_runtime_library_no_hook_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    in_lambda_on_dynamodb(monkeypatch)
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import raises ImportError
    environment = Environment()
    snapstart.prepare(IdentifyCallerResponse, NoParameters, environment)
    assert environment.snapshot_hooks_registered is False


def test_before_snapshot_resumes_a_paused_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cold_start.LAMBDA_MARKER, "identify-caller")
    cold_start.pause_collection()
    try:
        snapstart.before_snapshot()
        assert gc.isenabled() and not cold_start.collection_paused()
    finally:
        cold_start.resume_collection()
        gc.enable()
        gc.unfreeze()


def test_after_restore_closes_the_client_s_connections_and_keeps_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    in_lambda_on_dynamodb(monkeypatch)
    environment = Environment()
    client = environment().stores.dynamodb_client()
    closed: list[bool] = []
    monkeypatch.setattr(client, "close", lambda: closed.append(True))
    snapstart.after_restore(environment)
    assert closed == [True]
    assert environment().stores.dynamodb_client() is client


def test_after_restore_builds_no_client_that_was_not_built(monkeypatch: pytest.MonkeyPatch) -> None:
    in_lambda_on_dynamodb(monkeypatch)
    environment = Environment()
    snapstart.after_restore(environment)
    assert environment().stores.built_dynamodb_client() is None
