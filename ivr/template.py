"""Reading template.yaml: which handler each `${<LogicalId>Arn}` placeholder of a flow names.

CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, ...) are read as plain values: the
toolkit only needs the resource graph, never the resolved values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ivr.errors import ToolkitError

PLACEHOLDER = re.compile(r"\$\{(?P<name>[A-Za-z0-9]+)\}")
FUNCTION_TYPES = frozenset({"AWS::Serverless::Function", "AWS::Lambda::Function"})


# libyaml's parser when PyYAML was built with it (its wheels are): template.yaml is read on
# every `ivr lint`, and the pure-Python parser takes ~8x as long (~50 ms).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CfnLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that accepts CloudFormation's intrinsic-function tags."""


def _intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    name = tag_suffix if tag_suffix in ("Ref", "Condition") else f"Fn::{tag_suffix}"
    return {name: value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


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
    try:
        with open(path, encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=_CfnLoader)
    except OSError as exc:
        raise ToolkitError(f"cannot read template {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ToolkitError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise ToolkitError(f"{path} is not a CloudFormation template (no mapping at top level)")
    return document


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
