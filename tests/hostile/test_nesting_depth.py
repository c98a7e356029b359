"""`ivr.flowfile.nesting_depth` measures JSON nesting without parsing it: checked against the
depth of the parsed value on generated documents whose strings hold brackets, quotes and
backslashes (the characters its shortcuts remove)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivr.flowfile import nesting_depth

# Left out of the fast tier (make test-fast): hypothesis generates deeply nested documents.
pytestmark = pytest.mark.slow

_TRICKY = st.text(alphabet='{}[]"\\ab:, ', max_size=8)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TRICKY,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TRICKY, inner, max_size=4),
    max_leaves=30,
)


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_depth_matches_the_parsed_value(value: Any) -> None:
    for text in (json.dumps(value), json.dumps(value, indent=1, ensure_ascii=False)):
        assert nesting_depth(text.encode("utf-8")) == depth(value), text


def test_adjacent_strings_with_brackets_keep_their_pairing() -> None:
    assert nesting_depth(b'{"{":"}","[":["]"]}') == 2
    assert nesting_depth(b'[""," [ ",""]') == 1
