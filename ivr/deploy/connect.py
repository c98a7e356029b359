"""The Connect admin calls deploy and export make, with Connect's errors translated at this edge.

Flows and flow modules are different APIs (list_contact_flows / list_contact_flow_modules,
create_contact_flow / create_contact_flow_module, ...); this module hides the split behind the
manifest's `type`. See ../shared/reference/connect.md section 3.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ivr.deploy.environment import aws_failure
from ivr.deploy.errors import ContentRejected
from ivr.deploy.manifest import MODULE, FlowEntry, Manifest
from ivr.errors import DeployError

# InvalidContactFlowException's modeled member is `problems`, the module one's `Problems`;
# botocore puts either at the top level of the error response (VERIFIED, botocore 1.43).
_REJECTIONS = {"InvalidContactFlowException", "InvalidContactFlowModuleException"}


@dataclass(frozen=True)
class RemoteFlow:
    """A flow or module as the instance lists it."""

    name: str
    id: str
    arn: str
    type: str  # ContactFlowType, or MODULE


@dataclass(frozen=True)
class Created:
    flow: RemoteFlow
    flow_content_sha256: str | None


class ConnectFlows:
    """Flows and modules of one Connect instance, by name."""

    def __init__(self, client: Any, instance_id: str) -> None:
        self._client = client
        self._instance_id = instance_id

    def _call(self, flow: str, operation: str, **params: Any) -> dict[str, Any]:
        try:
            answer: dict[str, Any] = getattr(self._client, operation)(
                InstanceId=self._instance_id, **params
            )
            return answer
        except ClientError as exc:
            error = exc.response.get("Error", {})
            if error.get("Code") in _REJECTIONS:
                problems = exc.response.get("problems") or exc.response.get("Problems") or []
                raise ContentRejected(
                    flow, [p.get("message", "") for p in problems], error.get("Message", "")
                ) from exc
            raise DeployError(
                f"{flow}: {operation} failed: {error.get('Code')}: {error.get('Message')}"
                " (check the instance id, region and your permissions)"
            ) from exc
        except BotoCoreError as exc:
            raise DeployError(f"{flow}: {operation} failed: {aws_failure(exc)}") from exc

    def _pages(self, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page = self._call(
                "instance", operation, **params, **({"NextToken": token} if token else {})
            )
            items.extend(page.get(key) or [])
            token = page.get("NextToken")
            if not token:
                return items

    def list_managed(self, manifest: Manifest) -> dict[str, RemoteFlow]:
        """The manifest's flows that exist on the instance, by name (only the lists needed)."""
        wanted = {e.name: e for e in manifest.flows}
        found: dict[str, RemoteFlow] = {}
        if any(not e.is_module for e in manifest.flows):
            for s in self._pages("list_contact_flows", "ContactFlowSummaryList"):
                entry = wanted.get(s.get("Name", ""))
                if entry and not entry.is_module:
                    found[entry.name] = RemoteFlow(
                        entry.name, s["Id"], s["Arn"], s.get("ContactFlowType", "")
                    )
        if any(e.is_module for e in manifest.flows):
            modules = self._pages(
                "list_contact_flow_modules",
                "ContactFlowModulesSummaryList",
                ContactFlowModuleState="ACTIVE",
            )
            for s in modules:
                entry = wanted.get(s.get("Name", ""))
                if entry and entry.is_module:
                    found[entry.name] = RemoteFlow(entry.name, s["Id"], s["Arn"], MODULE)
        for name, remote in found.items():
            if remote.type != wanted[name].type:
                raise DeployError(
                    f"{name} exists on the instance as {remote.type}, the manifest says "
                    f"{wanted[name].type}; rename one of them"
                )
        return found

    def content(self, remote: RemoteFlow) -> dict[str, Any]:
        """The published content of a flow or module, as JSON."""
        if remote.type == MODULE:
            answer = self._call(
                remote.name, "describe_contact_flow_module", ContactFlowModuleId=remote.id
            )["ContactFlowModule"]
        else:
            answer = self._call(remote.name, "describe_contact_flow", ContactFlowId=remote.id)[
                "ContactFlow"
            ]
        try:
            document: dict[str, Any] = json.loads(answer.get("Content") or "")
        except json.JSONDecodeError as exc:
            raise DeployError(
                f"{remote.name}: the instance returned content that isn't JSON"
            ) from exc
        return document

    def create(self, entry: FlowEntry, content: str, *, saved: bool = False) -> Created:
        """Create the flow; `saved` creates an unvalidated draft (modules have no drafts)."""
        extra = {"Description": entry.description} if entry.description else {}
        if entry.is_module:
            answer = self._call(
                entry.name, "create_contact_flow_module", Name=entry.name, Content=content, **extra
            )
            return Created(RemoteFlow(entry.name, answer["Id"], answer["Arn"], MODULE), None)
        answer = self._call(
            entry.name,
            "create_contact_flow",
            Name=entry.name,
            Type=entry.type,
            Content=content,
            Status="SAVED" if saved else "PUBLISHED",
            **extra,
        )
        flow = RemoteFlow(entry.name, answer["ContactFlowId"], answer["ContactFlowArn"], entry.type)
        return Created(flow, answer.get("FlowContentSha256"))

    def update(self, remote: RemoteFlow, content: str) -> None:
        """Replace (and publish) the content of an existing flow or module."""
        if remote.type == MODULE:
            self._call(
                remote.name,
                "update_contact_flow_module_content",
                ContactFlowModuleId=remote.id,
                Content=content,
            )
        else:
            self._call(
                remote.name, "update_contact_flow_content", ContactFlowId=remote.id, Content=content
            )
