"""contact_flows/manifest.json: which flows are managed, under which Connect name and type.

    {"flows": [{"name": "ivr-main-inbound", "type": "CONTACT_FLOW", "file": "main_inbound.json",
                "version": "1.0.0", "description": "..."}]}

`type` is a Connect ContactFlowType, or "MODULE" for a flow module. `name` is the flow's name in
Connect: deploy and export match flows by it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ivr.deploy.errors import ManifestError
from ivr.flow_language import LEGACY_EXPORT_HINT, is_legacy_export
from models.flow import unwrap

MANIFEST_NAME = "manifest.json"
MODULE = "MODULE"
# botocore's ContactFlowType enum (connect 2017-08-08), plus MODULE for flow modules.
FLOW_TYPES = frozenset(
    {
        "CONTACT_FLOW",
        "CUSTOMER_QUEUE",
        "CUSTOMER_HOLD",
        "CUSTOMER_WHISPER",
        "AGENT_HOLD",
        "AGENT_WHISPER",
        "OUTBOUND_WHISPER",
        "AGENT_TRANSFER",
        "QUEUE_TRANSFER",
        "CAMPAIGN",
        MODULE,
    }
)


class FlowEntry(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str
    type: str
    file: str
    version: str = ""
    description: str = ""

    @property
    def is_module(self) -> bool:
        return self.type == MODULE

    @property
    def placeholder_kind(self) -> str:
        """How other flows refer to this one: `${Flow:<name>}` or `${Module:<name>}`."""
        return "Module" if self.is_module else "Flow"


class Manifest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    flows: list[FlowEntry]
    folder: Path = Path()

    @model_validator(mode="after")
    def _check(self) -> Manifest:
        seen: set[str] = set()
        for entry in self.flows:
            if entry.type not in FLOW_TYPES:
                raise ValueError(
                    f"flow {entry.name!r} has type {entry.type!r}; use one of "
                    + ", ".join(sorted(FLOW_TYPES))
                )
            if entry.name in seen:
                raise ValueError(f"flow name {entry.name!r} appears twice; names must be unique")
            seen.add(entry.name)
        return self

    def entry(self, name: str) -> FlowEntry:
        for entry in self.flows:
            if entry.name == name:
                return entry
        raise ManifestError(
            f"{name!r} is not in {self.folder / MANIFEST_NAME}; add it there (name, type, file) "
            "first. Managed flows: " + ", ".join(e.name for e in self.flows)
        )

    def path_of(self, entry: FlowEntry) -> Path:
        return self.folder / entry.file

    def read_document(self, entry: FlowEntry) -> dict[str, Any]:
        """The flow file as JSON (a CreateContactFlow body is unwrapped to its Content)."""
        path = self.path_of(entry)
        try:
            document = unwrap(json.loads(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise ManifestError(
                f"{entry.name}: cannot read {path} ({exc.strerror}); fix 'file' in the manifest"
            ) from exc
        except json.JSONDecodeError as exc:
            raise ManifestError(f"{entry.name}: {path} is not valid JSON: {exc}") from exc
        if is_legacy_export(document):
            raise ManifestError(f"{entry.name}: {path} is {LEGACY_EXPORT_HINT}")
        if not isinstance(document, dict):
            raise ManifestError(f"{entry.name}: {path} does not hold a flow object")
        return document


def load_manifest(flows_dir: str | Path) -> Manifest:
    """Read `<flows_dir>/manifest.json`; errors say which entry is wrong."""
    folder = Path(flows_dir)
    path = folder / MANIFEST_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(
            f"cannot read {path} ({exc.strerror}); pass --flows DIR pointing at the folder "
            "holding the flows and their manifest.json"
        ) from exc
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path} is not valid JSON: {exc}") from exc
    try:
        return Manifest.model_validate({**document, "folder": folder})
    except (ValidationError, TypeError) as exc:
        raise ManifestError(f"{path} is not a valid manifest: {exc}") from exc
