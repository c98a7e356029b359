"""No module-level mutable state in functions/, and no test replacing a part of functions/.

Read from the source with `ast` (nothing imported). A Lambda environment's state lives in its
container (functions/container.py), built once at init and passed to each invocation; a test
builds its own. So in functions/:

* no `global` statement and no `functools.cache`/`lru_cache` (a cache is state that outlives
  the call and that a test must reset), and no dict, list or set in a class body (one object
  every instance shares), but the few process-wide things below, each with its reason;
* a module-level name bound to a mutable value (a dict, list or set display, an object built
  by a call) is either a CONSTANT that nothing in functions/ ever changes (no item or
  attribute assignment, augmented assignment, `del` or mutating method call on it), or one of
  the few process-wide things below, each with its reason.

And in tests/: no `monkeypatch.setattr`/`delattr`, `mock.patch`/`patch.object` of a module of
functions/ or of anything imported from one, and no `cache_clear()` of a cache there; a test
reaches a part through an explicit seam (a container field, a constructor argument, a settings
value, an environment variable).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (module, name): why this one thing may be process-wide. An entry that no longer matches
# anything fails the test, so the list only shrinks with the code.
ALLOWED: dict[tuple[str, str], str] = {
    ("functions.container", "environment"): "the container built at init, the one allowed",
    ("functions.observability", "logger"): "Powertools' Logger: logging's registry keeps one "
    "per service name for the process anyway; its correlation id is a ContextVar",
    ("functions.observability", "metrics"): "Powertools' Metrics: its metric set is shared by "
    "every instance in the process anyway (flushed per invocation by the runtime)",
    ("functions.cold_start", "_paused"): "the collector pause belongs to the process (gc is "
    "process-wide), set at the first import and lifted after the first answer",
    ("functions.pins", "decoy_hash"): "a memo of one decoy hash per scrypt cost: built at "
    "init, never changed, holds no configuration",
    ("functions.stores.dynamodb.client", "dynamodb_only_endpoints_loader"): "a memo of the "
    "JSON files botocore ships (no credentials, configuration or connection)",
    ("functions.aws_clients", "package_data_loader"): "a memo of the JSON files botocore "
    "ships (no credentials, configuration or connection)",
    ("functions.business_hours", "time_zone"): "a memo of the IANA zone of a name (zoneinfo "
    "caches them itself)",
    ("functions.business_hours", "holiday_calendar"): "a memo of public holiday data per "
    "country and language, the same for every caller",
    ("functions.business_hours", "_package_calendar"): "a memo of public holiday data per "
    "country and language, the same for every caller",
    ("functions.tracing", "_daemon"): "the UDP socket to the X-Ray daemon whose address "
    "Lambda gives the process; best-effort sends, no state a call reads back",
}
# Callables whose result is immutable or per-context: a module-level name may hold one.
IMMUTABLE_RESULTS = {
    "TypeVar",
    "ParamSpec",
    "ContextVar",  # a value per context (per invocation), not shared between calls
    "frozenset",
    "tuple",
    "re.compile",
    "logging.getLogger",  # logging's own registry, configured by functions/observability.py
}
MUTATING_METHODS = {
    "append",
    "extend",
    "insert",
    "remove",
    "pop",
    "popitem",
    "clear",
    "update",
    "setdefault",
    "add",
    "discard",
    "sort",
    "reverse",
    "appendleft",
}
CACHES = {"cache", "lru_cache", "functools.cache", "functools.lru_cache"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    module: str
    name: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.name}: {self.what}"


def _module_name(relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run at import: the module's, and those inside its top-level if/try/with."""
    for node in body:
        if isinstance(node, ast.If | ast.Try | ast.With):
            yield from _top_level(node.body)
            yield from _top_level(getattr(node, "orelse", []))
            yield from _top_level(getattr(node, "finalbody", []))
            for handler in getattr(node, "handlers", []):
                yield from _top_level(handler.body)
        else:
            yield node


def _is_constant_name(name: str) -> bool:
    return name.lstrip("_").isupper() or (len(name.lstrip("_")) == 1 and name.lstrip("_").isupper())


_DISPLAYS = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)


def _may_be_mutable(value: ast.expr) -> bool:
    if isinstance(value, ast.Constant | ast.Lambda | ast.JoinedStr):
        return False
    if isinstance(value, ast.Tuple):
        return any(_may_be_mutable(item) for item in value.elts)
    if isinstance(value, ast.Call):
        return ast.unparse(value.func) not in IMMUTABLE_RESULTS
    # Names and attributes alias something bound elsewhere (checked there); a display or
    # comprehension builds a new dict, list or set.
    return isinstance(value, _DISPLAYS)


