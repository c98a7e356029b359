"""Create the tables of verify_pin and order_status on moto, from one source of definitions.

template.yaml wins when it defines the table; until then the definitions come from
pin_order_tables.yaml beside this file (the resources to paste into template.yaml).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ivr.errors import ToolkitError
from ivr.tables import DEFAULT_TEMPLATE, create_table, table_definition

SNIPPET = Path(__file__).with_name("pin_order_tables.yaml")
LOGICAL_IDS = ("PinsTable", "PinAttemptsTable", "VerificationsTable", "OrdersTable")


def template_for(logical_id: str) -> Path:
    try:
        table_definition(logical_id, DEFAULT_TEMPLATE)
    except ToolkitError:
        return SNIPPET
    return DEFAULT_TEMPLATE


@contextmanager
def table_maker(client: Any) -> Iterator[Callable[[str], str]]:
    """make(logical_id) -> the name of a new table; all of them deleted at the end."""
    made: list[str] = []

    def make(logical_id: str) -> str:
        name = f"test-{logical_id}-{uuid.uuid4().hex[:8]}"
        create_table(client, logical_id, name, template_for(logical_id))
        made.append(name)
        return name

    try:
        yield make
    finally:
        for name in made:
            client.delete_table(TableName=name)
