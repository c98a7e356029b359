"""Tables for the business and callback suites on moto: from template.yaml once it defines
them, until then from business_callback_tables.yaml (the resources to paste into it)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ivr.tables import DEFAULT_TEMPLATE, create_table
from ivr.template import load_template

OURS = Path(__file__).with_name("business_callback_tables.yaml")
LOGICAL_IDS = ("BusinessTable", "CallbacksTable")


def source_of(logical_id: str) -> Path:
    """template.yaml when it defines `logical_id`, else our YAML."""
    resources = load_template(DEFAULT_TEMPLATE).get("Resources") or {}
    return DEFAULT_TEMPLATE if logical_id in resources else OURS


@contextmanager
def table_maker(client: Any) -> Iterator[Callable[[str], str]]:
    """make_table(logical_id) -> the name of a fresh table; all deleted on exit."""
    made: list[str] = []

    def make_table(logical_id: str) -> str:
        name = f"test-{logical_id}-{uuid.uuid4().hex[:8]}"
        create_table(client, logical_id, name, template=source_of(logical_id))
        made.append(name)
        return name

    try:
        yield make_table
    finally:
        for name in made:
            client.delete_table(TableName=name)