def module_state(path: Path, source: str) -> tuple[list[Finding], dict[str, int]]:
    """(state found, the module's constants bound to mutable values: name -> line), for the
    module at `path` (relative to the project root)."""
    module = _module_name(path)
    relative = str(path)
    tree = ast.parse(source, filename=relative)
    findings: list[Finding] = []
    constants: dict[str, int] = {}
    for node in _top_level(tree.body):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if not isinstance(target, ast.Name) or target.id == "__all__":
                    continue
                if not _may_be_mutable(node.value):
                    continue
                if _is_constant_name(target.id):
                    constants[target.id] = node.lineno
                else:
                    findings.append(
                        Finding(relative, node.lineno, module, target.id, "module-level object")
                    )
    for found in ast.walk(tree):
        if isinstance(found, ast.ClassDef):
            # A dict, list or set in a class body is one object every instance shares.
            for statement in found.body:
                if isinstance(statement, ast.Assign):
                    target, value = statement.targets[0], statement.value
                elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                    target, value = statement.target, statement.value
                else:
                    continue
                if isinstance(value, _DISPLAYS):
                    name = f"{found.name}.{ast.unparse(target)}"
                    findings.append(
                        Finding(relative, statement.lineno, module, name, "class-level object")
                    )
        if isinstance(found, ast.Global):
            for name in found.names:
                findings.append(Finding(relative, found.lineno, module, name, "global statement"))
        elif isinstance(found, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in found.decorator_list:
                called = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(called) in CACHES:
                    findings.append(
                        Finding(relative, found.lineno, module, found.name, "cache decorator")
                    )
    return findings, constants


def mutations(source: str, names: set[str]) -> list[tuple[int, str]]:
    """(line, name) where code changes one of `names` in place (or rebinds it in a function)."""
    found: list[tuple[int, str]] = []

    def root(node: ast.expr) -> str | None:
        while isinstance(node, ast.Subscript | ast.Attribute):
            node = node.value
        return node.id if isinstance(node, ast.Name) and node.id in names else None

    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.stmt | ast.expr):
            continue
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = [t for t in node.targets if not isinstance(t, ast.Name)]
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATING_METHODS
        ):
            targets = [node.func.value]
        for target in targets:
            name = root(target)
            if name is not None and not (
                isinstance(node, ast.AnnAssign) and isinstance(target, ast.Name)
            ):
                found.append((node.lineno, name))
    return found


def _functions_sources() -> list[Path]:
    return sorted((ROOT / "functions").rglob("*.py"))


def _scan_functions() -> tuple[list[Finding], list[str]]:
    """(state not allowed, constants changed somewhere) over the whole package."""
    findings: list[Finding] = []
    constants: dict[str, str] = {}  # name -> where it is bound
    sources = {path: path.read_text(encoding="utf-8") for path in _functions_sources()}
    for path, source in sources.items():
        found, bound = module_state(path.relative_to(ROOT), source)
        findings += found
        for name, line in bound.items():
            constants[name] = f"{path.relative_to(ROOT)}:{line}"
    changed = [
        f"{path.relative_to(ROOT)}:{line} changes {name} (bound at {constants[name]})"
        for path, source in sources.items()
        for line, name in mutations(source, set(constants))
    ]
    return findings, changed


def test_functions_keep_no_module_level_state_but_the_allowed() -> None:
    findings, _ = _scan_functions()
    unexplained = [str(f) for f in findings if (f.module, f.name) not in ALLOWED]
    assert unexplained == [], (
        "state outside the container: move it into functions/container.py (or the Stores), "
        "or add it to ALLOWED with the reason it must be process-wide"
    )


def test_every_allowed_entry_is_still_there() -> None:
    findings, _ = _scan_functions()
    present = {(f.module, f.name) for f in findings}
    assert sorted(set(ALLOWED) - present) == []


def test_module_constants_are_never_changed() -> None:
    _, changed = _scan_functions()
    assert changed == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("_seen = {}\n", ["_seen: module-level object"]),
        ("seen: list[str] = []\n", ["seen: module-level object"]),
        ("client = make_client()\n", ["client: module-level object"]),
        (
            "try:\n    pool = Pool()\nexcept ImportError:\n    pool = None\n",
            ["pool: module-level object"],
        ),
        ("def f():\n    global n\n    n = 1\n", ["n: global statement"]),
        ("import functools\n@functools.cache\ndef f(): ...\n", ["f: cache decorator"]),
        (
            "from functools import lru_cache\n@lru_cache(maxsize=2)\ndef f(): ...\n",
            ["f: cache decorator"],
        ),
        ("T = TypeVar('T')\n_x = ContextVar('x')\nNAME = 'a'\n_CODES = frozenset({1})\n", []),
        ("def f():\n    local = {}\n    return local\n", []),
        ("class Pool:\n    _open: dict[str, int] = {}\n", ["Pool._open: class-level object"]),
        ("class Pool:\n    limit = 3\n    def __init__(self):\n        self.open = {}\n", []),
    ],
)
def test_the_scan_finds_module_state(source: str, expected: list[str]) -> None:
    # Guards the reader the rule relies on: each shape of module state is seen, and what is
    # not state (locals, immutable values, constants) is not.
    findings, _ = module_state(Path("functions/example.py"), source)
    assert [f"{f.name}: {f.what}" for f in findings] == expected


