"""Import directions and public surfaces, read from the source with `ast` (nothing imported).

Deployed code (`functions/`, `models/`) never imports the toolkit `ivr/`, and `models/` (data
shapes only) imports neither `functions/` nor `ivr/`: otherwise the Lambda artifact, which
ships only `functions/` and `models/`, would fail at import. Each package's `__all__` names
only what the package defines or imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"functions": {"ivr"}, "models": {"functions", "ivr"}}
PACKAGES = ("functions", "models", "ivr")


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    module = _module_name(path)
    return _imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")


def _imports(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in `source`, relative ones resolved."""
    tree = ast.parse(source, filename=module)
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def _top_level(module: str) -> str:
    return module.split(".", 1)[0]


def test_imports_are_found_anywhere_and_relative_ones_resolved() -> None:
    # Guards the reader the direction test relies on: a relative or nested import of ivr
    # must not slip through.
    source = "from ..x import y\nfrom . import z\ndef f():\n    import ivr.cli\n"
    assert [m for _, m in _imports(source, "functions.stores.base", False)] == [
        "functions.x",
        "functions.stores",
        "ivr.cli",
    ]
    assert [m for _, m in _imports("from . import a", "models", True)] == ["models"]
    assert _module_name(ROOT / "functions" / "stores" / "__init__.py") == "functions.stores"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_deployed_packages_import_only_what_ships(package: str) -> None:
    violations = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _sources(package)
        for line, module in _imported_modules(path)
        if _top_level(module) in FORBIDDEN[package]
    ]
    assert not violations, (
        f"{package}/ must not import {sorted(FORBIDDEN[package])} (it ships without them):\n"
        + "\n".join(violations)
    )


def _exports(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            assert node.value is not None
            return [str(item) for item in ast.literal_eval(node.value)]
    return None


def _bound_names(tree: ast.Module) -> set[str]:
    """Names the module binds at top level (also under if/try): defs, assignments, imports."""
    names: set[str] = set()
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".", 1)[0] for a in node.names}
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.If | ast.Try):
            pending += [*node.body, *node.orelse, *getattr(node, "finalbody", [])]
            pending += [s for h in getattr(node, "handlers", []) for s in h.body]
    return names


def _package_inits() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("__init__.py"))


@pytest.mark.parametrize("init", _package_inits(), ids=lambda p: str(p.parent.relative_to(ROOT)))
def test_all_lists_only_names_that_exist(init: Path) -> None:
    tree = ast.parse(init.read_text(encoding="utf-8"), filename=str(init))
    exports = _exports(tree)
    if exports is None:
        pytest.skip(f"{init.relative_to(ROOT)} declares no __all__")
    bound = _bound_names(tree)
    submodules = {p.stem for p in init.parent.glob("*.py")} | {
        p.name for p in init.parent.iterdir() if (p / "__init__.py").is_file()
    }
    missing = [name for name in exports if name not in bound | submodules]
    assert not missing, f"{init.relative_to(ROOT)}: __all__ names undefined {missing}"
    duplicated = sorted({name for name in exports if exports.count(name) > 1})
    assert not duplicated, f"{init.relative_to(ROOT)}: __all__ repeats {duplicated}"
