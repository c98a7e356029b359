"""Command-line options `ivr deploy` and `ivr export` share, and the real client factory."""

from __future__ import annotations

import argparse
from functools import cache
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ProfileNotFound

from ivr.deploy.environment import ClientFactory, Environment
from ivr.errors import DeployError

VALUES_HELP = """\
values file (default deploy/<env>.json beside the flows folder):
  {"InstanceArn": "arn:aws:connect:REGION:ACCOUNT:instance/ID",
   "Stack": "ivr-prod",      optional, like --stack
   "Region": "us-east-1",    optional, like --region
   "values": {"CustomerQueueArn": "arn:...", "Flow:unmanaged-flow": "arn:..."}}
Placeholders ${Name} take the stack's outputs, overlaid with "values"; ${Flow:<name>} and
${Module:<name>} take the ARN of that flow of the manifest once deployed. Command-line options
beat the file. State per environment: deploy/state/<env>.json.
"""


def add_environment_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", required=True, help="environment name (dev, prod, ...)")
    parser.add_argument("--stack", help="SAM/CloudFormation stack whose outputs are values")
    parser.add_argument("--values", type=Path, metavar="FILE", help="values file (see below)")
    parser.add_argument("--instance-id", help="Connect instance id or ARN")
    parser.add_argument("--region", help="AWS region of the instance and the stack")
    parser.add_argument("--profile", help="AWS profile for credentials")
    parser.add_argument(
        "--flows",
        type=Path,
        default=Path("contact_flows"),
        metavar="DIR",
        help="folder of the flows and their manifest.json (default contact_flows)",
    )


def environment_from(args: argparse.Namespace) -> Environment:
    return Environment(
        name=args.env,
        flows_dir=args.flows,
        values_file=args.values,
        stack=args.stack,
        instance_id=args.instance_id,
        region=args.region,
    )


def boto3_clients(profile: str | None) -> ClientFactory:
    """Real clients, one session; a region of None leaves it to the profile / AWS_REGION."""

    @cache
    def session() -> boto3.Session:
        try:
            return boto3.Session(profile_name=profile)
        except ProfileNotFound as exc:
            raise DeployError(f"{exc}; check --profile or ~/.aws/config") from exc

    def client(service: str, region: str | None) -> Any:
        return session().client(service, region_name=region)  # type: ignore[call-overload]

    return client
