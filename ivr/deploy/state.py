"""deploy/state/<env>.json: what each environment runs, so unchanged flows are skipped.

    {"flows": {"ivr-main-inbound": {"id": "...", "arn": "...", "version": "1.0.0",
               "sha256": "<hex of the Content sent>", "flow_content_sha256": "<Connect's, or null>",
               "deployed_at": "2025-01-01T00:00:00Z"}}}

Written after every flow, so a deploy that fails half-way still records what it did.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from ivr.deploy.errors import ValuesError
from ivr.deploy.normalize import normalize


class FlowRecord(BaseModel):
    id: str
    arn: str
    version: str = ""
    sha256: str
    flow_content_sha256: str | None = None
    deployed_at: datetime


class DeployState(BaseModel):
    flows: dict[str, FlowRecord] = Field(default_factory=dict)


def load_state(path: Path) -> DeployState:
    """The environment's state; none yet (first deploy) is an empty state."""
    if not path.exists():
        return DeployState()
    try:
        return DeployState.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, ValidationError) as exc:
        raise ValuesError(
            f"cannot read deploy state {path} ({exc}); fix it or delete it (the next deploy then "
            "sends every flow again)"
        ) from exc


def save_state(path: Path, state: DeployState) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(normalize(state.model_dump(mode="json")), encoding="utf-8")
