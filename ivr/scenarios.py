"""Scenarios: simulated calls written down as data, so one file drives `ivr coverage` and
`ivr connect-test export` alike.

A scenarios file is JSON or YAML holding a list (or `{"scenarios": [...]}`) of:

    {"name": "gold caller", "caller": "+81312345678", "inputs": ["1"],
     "attributes": {"lang": "ja"}, "hours": "open", "queue_at_capacity": false,
     "lambdas": {"${IdentifyCallerFunctionArn}": {"status": "ok", "tier": "gold"}},
     "answers": {"ShowView": "Submit", "lookup-profile": "error:NoneFoundError"},
     "expect_prompts": ["Welcome"], "expect_queue": "Gold"}

`lambdas` maps an ARN or `${...Arn}` placeholder to a canned answer (an object, or a JSON file
relative to the scenarios file) or to `module:function`, exactly as `ivr simulate --lambda`.
`answers` says what a service outside the flow answers an action (views, cases, Customer
Profiles, Voice ID, Wait...), by Identifier or Type, as `ivr simulate --answer`
(ivr/flow_language.py has the rules and defaults).
`expect_prompts` and `expect_queue` are only read by the exporter (they become observations).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ivr.engine import CallResult, Simulator
from ivr.engine.simulator import DEFAULT_CALLER, DEFAULT_DIALED
from ivr.errors import ToolkitError

LambdaAnswer = str | dict[str, Any]


class Scenario(BaseModel):
    """One simulated call and, for export, what it is expected to hear and where it ends."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    caller: str | None = DEFAULT_CALLER
    dialed: str | None = DEFAULT_DIALED
    channel: str = "VOICE"
    inputs: list[str] = Field(default_factory=list)
    attributes: dict[str, str] = Field(default_factory=dict)
    hours: Literal["open", "closed"] = "open"
    queue_at_capacity: bool = False
    lambdas: dict[str, LambdaAnswer] = Field(default_factory=dict)
    answers: dict[str, str] = Field(default_factory=dict)
    expect_prompts: list[str] = Field(default_factory=list)
    expect_queue: str | None = None
    seed: int = 0

    @field_validator("inputs", mode="before")
    @classmethod
    def _keys_as_text(cls, value: Any) -> Any:
        # YAML reads `inputs: [1, 2]` as numbers; keys are text.
        return [str(v) for v in value] if isinstance(value, list) else value

    @field_validator("hours", mode="before")
    @classmethod
    def _hours_word(cls, value: Any) -> Any:
        if isinstance(value, bool):
            return "open" if value else "closed"
        return value

    @property
    def hours_open(self) -> bool:
        return self.hours == "open"

    def simulator(self, flow: str | Path, *, template: str | Path | None = None) -> Simulator:
        return Simulator(flow, lambdas=dict(self.lambdas), template=template)

    def call_options(self) -> dict[str, Any]:
        """Keyword arguments for `Simulator.call`."""
        return {
            "caller": self.caller,
            "dialed": self.dialed,
            "channel": self.channel,
            "inputs": list(self.inputs),
            "attributes": dict(self.attributes),
            "hours_open": self.hours_open,
            "queue_at_capacity": self.queue_at_capacity,
            "answers": dict(self.answers),
            "seed": self.seed,
        }

    def run(
        self, flow: str | Path, *, template: str | Path | None = None, **call: Any
    ) -> CallResult:
        """Simulate this scenario through `flow`; `call` adds Simulator.call options (listener)."""
        return self.simulator(flow, template=template).call(**self.call_options(), **call)


def load_scenarios(path: str | Path) -> list[Scenario]:
    """The scenarios in a JSON or YAML file; canned-answer files resolved beside it."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ToolkitError(f"cannot read scenarios {path}: {exc.strerror}") from exc
    try:
        document = yaml.safe_load(text) if source.suffix in (".yaml", ".yml") else json.loads(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ToolkitError(f"scenarios {path} is not valid JSON/YAML: {exc}") from exc
    if isinstance(document, dict) and "scenarios" in document:
        document = document["scenarios"]
    if not isinstance(document, list):
        raise ToolkitError(
            f"scenarios {path}: expected a list of scenarios (or {{'scenarios': [...]}})"
        )
    scenarios = []
    for index, item in enumerate(document):
        try:
            scenario = Scenario.model_validate(item)
        except ValidationError as exc:
            raise ToolkitError(f"scenarios {path}, scenario {index + 1}: {exc}") from exc
        if not scenario.name:
            scenario.name = f"scenario {index + 1}"
        scenario.lambdas = {
            key: _beside(source.parent, value) for key, value in scenario.lambdas.items()
        }
        scenarios.append(scenario)
    return scenarios


def _beside(folder: Path, value: LambdaAnswer) -> LambdaAnswer:
    """A relative canned-answer file is relative to the scenarios file, not the cwd."""
    if isinstance(value, str) and value.endswith(".json") and not Path(value).is_absolute():
        return str(folder / value)
    return value


__all__ = ["Scenario", "load_scenarios"]