def test_the_scan_finds_a_changed_constant() -> None:
    source = (
        "CODES = {'a': 1}\nLIMITS = []\n"
        "def f():\n    CODES['b'] = 2\n    LIMITS.append(1)\n    other = {}\n    other['x'] = 1\n"
    )
    _, constants = module_state(Path("functions/example.py"), source)
    assert constants == {"CODES": 1, "LIMITS": 2}
    assert mutations(source, set(constants)) == [(4, "CODES"), (5, "LIMITS")]


# --- tests never replace a part of functions/ -------------------------------------------------

PATCHERS = {"setattr", "delattr", "patch", "patch.object", "object", "setitem", "delitem"}


def _from_functions(tree: ast.Module) -> set[str]:
    """Names bound in a test module to a functions/ module or to something imported from one."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "functions":
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "functions":
                    names.add(alias.asname or alias.name.split(".")[0])
    return names


def patches_of_functions(source: str) -> list[tuple[int, str]]:
    """(line, call) for each monkeypatch/mock call whose target is in functions/, and each
    `cache_clear()` of a cache there."""
    tree = ast.parse(source)
    imported = _from_functions(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
        if owner.endswith("patch") and called == "object":
            called = "patch.object"
        if called == "cache_clear" and isinstance(func, ast.Attribute):
            # pins.decoy_hash.cache_clear(): module state reset from outside.
            target: ast.expr = func.value
            while isinstance(target, ast.Attribute | ast.Subscript):
                target = target.value
            if isinstance(target, ast.Name) and target.id in imported:
                found.append((node.lineno, ast.unparse(node)[:120]))
            continue
        if called not in PATCHERS or not node.args:
            continue
        target = node.args[0]
        if called in {"setitem", "delitem"}:
            # monkeypatch.setitem(sys.modules, "functions.x", ...): a module replaced.
            key = node.args[1] if len(node.args) > 1 else None
            hit = (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and key.value.split(".")[0] == "functions"
            )
        elif isinstance(target, ast.Constant) and isinstance(target.value, str):
            hit = target.value.split(".")[0] == "functions"
        else:
            while isinstance(target, ast.Attribute | ast.Subscript):
                target = target.value
            hit = isinstance(target, ast.Name) and target.id in imported
        if hit:
            found.append((node.lineno, ast.unparse(node)[:120]))
    return found


def test_no_test_replaces_a_part_of_functions() -> None:
    this = Path(__file__).resolve()
    found = [
        f"{path.relative_to(ROOT)}:{line} {call}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.resolve() != this
        for line, call in patches_of_functions(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "give the test a seam (container, constructor, settings) instead"


@pytest.mark.parametrize(
    ("source", "hits"),
    [
        ("from functions import pins\nmonkeypatch.setattr(pins, '_scrypt', f)\n", 1),
        (
            "from functions.stores.sql.database import SqlDatabase\n"
            "monkeypatch.setattr(SqlDatabase, 'execute', f)\n",
            1,
        ),
        ("import functions.observability as o\nmonkeypatch.setattr(o.metrics, 'x', f)\n", 1),
        ("monkeypatch.setattr('functions.clock.now', f)\n", 1),
        ("with mock.patch('functions.runtime.WORKERS', 1): ...\n", 1),
        ("from functions import pins\nwith mock.patch.object(pins, 'x'): ...\n", 1),
        ("monkeypatch.setitem(sys.modules, 'functions.tracing', None)\n", 1),
        ("from moto.dynamodb.models import B\nmonkeypatch.setattr(B, 'get_item', f)\n", 0),
        ("monkeypatch.setattr(client, 'close', f)\nmonkeypatch.setenv('IVR_X', '1')\n", 0),
        ("monkeypatch.setitem(sys.modules, 'snapshot_restore_py', m)\n", 0),
        ("from functions.stores.dynamodb import client\nclient._session.cache_clear()\n", 1),
        ("import functools\n@functools.cache\ndef mine(): ...\nmine.cache_clear()\n", 0),
    ],
)
def test_the_scan_finds_patches_of_functions(source: str, hits: int) -> None:
    assert len(patches_of_functions(source)) == hits
