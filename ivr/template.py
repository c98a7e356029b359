"""Reading template.yaml: which handler each `${<LogicalId>Arn}` placeholder of a flow names.

CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, ...) are read as plain values: the
toolkit only needs the resource graph, never the resolved values.

`ivr lint` reads the template on every run, and PyYAML's import and parse were ~0.5x of
`python -c pass` on its start-up (bench/README.md). So a parsed document that JSON can carry
unchanged is kept as JSON in the user's cache folder, one file per template path, with the
SHA-256 of the bytes it was parsed from: a run whose template has the same bytes reads that
instead of importing PyYAML. Anything else (another content, no cache, an unwritable folder,
a document with dates or non-string keys) parses the YAML as before.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ivr.errors import ToolkitError

if TYPE_CHECKING:
    import yaml

PLACEHOLDER = re.compile(r"\$\{(?P<name>[A-Za-z0-9]+)\}")
FUNCTION_TYPES = frozenset({"AWS::Serverless::Function", "AWS::Lambda::Function"})
# Bumped when what `_parse` makes of the same bytes changes: older entries are then ignored.
_CACHE_FORMAT = 1
CACHE_FOLDER_NAME = "connect-ivr"


@cache
def _loader() -> type[yaml.SafeLoader]:
    """SafeLoader that accepts CloudFormation's intrinsic-function tags; built on first use
    so a run that finds its template in the cache never imports PyYAML."""
    import yaml

    # libyaml's parser when PyYAML was built with it (its wheels are): the pure-Python
    # parser takes ~8x as long (~50 ms).
    safe_loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _CfnLoader(safe_loader):  # type: ignore[valid-type,misc]
        pass

    _CfnLoader.add_multi_constructor("!", _intrinsic)
    return _CfnLoader


def _intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:  # PyYAML's composer builds only the three kinds above
        raise yaml.constructor.ConstructorError(None, None, f"unexpected node {node!r}")
    name = tag_suffix if tag_suffix in ("Ref", "Condition") else f"Fn::{tag_suffix}"
    return {name: value}


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    handler: str  # "package.module.attribute", as Lambda's Python runtime reads it

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def attribute(self) -> str:
        return self.handler.rsplit(".", 1)[1]

    @property
    def placeholder(self) -> str:
        return "${" + self.logical_id + "Arn}"


def load_template(path: str | Path) -> dict[str, Any]:
    """The template as a document (a new one each call: callers may change theirs)."""
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise ToolkitError(f"cannot read template {path}: {exc.strerror}") from exc
    digest = hashlib.sha256(content).hexdigest()
    entry = _cache_file(path)
    cached = _read_cache(entry, digest) if entry is not None else None
    if cached is not None:
        return cached
    document = _parse(path, content)
    if entry is not None:
        _write_cache(entry, digest, document)
    return document


def _parse(path: str | Path, content: bytes) -> dict[str, Any]:
    """The document of `content` (the bytes the cache entry will be keyed on), read as
    `open(path, encoding="utf-8")` would give it to PyYAML."""
    import yaml

    # Universal newlines, as a file opened in text mode; the stream's name is what PyYAML's
    # error marks show, as they did when it read the file itself.
    stream = io.StringIO(content.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"))
    stream.name = str(path)
    try:
        document = yaml.load(stream, Loader=_loader())
    except yaml.YAMLError as exc:
        raise ToolkitError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise ToolkitError(f"{path} is not a CloudFormation template (no mapping at top level)")
    return document


def cache_folder() -> Path:
    """Where parsed templates are kept: $XDG_CACHE_HOME/connect-ivr, else ~/.cache/..."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / CACHE_FOLDER_NAME


def _cache_file(path: str | Path) -> Path | None:
    try:
        where = str(Path(path).resolve())
        name = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return cache_folder() / f"template-{name}.json"
    except (OSError, RuntimeError, ValueError):  # no home folder, say: parse every time
        return None


def _read_cache(entry: Path, digest: str) -> dict[str, Any] | None:
    """The document cached for these bytes, or None (absent, stale, unreadable)."""
    try:
        cached = json.loads(entry.read_bytes())
    except (OSError, ValueError):
        return None
    if (
        not isinstance(cached, dict)
        or cached.get("format") != _CACHE_FORMAT
        or cached.get("sha256") != digest
        or not isinstance(cached.get("document"), dict)
    ):
        return None
    document: dict[str, Any] = cached["document"]
    return document


def _write_cache(entry: Path, digest: str, document: dict[str, Any]) -> None:
    """Keep `document` for the next run when JSON gives it back exactly; never fails."""
    try:
        text = json.dumps({"format": _CACHE_FORMAT, "sha256": digest, "document": document})
        if json.loads(text)["document"] != document:  # int keys, NaN, ...: not cacheable
            return
        entry.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a concurrent run reads the old entry or the new one.
        partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, entry)
    except (OSError, TypeError, ValueError, RecursionError):
        return


@cache
def functions_in(path: Path) -> dict[str, FunctionSpec]:
    """The template's Lambda functions by logical id (Globals' Handler applies)."""
    document = load_template(path)
    global_handler = (((document.get("Globals") or {}).get("Function")) or {}).get("Handler")
    specs: dict[str, FunctionSpec] = {}
    for logical_id, resource in (document.get("Resources") or {}).items():
        if not isinstance(resource, dict) or resource.get("Type") not in FUNCTION_TYPES:
            continue
        handler = (resource.get("Properties") or {}).get("Handler") or global_handler
        if isinstance(handler, str) and "." in handler:
            specs[logical_id] = FunctionSpec(logical_id, handler)
    return specs


def function_for_placeholder(arn: str, template: Path) -> FunctionSpec | None:
    """`${IdentifyCallerFunctionArn}` -> the IdentifyCallerFunction spec, else None."""
    match = PLACEHOLDER.fullmatch(arn.strip())
    if not match or not match["name"].endswith("Arn"):
        return None
    return functions_in(template.resolve()).get(match["name"][: -len("Arn")])


def find_template(start: str | Path) -> Path | None:
    """The template.yaml of the project a flow lies in: searched upward from `start`."""
    here = Path(start).resolve()
    for folder in [here, *here.parents] if here.is_dir() else here.parents:
        candidate = folder / "template.yaml"
        if candidate.is_file():
            return candidate
    return None
