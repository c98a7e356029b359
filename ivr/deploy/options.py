"""Command-line options `ivr deploy` and `ivr export` share, and the real client factory.

boto3 is imported when the first client is made, not with this module: `ivr deploy --out`
and `--help` make no AWS call and should not pay boto3's ~100 ms import.
"""

from __future__ import annotations

import argparse
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ivr.deploy.environment import ClientFactory, Environment, region_of
from ivr.errors import DeployError

if TYPE_CHECKING:
    import boto3

# boto3 reads the region from AWS_DEFAULT_REGION and the profile only; AWS_REGION is what
# Lambda, CodeBuild and the other AWS SDKs set (and read first), so it is honoured here too.
REGION_VARIABLE = "AWS_REGION"
NO_REGION = (
    "no AWS region: pass --region, set AWS_REGION (or a region in your AWS profile), "
    "or name the instance by its ARN (--instance-id arn:aws:connect:REGION:ACCOUNT:instance/ID)"
)

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


def fallback_region(env: Environment) -> str | None:
    """The region of the instance ARN (--instance-id, else the values file's InstanceArn):
    where the instance is, so the region to use when nothing names one."""
    instance = env.instance_id or env.read_values_file().instance_arn
    return region_of(instance) if instance else None


def boto3_clients(profile: str | None, fallback: str | None = None) -> ClientFactory:
    """Real clients, one session. A region of None is AWS_REGION's, else the profile's /
    AWS_DEFAULT_REGION's, else `fallback` (the instance ARN's); with none at all, a
    DeployError naming the options, where botocore would raise NoRegionError from deep
    inside client creation."""

    @cache
    def session() -> boto3.Session:
        import boto3
        from botocore.exceptions import BotoCoreError

        try:
            return boto3.Session(profile_name=profile)
        except BotoCoreError as exc:  # ProfileNotFound, a malformed config file, ...
            raise DeployError(f"{exc}; check --profile or ~/.aws/config") from exc

    def client(service: str, region: str | None) -> Any:
        from botocore.exceptions import BotoCoreError

        chosen = region or os.environ.get(REGION_VARIABLE) or session().region_name or fallback
        if not chosen:
            raise DeployError(NO_REGION)
        try:
            return session().client(service, region_name=chosen)
        except BotoCoreError as exc:
            raise DeployError(f"cannot create the {service} client: {exc}") from exc

    return client
