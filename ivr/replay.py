"""Replaying recorded Lambda invocations against today's handlers, key by key.

A recording is one JSON file:

    {
      "function": "IdentifyCallerFunction",      a template.yaml logical id, its
                                                 ${IdentifyCallerFunctionArn} placeholder,
                                                 or module:function
      "event": {"Name": "ContactFlowEvent", "Details": {...}},   the event Connect sent
      "response": {"customerFound": "true", ...},                the answer recorded then
      "description": "optional, shown in reports"
    }

`replay(paths, jobs=N)` runs them on a process pool (each worker imports a handler once and
keeps it); `jobs=1` runs them in this process. Handlers run under the same time-limit guard as
in the simulator (the engine's watchdog, 8 s: Connect's ceiling) with their INFO logs
silenced, so a report on stdout stays readable.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ivr.engine.lambdas import (
    MAX_TIME_LIMIT_S,
    Handler,
    SimulatedContext,
    function_name,
    import_handler,
    quiet_handler_logs,
)
from ivr.engine.watchdog import WATCHDOG, HandlerTimedOut
from ivr.errors import ToolkitError
from ivr.template import PLACEHOLDER, find_template, functions_in

RECORDING_KEYS = ("function", "event", "response")
DifferenceKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Recording:
    path: Path
    function: str
    event: dict[str, Any]
    response: dict[str, Any]
    description: str = ""


@dataclass(frozen=True)
class Difference:
    """One key whose replayed answer is not the recorded one."""

    key: str
    kind: DifferenceKind  # added: only in the replay; removed: only in the recording
    recorded: Any = None
    replayed: Any = None

    def describe(self) -> str:
        match self.kind:
            case "added":
                return f"added   {self.key}: {self.replayed!r}"
            case "removed":
                return f"removed {self.key}: was {self.recorded!r}"
        return f"changed {self.key}: {self.recorded!r} -> {self.replayed!r}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "recorded": self.recorded,
            "replayed": self.replayed,
        }


@dataclass(frozen=True)
class ReplayResult:
    recording: str  # the file, as given or found
    function: str
    differences: tuple[Difference, ...] = ()
    error: str | None = None  # the handler raised, overran, or answered something not an object
    description: str = ""
    response: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def matched(self) -> bool:
        return self.error is None and not self.differences

    def to_dict(self) -> dict[str, Any]:
        return {
            "recording": self.recording,
            "function": self.function,
            "matched": self.matched,
            "error": self.error,
            "differences": [d.to_dict() for d in self.differences],
        }


def find_recordings(targets: Iterable[str | Path]) -> list[Path]:
    """Every *.json under each folder (recursively, sorted), and each file given as is."""
    found: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.json") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise ToolkitError(f"{target}: no such file or folder of recordings")
    if not found:
        raise ToolkitError(
            "no recordings found (*.json files holding function, event and response)"
        )
    return found


def load_recording(path: Path) -> Recording:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ToolkitError(f"cannot read recording {path}: {exc.strerror}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ToolkitError(f"recording {path} is not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise ToolkitError(f"recording {path} is not a JSON object")
    missing = [key for key in RECORDING_KEYS if key not in document]
    if missing:
        raise ToolkitError(
            f"recording {path} has no {', '.join(missing)}: a recording is "
            '{"function": ..., "event": {...}, "response": {...}}'
        )
    function, event, response = (document[key] for key in RECORDING_KEYS)
    if not isinstance(function, str) or not function.strip():
        raise ToolkitError(f"recording {path}: function must name a handler")
    if not isinstance(event, dict) or not isinstance(response, dict):
        raise ToolkitError(f"recording {path}: event and response must be JSON objects")
    return Recording(path, function.strip(), event, response, str(document.get("description", "")))


def compare(recorded: dict[str, Any], replayed: dict[str, Any]) -> tuple[Difference, ...]:
    """Key by key, in the recording's order then the replay's new keys."""
    differences = []
    for key, was in recorded.items():
        if key not in replayed:
            differences.append(Difference(key, "removed", recorded=was))
        elif replayed[key] != was:
            differences.append(Difference(key, "changed", was, replayed[key]))
    differences.extend(
        Difference(key, "added", replayed=now)
        for key, now in replayed.items()
        if key not in recorded
    )
    return tuple(differences)


# One per process: a worker imports each handler once and keeps it for every recording.
_handlers: dict[tuple[str, str | None], Handler] = {}


def resolve_handler(function: str, template: Path | None) -> Handler:
    """`module:function`, a template logical id, or its `${IdArn}` placeholder."""
    key = (function, str(template) if template else None)
    if key not in _handlers:
        _handlers[key] = _resolve(function, template)
    return _handlers[key]


def _resolve(function: str, template: Path | None) -> Handler:
    if ":" in function and not PLACEHOLDER.fullmatch(function):
        module, _, attribute = function.partition(":")
        return import_handler(module, attribute, function)
    if template is None:
        raise ToolkitError(
            f"{function}: no template.yaml found to resolve it; give --template or name the "
            "handler as module:function"
        )
    logical_id = function_name(function)  # ${XArn} -> X
    spec = functions_in(template.resolve()).get(logical_id)
    if spec is None:
        known = ", ".join(sorted(functions_in(template.resolve()))) or "none"
        raise ToolkitError(f"{function} is not a function of {template} (functions: {known})")
    return import_handler(spec.module, spec.attribute, function)


def replay_one(path: Path, template: Path | None) -> ReplayResult:
    """Run one recording's event through its handler and compare the answers."""
    recording = load_recording(path)
    handler = resolve_handler(recording.function, template)
    name = function_name(recording.function)
    context = SimulatedContext(name, recording.function, MAX_TIME_LIMIT_S)
    result = ReplayResult(str(path), recording.function, description=recording.description)
    try:
        with quiet_handler_logs():
            answer = WATCHDOG.call(MAX_TIME_LIMIT_S, handler, recording.event, context)
    except HandlerTimedOut:
        return _with(result, error=f"handler did not answer within {MAX_TIME_LIMIT_S:g} s")
    except Exception as exc:
        return _with(result, error=f"handler raised {type(exc).__name__}: {exc}")
    if not isinstance(answer, dict):
        return _with(result, error=f"handler answered {type(answer).__name__}, not a JSON object")
    return _with(result, differences=compare(recording.response, answer), response=answer)


def _with(result: ReplayResult, **changes: Any) -> ReplayResult:
    return ReplayResult(**{**result.__dict__, **changes})


def replay(
    paths: Sequence[Path], *, jobs: int | None = None, template: Path | None = None
) -> list[ReplayResult]:
    """Every recording replayed, in the order given. `jobs` worker processes (default: one per
    CPU); 1 replays here, in this process."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    template = template or find_template(Path.cwd())
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")  # no EMF blob per answer
    if workers == 1:
        return [replay_one(path, template) for path in paths]
    # spawn: a worker starts clean, without this process's open connections or threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        chunk = max(1, len(paths) // (workers * 4))
        return list(pool.map(replay_one, paths, [template] * len(paths), chunksize=chunk))
