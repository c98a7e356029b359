"""`ivr deploy` / `ivr export` that can't run: one line saying what to do, exit 2, never a
botocore traceback. Real boto3 clients, with no AWS configuration at all: every failure here
happens before a request leaves the machine (no region, or no credentials to sign with)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.cli import main
from ivr.deploy.environment import region_of
from ivr.deploy.options import boto3_clients
from tests.deploy.project import INSTANCE_ARN, INSTANCE_ID, QUEUE_ARN, Project

AWS_VARIABLES = (
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


# Left out of the fast tier (make test-fast): each test runs `ivr` in a new Python process.
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def no_aws_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-metadata lookup


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


@pytest.fixture
def no_instance_arn(standard: Project) -> Project:
    """The standard project, its values file naming no instance (so no region either)."""
    standard.values({"values": {"CustomerQueueArn": QUEUE_ARN}})
    return standard


@pytest.mark.parametrize("command", [["deploy", "--dry-run"], ["export", "--all"]])
def test_no_region_anywhere_names_the_option_and_variable(
    no_instance_arn: Project, capsys: pytest.CaptureFixture[str], command: list[str]
):
    flows = ["--flows", str(no_instance_arn.flows_dir)]

    code = main([*command, "--env", "dev", *flows, "--instance-id", INSTANCE_ID])

    assert code == 2
    line = one_line(capsys)
    assert line.startswith(f"ivr {command[0]}: no AWS region")
    assert "--region" in line and "AWS_REGION" in line


@pytest.mark.parametrize("command", [["deploy", "--dry-run"], ["export", "--all"]])
def test_the_instance_arn_gives_the_region_then_missing_credentials_are_one_line(
    no_instance_arn: Project, capsys: pytest.CaptureFixture[str], command: list[str]
):
    flows = ["--flows", str(no_instance_arn.flows_dir)]

    code = main([*command, "--env", "dev", *flows, "--instance-id", INSTANCE_ARN])

    assert code == 2
    line = one_line(capsys)
    assert "Unable to locate credentials" in line and "--profile" in line


def test_the_values_files_instance_arn_gives_the_region(
    standard: Project, capsys: pytest.CaptureFixture[str]
):
    standard.values({"InstanceArn": INSTANCE_ARN, "values": {"CustomerQueueArn": QUEUE_ARN}})

    code = main(["deploy", "--env", "dev", "--flows", str(standard.flows_dir), "--dry-run"])

    assert code == 2
    assert "Unable to locate credentials" in one_line(capsys)


def test_region_order_option_then_configuration_then_instance(monkeypatch: pytest.MonkeyPatch):
    def region(given: str | None) -> str:
        return str(boto3_clients(None, "ap-northeast-1")("connect", given).meta.region_name)

    assert region("eu-west-2") == "eu-west-2"  # --region or the values file's Region
    assert region(None) == "ap-northeast-1"  # the instance ARN's
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    assert region(None) == "eu-central-1"  # configured for boto3 (or the profile's)
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    assert region(None) == "us-west-2"  # as the other SDKs read it, first


def test_region_of_an_instance():
    assert region_of(INSTANCE_ARN) == "us-east-1"
    assert region_of("arn:aws-cn:connect:cn-north-1:123:instance/x") == "cn-north-1"
    assert region_of(INSTANCE_ID) is None


def test_an_unknown_profile_is_one_line(standard: Project, capsys: pytest.CaptureFixture[str]):
    flows = ["--flows", str(standard.flows_dir)]

    code = main(["export", "--all", "--env", "dev", *flows, "--profile", "nobody"])

    assert code == 2
    line = one_line(capsys)
    assert "nobody" in line and "--profile" in line


def test_out_onto_a_file_is_one_line(
    standard: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    taken = tmp_path / "taken.json"
    taken.write_text("{}", encoding="utf-8")

    code = main(["deploy", "--env", "dev", "--flows", str(standard.flows_dir), "--out", str(taken)])

    assert code == 2
    assert one_line(capsys) == (
        f"ivr deploy: --out {taken} is a file; give a folder (created if missing)"
    )
    assert taken.read_text(encoding="utf-8") == "{}"
