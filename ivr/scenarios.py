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
`metrics` gives GetMetricData's values; `contact_id` the call's ContactId (default: one derived
from `seed`, the same on every run).

`Scenario` is the one model of a call; the other ways to describe one translate into it:
`ivr.testing.run_call(flow, **fields)` validates its keywords into a Scenario, `ivr simulate`
builds one from its flags, and `ivr connect-test run` from a Connect test case's entry point,
attributes and hours/capacity overrides. `Scenario.run` is the one place a Scenario meets the
`Simulator`; what is not the call (template.yaml, neighbouring flows, a listener, keys typed
live, the step bound, extra Lambda stand-ins) are its keywords, `RunOptions`.

From Python a Lambda stand-in may also be a callable (`handler(event, context)`); a scenario
holding one cannot be written as JSON (`as_document` says so).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, Literal, TypedDict, Unpack

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    FieldSerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_serializer,
    field_validator,
)

from ivr.engine import CallResult, Simulator
from ivr.engine.events import Event
from ivr.engine.lambdas import LambdaTarget
from ivr.engine.run import InputSource
from ivr.engine.simulator import (
    DEFAULT_CALLER,
    DEFAULT_DIALED,
    DEFAULT_MAX_STEPS,
    seeded_contact_id,
)
from ivr.errors import ToolkitError

# From Python a Lambda stand-in may also be a callable (`handler(event, context)`).
LambdaAnswer = str | dict[str, Any] | Callable[..., Any]


class RunOptions(TypedDict, total=False):
    """How `Scenario.run` runs the call, as opposed to what the call is."""

    template: str | Path | None  # template.yaml (default: found upward from the flow)
    flows: Mapping[str, str | Path] | None  # neighbouring flows by name or ARN
    extra_lambdas: Mapping[str, LambdaTarget] | None  # stand-ins over the scenario's own
    listener: Callable[[Event], Any] | None  # hears each event as it happens
    input_source: InputSource | None  # answers input prompts in place of `inputs`
    max_steps: int
    verbose: bool  # the Lambda stand-ins log what they do


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
    metrics: dict[str, float] = Field(default_factory=dict)
    lambdas: dict[str, LambdaAnswer] = Field(default_factory=dict)
    answers: dict[str, str] = Field(default_factory=dict)
    expect_prompts: list[str] = Field(default_factory=list)
    expect_queue: str | None = None
    seed: int = 0
    contact_id: str | None = None

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

    @field_serializer("lambdas", mode="wrap")
    def _no_callable_in_json(
        self,
        lambdas: dict[str, LambdaAnswer],
        dump: SerializerFunctionWrapHandler,
        info: FieldSerializationInfo,
    ) -> Any:
        if info.mode_is_json():
            _refuse_callables(lambdas)
        return dump(lambdas)

    @property
    def hours_open(self) -> bool:
        return self.hours == "open"

    @property
    def call_contact_id(self) -> str:
        """The ContactId the call gets: `contact_id`, else the one `seed` gives."""
        return self.contact_id or seeded_contact_id(self.seed)

    @classmethod
    def of(
        cls, fields: Mapping[str, Any], *, source: str, run_options: Collection[str] = ()
    ) -> Scenario:
        """The scenario `fields` describe; an unknown field is a TypeError naming it and the
        known ones (and `run_options`, when the caller takes those too), a wrong value a
        ToolkitError (`source` says who gave them)."""
        unknown = [name for name in fields if name not in cls.model_fields]
        if unknown:
            also = f"; run options: {', '.join(sorted(run_options))}" if run_options else ""
            raise TypeError(
                f"{source}: unknown call field {', '.join(map(repr, unknown))}; a call is "
                f"described by {', '.join(cls.model_fields)}{also}"
            )
        try:
            return cls.model_validate(dict(fields))
        except ValidationError as exc:
            raise ToolkitError(f"{source}: {exc}") from exc

    def as_document(self) -> dict[str, Any]:
        """This scenario as a scenarios file holds it (name always, other fields when not
        their default); a Python callable stand-in cannot be written (ValueError)."""
        try:
            _refuse_callables(self.lambdas)
        except ValueError as exc:
            raise ValueError(f"scenario {self.name!r}: {exc}") from None
        return self.model_dump(mode="json", exclude_defaults=True) | {"name": self.name}

    def run(self, flow: str | Path, **options: Unpack[RunOptions]) -> CallResult:
        """Simulate this call through `flow` (the one place a Scenario meets the Simulator)."""
        lambdas: dict[str, LambdaTarget] = dict(self.lambdas)
        lambdas.update(options.get("extra_lambdas") or {})
        simulator = Simulator(
            flow,
            lambdas=lambdas,
            template=options.get("template"),
            flows=options.get("flows"),
            verbose=options.get("verbose", False),
        )
        return simulator.call(
            caller=self.caller,
            dialed=self.dialed,
            channel=self.channel,
            inputs=self.inputs,
            attributes=self.attributes,
            hours_open=self.hours_open,
            queue_at_capacity=self.queue_at_capacity,
            metrics=self.metrics,
            answers=self.answers,
            seed=self.seed,
            contact_id=self.contact_id,
            max_steps=options.get("max_steps", DEFAULT_MAX_STEPS),
            input_source=options.get("input_source"),
            listener=options.get("listener"),
        )


def _refuse_callables(lambdas: Mapping[str, LambdaAnswer]) -> None:
    for arn, answer in lambdas.items():
        if callable(answer):
            name = getattr(answer, "__qualname__", None) or type(answer).__name__
            raise ValueError(
                f"the stand-in for Lambda {arn} is the Python callable {name}, which a "
                "scenarios file cannot hold: give a canned answer (an object or a .json "
                "file) or 'module:function'"
            )


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


__all__ = ["RunOptions", "Scenario", "load_scenarios"]
