"""One deployment target: where its flows, values and state live, and the values themselves.

A values file (`deploy/<env>.json` next to the flows folder, or `--values FILE`):

    {
      "InstanceArn": "arn:aws:connect:us-east-1:111122223333:instance/<instance-id>",
      "Stack": "ivr-prod",            optional: the SAM stack whose outputs are values
      "Region": "us-east-1",          optional: the region of the instance and the stack
      "values": {"CustomerQueueArn": "arn:...", "Flow:legacy-after-hours": "arn:..."}
    }

Values are the stack's outputs (OutputKey -> OutputValue) overlaid with the file's `values`, so a
file can pin one output for one environment. `Flow:<name>` / `Module:<name>` keys give the ARN of
a flow the manifest doesn't manage (or, for `deploy --out`, one already imported).
Command-line options (--instance-id, --stack, --region) beat the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    PartialCredentialsError,
)
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ivr.deploy.errors import ValuesError

# (service name, region or None) -> a boto3 client; tests pass clients wrapped in a Stubber.
ClientFactory = Callable[[str, str | None], Any]


class ValuesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    instance_arn: str | None = Field(default=None, alias="InstanceArn")
    stack: str | None = Field(default=None, alias="Stack")
    region: str | None = Field(default=None, alias="Region")
    values: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class Environment:
    """What `--env` and its options name. Paths default to `deploy/` beside the flows folder."""

    name: str
    flows_dir: Path = Path("contact_flows")
    values_file: Path | None = None
    stack: str | None = None
    instance_id: str | None = None
    region: str | None = None

    @property
    def project_dir(self) -> Path:
        return self.flows_dir.resolve().parent

    @property
    def values_path(self) -> Path:
        return self.values_file or self.project_dir / "deploy" / f"{self.name}.json"

    @property
    def state_path(self) -> Path:
        return self.project_dir / "deploy" / "state" / f"{self.name}.json"

    def read_values_file(self) -> ValuesFile:
        """The values file; an absent default file is empty, an absent --values file an error."""
        path = self.values_path
        if self.values_file is None and not path.exists():
            return ValuesFile()
        try:
            return ValuesFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise ValuesError(f"cannot read values file {path} ({exc.strerror})") from exc
        except (json.JSONDecodeError, ValidationError) as exc:
            raise ValuesError(
                f"{path} is not a values file ({exc}); see `ivr deploy --help` for its shape"
            ) from exc


@dataclass
class Settings:
    """The resolved environment: placeholder values, Connect instance and region."""

    values: dict[str, str] = field(default_factory=dict)
    instance_id: str | None = None
    region: str | None = None

    def require_instance(self, env: Environment) -> str:
        if not self.instance_id:
            raise ValuesError(
                f"no Connect instance for environment {env.name!r}: pass --instance-id, or put "
                f'"InstanceArn" in {env.values_path} (or an InstanceArn output in the stack)'
            )
        return self.instance_id


def instance_id_of(instance: str) -> str:
    """`arn:aws:connect:<region>:<account>:instance/<id>` -> `<id>`; an id stays as it is."""
    if instance.startswith("arn:"):
        _, _, rest = instance.partition(":instance/")
        if not rest:
            raise ValuesError(f"{instance!r} is not a Connect instance ARN (…:instance/<id>)")
        return rest.split("/", 1)[0]
    return instance


def aws_failure(exc: BotoCoreError) -> str:
    """botocore's message, with what to do when it is about the caller's AWS set-up."""
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return (
            f"{exc}; give credentials with --profile, AWS_PROFILE or "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        )
    return str(exc)


def region_of(instance: str) -> str | None:
    """`arn:<partition>:connect:<region>:<account>:instance/<id>` -> `<region>`; None for a
    bare id (it says nothing of where the instance is)."""
    parts = instance.split(":")
    if len(parts) >= 6 and parts[0] == "arn" and parts[2] == "connect" and parts[3]:
        return parts[3]
    return None


def stack_outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    """The stack's outputs as OutputKey -> OutputValue (CloudFormation describe_stacks)."""
    try:
        answer = cloudformation.describe_stacks(StackName=stack)
    except ClientError as exc:
        raise ValuesError(
            f"cannot read the outputs of stack {stack!r}: {exc.response['Error'].get('Message')}"
            " (check --stack, --region and --profile)"
        ) from exc
    except BotoCoreError as exc:
        raise ValuesError(
            f"cannot read the outputs of stack {stack!r}: {aws_failure(exc)}"
        ) from exc
    stacks = answer.get("Stacks") or []
    if not stacks:
        raise ValuesError(f"stack {stack!r} not found; check --stack and --region")
    return {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs") or []}


def resolve(env: Environment, client_factory: ClientFactory | None) -> Settings:
    """Values file, then (when a client factory is given) the stack's outputs under it.

    Without a client factory (`deploy --out`) only the values file counts: no AWS call."""
    file = env.read_values_file()
    region = env.region or file.region
    values: dict[str, str] = {}
    stack = env.stack or file.stack
    if stack and client_factory is not None:
        values.update(stack_outputs(client_factory("cloudformation", region), stack))
    values.update(file.values)
    instance = env.instance_id or file.instance_arn or values.get("InstanceArn")
    if file.instance_arn:
        values.setdefault("InstanceArn", file.instance_arn)
    return Settings(
        values=values,
        instance_id=instance_id_of(instance) if instance else None,
        region=region,
    )
