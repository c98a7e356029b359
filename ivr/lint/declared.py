"""A handler's contract read from its source, without importing the handler.

Importing a handler module runs everything a Lambda container runs at init (phonenumbers'
metadata, Powertools, the stores): about 40 % of `ivr lint contact_flows/`. The contract itself
is two models in `models/` (pure data shapes, no I/O), named in the handler's signature:

    from models.verify_pin import VerifyPinParameters, VerifyPinResponse
    @connect_handler
    def handler(call: Invocation[VerifyPinParameters]) -> VerifyPinResponse: ...

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

from models.contract import HandlerContract

DECORATOR = "connect_handler"
# The generic a handler's one parameter is annotated with (functions/runtime.py).
INVOCATION = "Invocation"


def declared_models(
    root: Path,
    module: str,
    attribute: str,
    importer: Callable[[str], Any] = importlib.import_module,
) -> HandlerContract[Any, Any] | None:
    """The contract of `module.attribute` under `root` (where Lambda finds the module: the
    template's folder), or None when the source doesn't say it plainly."""
    try:
        source = (root / Path(*module.split("."))).with_suffix(".py").read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        return None
    imported = _model_imports(tree)
    function = _only_decorated(tree, attribute)
    if function is None:
        return None
    names = _signature_names(function)
    if names is None or not all(name in imported for name in names):
        return None
    parameters_name, response_name = names
    try:
        parameters, response = (
            getattr(importer(imported[n][0]), imported[n][1])
            for n in (parameters_name, response_name)
        )
        return HandlerContract(parameters=parameters, response=response)
    except (ImportError, AttributeError, TypeError):
        return None


def _signature_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, str] | None:
    """(P, R) of `def f(call: Invocation[P]) -> R`, both plain names; else None."""
    arguments = function.args
    if (
        len(arguments.args) != 1
        or arguments.posonlyargs
        or arguments.kwonlyargs
        or arguments.vararg
        or arguments.kwarg
    ):
        return None
    annotation = arguments.args[0].annotation
    returns = function.returns
    if not (
        isinstance(annotation, ast.Subscript)
        and _name_of(annotation.value) == INVOCATION
        and isinstance(annotation.slice, ast.Name)
        and isinstance(returns, ast.Name)
    ):
        return None
    return annotation.slice.id, returns.id


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


def _only_decorated(
    tree: ast.Module, attribute: str
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The module-level function `attribute`, if `@connect_handler` is its only decorator and
    nothing else at module level binds the name."""
    found: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == attribute:
            if found is not None or len(node.decorator_list) != 1:
                return None
            if _name_of(node.decorator_list[0]) != DECORATOR:
                return None
            found = node
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
