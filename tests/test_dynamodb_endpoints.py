"""The DynamoDB client reads a DynamoDB-only endpoints file and resolves exactly what
botocore resolves with its own."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.config import Config

from functions.stores.dynamodb import client as dynamodb
from ivr import endpoints_table

REGIONS = [
    "ap-northeast-1",
    "us-east-1",
    "eu-west-1",
    "cn-north-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "ap-southeast-7",
    "xx-unknown-9",  # not in any file: botocore falls back on the partitions' patterns
]


@functools.cache
def botocore_own_session() -> Any:
    return botocore.session.get_session()


@functools.cache
def our_session() -> Any:
    return dynamodb.new_session()


@pytest.fixture(autouse=True)
def _no_endpoint_override(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_DATA_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    yield


def test_the_committed_file_is_what_the_installed_botocore_generates() -> None:
    # Fails after a botocore upgrade that changes DynamoDB's or a partition's endpoints:
    # run python -m ivr.endpoints_table.
    assert endpoints_table.main(["--check"]) == 0


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("fips", [False, True])
def test_every_partition_resolves_as_with_botocore_s_own_file(region: str, fips: bool) -> None:
    config = Config(region_name=region, use_fips_endpoint=fips)
    ours = our_session().create_client("dynamodb", config=config)
    theirs = botocore_own_session().create_client("dynamodb", config=config)
    assert ours.meta.endpoint_url == theirs.meta.endpoint_url
    assert ours.meta.region_name == theirs.meta.region_name
    assert ours.meta.partition == theirs.meta.partition


def test_an_endpoint_from_the_environment_still_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:4566")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-northeast-1")
    assert dynamodb.new_dynamodb_client().meta.endpoint_url == "http://127.0.0.1:4566"


def test_a_data_path_of_the_user_s_own_keeps_botocore_s_loader(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    loader = dynamodb.new_session().get_component("data_loader")
    assert type(loader).__name__ == "Loader"


def test_the_functions_client_reads_the_dynamodb_only_file() -> None:
    loader = dynamodb.new_session().get_component("data_loader")
    endpoints = loader.load_data("endpoints")
    assert type(loader).__name__ == "DynamoDBOnlyEndpoints"
    assert {name for p in endpoints["partitions"] for name in p["services"]} == {"dynamodb"}
