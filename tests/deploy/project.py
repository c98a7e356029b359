"""Test projects (manifest, flows, values file under tmp_path) and the stubbed-AWS handle."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.stub import Stubber

from ivr.deploy import Environment, normalize

INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
INSTANCE_ARN = f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE_ID}"
QUEUE_ARN = f"{INSTANCE_ARN}/queue/aaaa-queue"


def flow_arn(flow_id: str) -> str:
    return f"{INSTANCE_ARN}/contact-flow/{flow_id}"


def module_arn(module_id: str) -> str:
    return f"{INSTANCE_ARN}/flow-module/{module_id}"


def _on_error(target: str) -> dict[str, Any]:
    return {"Errors": [{"NextAction": target, "ErrorType": "NoMatchingError"}]}


def _bye() -> dict[str, Any]:
    return {
        "Identifier": "bye",
        "Type": "DisconnectParticipant",
        "Parameters": {},
        "Transitions": {},
    }


def transfer_flow(target: str, greeting: str = "Transferring you") -> dict[str, Any]:
    """Plays a greeting, then TransferToFlow `target` (a placeholder or an ARN)."""
    return {
        "Version": "2019-10-30",
        "StartAction": "greet",
        "Actions": [
            {
                "Identifier": "greet",
                "Type": "MessageParticipant",
                "Parameters": {"Text": greeting},
                "Transitions": {"NextAction": "go", **_on_error("bye")},
            },
            {
                "Identifier": "go",
                "Type": "TransferToFlow",
                "Parameters": {"ContactFlowId": target},
                "Transitions": _on_error("bye"),
            },
            _bye(),
        ],
    }


def main_flow(greeting: str = "Welcome") -> dict[str, Any]:
    """Invokes the `pin` module, then transfers to the `queue` flow."""
    flow = transfer_flow("${Flow:queue}", greeting)
    flow["Actions"].insert(
        1,
        {
            "Identifier": "pin",
            "Type": "InvokeFlowModule",
            "Parameters": {"FlowModuleId": "${Module:pin}"},
            "Transitions": {"NextAction": "go", **_on_error("bye")},
        },
    )
    flow["Actions"][0]["Transitions"]["NextAction"] = "pin"
    return flow


def queue_flow() -> dict[str, Any]:
    return {
        "Version": "2019-10-30",
        "StartAction": "q",
        "Actions": [
            {
                "Identifier": "q",
                "Type": "UpdateContactTargetQueue",
                "Parameters": {"QueueId": "${CustomerQueueArn}"},
                "Transitions": {"NextAction": "t", **_on_error("bye")},
            },
            {
                "Identifier": "t",
                "Type": "TransferContactToQueue",
                "Parameters": {},
                "Transitions": {
                    "Errors": [
                        {"NextAction": "bye", "ErrorType": "QueueAtCapacity"},
                        {"NextAction": "bye", "ErrorType": "NoMatchingError"},
                    ]
                },
            },
            _bye(),
        ],
        "Metadata": {"ActionMetadata": {"q": {"queue": {"id": "${CustomerQueueArn}"}}}},
    }


def pin_module() -> dict[str, Any]:
    return {
        "Version": "2019-10-30",
        "StartAction": "say",
        "Actions": [
            {
                "Identifier": "say",
                "Type": "MessageParticipant",
                "Parameters": {"Text": "Enter your PIN"},
                "Transitions": {"NextAction": "end", **_on_error("end")},
            },
            {
                "Identifier": "end",
                "Type": "EndFlowModuleExecution",
                "Parameters": {},
                "Transitions": {},
            },
        ],
    }


@dataclass
class Project:
    """A throw-away project: template.yaml, contact_flows/ with manifest, deploy/<env>.json."""

    root: Path
    entries: list[dict[str, str]] = field(default_factory=list)

    @property
    def flows_dir(self) -> Path:
        return self.root / "contact_flows"

    def add(self, name: str, type_: str, document: Any, version: str = "1.0.0") -> Path:
        path = self.flows_dir / f"{name}.json"
        path.write_text(normalize(document), encoding="utf-8")
        self.entries = [e for e in self.entries if e["name"] != name]
        self.entries.append({"name": name, "type": type_, "file": path.name, "version": version})
        (self.flows_dir / "manifest.json").write_text(json.dumps({"flows": self.entries}))
        return path

    def values(self, document: dict[str, Any], env: str = "dev") -> Path:
        path = self.root / "deploy" / f"{env}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document), encoding="utf-8")
        return path

    def env(self, name: str = "dev", **options: Any) -> Environment:
        return Environment(name=name, flows_dir=self.flows_dir, **options)

    def state(self, env: str = "dev") -> dict[str, Any]:
        return json.loads((self.root / "deploy" / "state" / f"{env}.json").read_text())


@dataclass
class Aws:
    connect: Any
    connect_stub: Stubber
    cloudformation: Any
    cloudformation_stub: Stubber
    sent: list[tuple[str, dict[str, Any]]]  # (operation, params) of every Connect request

    def factory(self, service: str, region: str | None) -> Any:
        return {"connect": self.connect, "cloudformation": self.cloudformation}[service]

    def writes(self) -> list[tuple[str, dict[str, Any]]]:
        return [(op, p) for op, p in self.sent if not op.startswith(("List", "Describe"))]

    def content_sent(self, operation: str, **match: str) -> dict[str, Any]:
        for op, params in self.sent:
            if op == operation and all(params.get(k) == v for k, v in match.items()):
                return json.loads(params["Content"])
        raise AssertionError(f"no {operation} with {match}; sent: {[o for o, _ in self.sent]}")


def aws_client(service: str) -> Any:
    return boto3.client(
        service,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
