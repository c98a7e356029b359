"""A corpus of corrupted flow files, made deterministically from real flows: truncated, types
flipped, keys deleted, nested thousands deep, huge strings, wrong encodings."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((REPO / "contact_flows").glob("*_*.json")),
    REPO / "tests" / "engine" / "flows" / "menu.json",
    REPO / "tests" / "lint" / "fixture_project" / "contact_flows" / "valid.json",
]
_ODD_VALUES: tuple[Any, ...] = (None, True, -1, 1.5, "", "x" * 300, [], {}, [[]], {"a": {}})


def _slots(document: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in `document`, found without recursion."""
    found: list[tuple[Any, Any]] = []
    pending = [document]
    while pending:
        node = pending.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            found.append((node, key))
            if isinstance(value, dict | list):
                pending.append(value)
    return found


def _flip(rng: random.Random, document: Any) -> bytes:
    container, key = rng.choice(_slots(document))
    container[key] = rng.choice(_ODD_VALUES)
    return json.dumps(document).encode()


def _delete(rng: random.Random, document: Any) -> bytes:
    dicts = [(c, k) for c, k in _slots(document) if isinstance(c, dict)]
    container, key = rng.choice(dicts)
    del container[key]
    return json.dumps(document).encode()


def _deep(rng: random.Random, document: Any) -> bytes:
    container, key = rng.choice(_slots(document))
    depth = rng.choice((100, 500, 1_000, 5_000, 100_000))
    opener, closer = rng.choice((("[", "]"), ('{"a":', "}")))
    container[key] = "__DEEP__"
    deep = opener * depth + "1" + closer * depth
    return json.dumps(document).replace('"__DEEP__"', deep, 1).encode()


def _huge(rng: random.Random, document: Any) -> bytes:
    container, key = rng.choice(_slots(document))
    container[key] = rng.choice(("x", "$.", "\n", "é")) * rng.choice((100_000, 2_000_000))
    return json.dumps(document, ensure_ascii=False).encode()


def _truncate(rng: random.Random, document: Any) -> bytes:
    data = json.dumps(document).encode()
    return data[: rng.randrange(len(data))]


def _encoding(rng: random.Random, document: Any) -> bytes:
    text = json.dumps(document, ensure_ascii=False).replace("Thank", "Thänk\u2603")
    choice = rng.randrange(4)
    if choice == 0:
        return text.encode("utf-16")
    if choice == 1:
        return text.encode("latin-1", "replace")
    if choice == 2:
        return b"\xef\xbb\xbf" + text.encode()
    data = bytearray(text.encode())
    data[rng.randrange(len(data))] = 0xFF
    return bytes(data)


def _structure(rng: random.Random, document: Any) -> bytes:
    """Plausible shapes with wrong pieces: Actions not a list, a Content string, no Version."""
    choice = rng.randrange(5)
    if choice == 0:
        document["Actions"] = {"0": document.get("Actions")}
    elif choice == 1:
        return json.dumps({"Name": "x", "Content": json.dumps(document)[:-5]}).encode()
    elif choice == 2:
        document["Actions"] = [rng.choice(_ODD_VALUES) for _ in range(3)]
    elif choice == 3:
        document["StartAction"] = rng.choice(_ODD_VALUES)
    else:
        return json.dumps(rng.choice(_ODD_VALUES)).encode()
    return json.dumps(document).encode()


MUTATIONS: dict[str, Callable[[random.Random, Any], bytes]] = {
    "flip": _flip,
    "delete": _delete,
    "deep": _deep,
    "huge": _huge,
    "truncate": _truncate,
    "encoding": _encoding,
    "structure": _structure,
}


def corpus(per_mutation: int, seed: int = 9) -> Iterator[tuple[str, Path, bytes]]:
    """(name, source flow, corrupted bytes), `per_mutation` of each kind."""
    rng = random.Random(seed)
    for kind, mutate in MUTATIONS.items():
        for n in range(per_mutation):
            source = SOURCES[n % len(SOURCES)]
            document = json.loads(source.read_text(encoding="utf-8"))
            yield f"{kind}-{n}-{source.stem}", source, mutate(rng, document)
