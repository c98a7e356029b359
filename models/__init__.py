"""Data shapes only, no I/O: the Connect event, responses, records and the flow language.

The names below are imported on first use (PEP 562), not with the package: importing any
submodule runs this file first, and `ivr lint` (which needs only `models.flow` and the
functions' contract models) would otherwise build the event and customer models it never
uses (~0.2x of `python -c pass` on its start-up, bench/README.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what mypy and readers see; at run time `__getattr__` below
    from models.connect_limits import STRING_MAP_LIMIT_BYTES
    from models.customer import Customer, Language, Tier
    from models.event import Channel, ConnectEvent, ContactData, Endpoint, InitiationMethod
    from models.response import (
        ConnectResponse,
        ResponseContractError,
        Status,
        flag,
        string_map,
    )

__all__ = [
    "STRING_MAP_LIMIT_BYTES",
    "Channel",
    "ConnectEvent",
    "ConnectResponse",
    "ContactData",
    "Customer",
    "Endpoint",
    "InitiationMethod",
    "Language",
    "ResponseContractError",
    "Status",
    "Tier",
    "flag",
    "string_map",
]

# Exported name -> the submodule that defines it.
_HOMES = {
    "STRING_MAP_LIMIT_BYTES": "models.connect_limits",
    **dict.fromkeys(("Customer", "Language", "Tier"), "models.customer"),
    **dict.fromkeys(
        ("Channel", "ConnectEvent", "ContactData", "Endpoint", "InitiationMethod"), "models.event"
    ),
    **dict.fromkeys(
        (
            "ConnectResponse",
            "ResponseContractError",
            "Status",
            "flag",
            "string_map",
        ),
        "models.response",
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'models' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # the next lookup is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
