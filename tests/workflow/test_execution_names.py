"""start_callback_workflow's execution names: one per callback, always a valid name."""

from __future__ import annotations

import re

import pytest

from functions.start_callback_workflow import NAME_LIMIT, booked_callback_id, execution_name

VALID = re.compile(r"[A-Za-z0-9_-]{1,80}")


def test_a_contact_id_is_its_own_execution_name() -> None:
    assert execution_name("5ca32fbd-8f92-46af-92a5-6b0f970f0efe") == (
        "5ca32fbd-8f92-46af-92a5-6b0f970f0efe"
    )


@pytest.mark.parametrize("callback_id", ["a b/c:d", "x" * 200, "日本語", "a.b"])
def test_other_ids_get_a_valid_name_that_differs_per_id(callback_id: str) -> None:
    name = execution_name(callback_id)
    assert VALID.fullmatch(name) and len(name) <= NAME_LIMIT
    assert name == execution_name(callback_id)  # the same record: the same execution
    assert name != execution_name(callback_id + "!")


def test_only_inserts_book_a_callback() -> None:
    image = {"NewImage": {"contact_id": {"S": "c-1"}}}
    assert booked_callback_id({"eventName": "INSERT", "dynamodb": image}) == "c-1"
    assert booked_callback_id({"eventName": "MODIFY", "dynamodb": image}) is None
    assert booked_callback_id({"eventName": "INSERT", "dynamodb": {}}) is None
