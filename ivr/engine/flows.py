"""Finding the flow a TransferToFlow or InvokeFlowModule names, among the files beside the
flow being simulated.

Tried in order: the explicit mapping (ARN or placeholder -> file), then a file named after the
reference: `${F:name:F}` / `${M:name:M}` tokens, ivr deploy's `${Flow:name}` / `${Module:name}`
(name, and name with - as _: the manifest's `pin-verification` is `pin_verification.json`),
`${NameArn}` placeholders (Name, its snake_case, and without a Flow/Module suffix), the last
part of an ARN, `%Name%`, or a bare name. A reference that names no file is not an error
here: the block decides what that means. A name is only looked up inside the flows folder:
one that would lead out of it (`..`, a path, a symlink pointing elsewhere) is a FlowError.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from ivr.engine.compiler import CompiledFlow, load_flow
from ivr.errors import FlowError

_TOKEN = re.compile(r"\$\{[FM]:(?P<name>[^:}]+):[FM]\}")
_MANAGED = re.compile(r"^\$\{(?:Flow|Module):(?P<name>[\w.-]+)\}$")
_PLACEHOLDER = re.compile(r"^\$\{(?P<name>\w+?)(?:Arn|Id)?\}$")
_PERCENT = re.compile(r"^%(?P<name>[^%]+?)(?:Arn|Id)?%$")
_SAFE_NAME = re.compile(r"^[\w.-]+$")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def candidate_names(reference: str) -> Iterator[str]:
    reference = reference.strip()
    token = _TOKEN.search(reference)
    if token:
        yield token["name"]
    managed = _MANAGED.match(reference)
    if managed:
        yield managed["name"]
        yield managed["name"].replace("-", "_")
    for pattern in (_PLACEHOLDER, _PERCENT):
        match = pattern.match(reference)
        if match:
            name = match["name"]
            yield name
            yield _snake(name)
            for suffix in ("Flow", "Module"):
                if name.endswith(suffix) and len(name) > len(suffix):
                    yield _snake(name[: -len(suffix)])
    if reference.startswith("arn:") and "/" in reference:
        yield reference.rsplit("/", 1)[1]
    elif _SAFE_NAME.match(reference):
        yield reference.removesuffix(".json")


class FlowLocator:
    def __init__(self, folder: Path, mapping: Mapping[str, str | Path] | None = None) -> None:
        self._folder = folder
        self._mapping = dict(mapping or {})

    def find(self, raw: str, resolved: str) -> CompiledFlow | None:
        for key in (resolved, raw):
            if key in self._mapping:  # given by the user: any file they name
                path = Path(self._mapping[key])
                return load_flow(path if path.is_absolute() else self._folder / path)
        for reference in dict.fromkeys((resolved, raw)):
            for name in candidate_names(reference):
                candidate = self.inside(name, reference)
                if candidate is not None:
                    return load_flow(candidate)
        return None

    def inside(self, name: str, reference: str) -> Path | None:
        """`<name>.json` in the flows folder if it is a file there; FlowError if the name
        leads out of the folder."""
        folder = self._folder.resolve()
        if "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
            raise _outside(reference, folder)
        candidate = folder / f"{name}.json"
        if not candidate.is_file():
            return None
        if not candidate.resolve().is_relative_to(folder):
            raise _outside(reference, folder)
        return candidate


def _outside(reference: str, folder: Path) -> FlowError:
    shown = reference if len(reference) <= 200 else reference[:197] + "..."
    return FlowError(
        f"the flow reference {shown!r} leads outside the flows folder {folder}: name a flow "
        "or module file of that folder (no path, no '..', no symlink out of it)"
    )
