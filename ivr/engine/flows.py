"""Finding the flow a TransferToFlow or InvokeFlowModule names, among the files beside the
flow being simulated.

Tried in order: the explicit mapping (ARN or placeholder -> file), then a file named after the
reference: `${F:name:F}` / `${M:name:M}` tokens, ivr deploy's `${Flow:name}` / `${Module:name}`
(name, and name with - as _: the manifest's `pin-verification` is `pin_verification.json`),
`${NameArn}` placeholders (Name, its snake_case, and without a Flow/Module suffix), the last
part of an ARN, `%Name%`, or a bare name. A reference that names no file is not an error
here: the block decides what that means.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from ivr.engine.compiler import CompiledFlow, load_flow

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
            if key in self._mapping:
                path = Path(self._mapping[key])
                return load_flow(path if path.is_absolute() else self._folder / path)
        for reference in dict.fromkeys((resolved, raw)):
            for name in candidate_names(reference):
                candidate = self._folder / f"{name}.json"
                if candidate.is_file():
                    return load_flow(candidate)
        return None
