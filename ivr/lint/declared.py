"""A handler's contract read from its source, without importing the handler.

Importing a handler module runs everything a Lambda container runs at init (phonenumbers'
metadata, Powertools, the stores): about 40 % of `ivr lint contact_flows/`. The contract itself
is two models in `models/` (pure data shapes, no I/O), named in the handler's decorator:

    from models.verify_pin import VerifyPinParameters, VerifyPinResponse
    @connect_handler(response=VerifyPinResponse, parameters=VerifyPinParameters)
    def handler(call): ...

so when the source says exactly that, only those `models` modules are imported. Anything else
(another decorator, a model defined elsewhere, a file that is not there or does not parse)
returns None and the caller imports the handler as before. A test checks both ways agree for
every function of template.yaml.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

DECORATOR = "connect_handler"
# `connect_handler`'s default for `parameters` (functions/runtime.py).
DEFAULT_PARAMETERS = ("models.parameters", "NoParameters")


def declared_models(
    root: Path,
    module: str,
    attribute: str,
    importer: Callable[[str], Any] = importlib.import_module,
) -> tuple[Any, Any] | None:
    """(response model, parameters model) of `module.attribute` under `root` (where Lambda
    finds the module: the template's folder), or None when the source doesn't say plainly."""
    try:
        source = (root / Path(*module.split("."))).with_suffix(".py").read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        return None
    imported = _model_imports(tree)
    decorator = _only_decorator(tree, attribute)
    if decorator is None or decorator.args:
        return None
    named = {k.arg: k.value for k in decorator.keywords}
    if set(named) - {"response", "parameters"} or "response" not in named:
        return None
    wanted = {"parameters": DEFAULT_PARAMETERS}
    for keyword, value in named.items():
        if not isinstance(value, ast.Name) or value.id not in imported:
            return None
        wanted[keyword] = imported[value.id]
    try:
        response, parameters = (
            getattr(importer(wanted[k][0]), wanted[k][1]) for k in ("response", "parameters")
        )
    except (ImportError, AttributeError):
        return None
    return response, parameters


def _model_imports(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """Names bound at module level by `from models... import X [as Y]`."""
    names: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module is not None
            and (node.module == "models" or node.module.startswith("models."))
        ):
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
    return names


def _only_decorator(tree: ast.Module, attribute: str) -> ast.Call | None:
    """The `connect_handler(...)` call decorating the module-level function `attribute`, if
    that is its only decorator and nothing else at module level binds the name."""
    found: ast.Call | None = None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == attribute:
            if found is not None or len(node.decorator_list) != 1:
                return None
            call = node.decorator_list[0]
            if not isinstance(call, ast.Call) or _name_of(call.func) != DECORATOR:
                return None
            found = call
        elif _binds(node, attribute):
            return None
    return found


def _name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _binds(node: ast.stmt, name: str) -> bool:
    """Whether a module-level statement other than a def could rebind `name`."""
    if isinstance(node, ast.ClassDef):
        return node.name == name
    if isinstance(node, ast.Import | ast.ImportFrom):
        return any((a.asname or a.name.split(".")[0]) == name for a in node.names)
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        targets = [node.target]
    return any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t))
