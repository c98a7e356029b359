"""Responses can only be what Connect accepts for STRING_MAP."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.identify_caller import IdentifyCallerResponse
from models.response import (
    STRING_MAP_LIMIT_BYTES,
    ConnectResponse,
    ResponseContractError,
    Status,
    flag,
    string_map,
)


class Sample(ConnectResponse):
    customer_found: str = "false"
    first_name: str = ""
    kind: Literal["a", "b"] = "a"


def test_keys_are_camel_case_and_values_strings() -> None:
    answer = Sample(customer_found=flag(True), first_name="Taro").to_string_map()
    assert answer == {
        "status": "ok",
        "reason": "",
        "customerFound": "true",
        "firstName": "Taro",
        "kind": "a",
    }


def test_failure_keeps_every_key() -> None:
    answer = Sample.failure(Status.UNAVAILABLE, "timeout").to_string_map()
    assert answer["status"] == "unavailable"
    assert answer["reason"] == "timeout"
    assert set(answer) == Sample.keys()


def test_keys_lists_the_contract() -> None:
    assert IdentifyCallerResponse.keys() >= {
        "status",
        "callerIdStatus",
        "callerE164",
        "callerCountry",
        "callerLineType",
        "customerFound",
        "customerId",
        "firstName",
        "preferredLanguage",
        "tier",
    }


@pytest.mark.parametrize("annotation", [int, bool, float, dict, list, "str | None"])
def test_non_string_fields_are_refused_at_definition(annotation: object) -> None:
    with pytest.raises(TypeError, match="STRING_MAP values are strings"):
        type(
            "Bad",
            (ConnectResponse,),
            {"__annotations__": {"value": annotation}, "value": None},
        )


def test_fields_without_default_are_refused() -> None:
    with pytest.raises(TypeError, match="needs a default"):

        class Bad(ConnectResponse):
            value: str


def test_extra_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        Sample(unknown="x")  # type: ignore[call-arg]


@pytest.mark.parametrize("key", ["has space", "dot.key", "ünïcode", "", "a" * 129])
def test_string_map_refuses_bad_keys(key: str) -> None:
    with pytest.raises(ResponseContractError):
        string_map({key: "v"})


@pytest.mark.parametrize("value", [1, True, None, {"a": "b"}, ["a"]])
def test_string_map_refuses_non_strings(value: object) -> None:
    with pytest.raises(ResponseContractError, match="not str"):
        string_map({"k": value})


def test_string_map_refuses_32_kb_and_more() -> None:
    with pytest.raises(ResponseContractError, match="bytes"):
        string_map({"k": "x" * STRING_MAP_LIMIT_BYTES})
    # Multi-byte characters count in UTF-8 bytes, not characters.
    with pytest.raises(ResponseContractError):
        string_map({"k": "日" * (STRING_MAP_LIMIT_BYTES // 3)})
    assert string_map({"k": "x" * (STRING_MAP_LIMIT_BYTES - 100)})


def test_oversized_response_fails_in_to_string_map() -> None:
    with pytest.raises(ResponseContractError):
        Sample(first_name="x" * STRING_MAP_LIMIT_BYTES).to_string_map()


@given(
    st.dictionaries(
        st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True), st.text(max_size=50), max_size=20
    )
)
def test_anything_string_map_accepts_is_flat_and_small(values: dict[str, str]) -> None:
    result = string_map(values)
    encoded = json.dumps(result, ensure_ascii=False).encode()
    assert len(encoded) < STRING_MAP_LIMIT_BYTES
    assert all(isinstance(v, str) for v in result.values())
