"""Export a scenario as an Amazon Connect test case, so the call we simulate offline can run in
the cloud.

The scenario is simulated first and the test case is written from what happened, in order:

- `TestInitiated` registers one override per event that needs one, in the order they occur
  (overrides are one-shot FIFO per resource): each call of a Lambda the scenario gives a
  canned answer becomes a MockResponse (LoadedData = the answer as a JSON string; a failed
  call an Error); each CheckHoursOfOperation an InHours/OutOfHours mock from `hours`; with
  `queue_at_capacity`, each TransferContactToQueue a QueueAtCapacity error. Lambdas mapped to
  handlers (or found through template.yaml) are left to run for real in the cloud.
- one `MessageReceived` observation (Inclusion of the prompt as played) per input, carrying
  the keys as a DtmfInput (a Lex answer as a TextUtterance; silence as no action), and one per
  `expect_prompts` entry (Inclusion of that text), linked one after the other;
- when the call ends in a queue, `FlowActionStarted TransferContactToQueue` with an Assert on
  the queue (`expect_queue` by name, else the ARN) and EndTest, so no agent gets the contact.

References the flow makes before deploy (`${XArn}` placeholders) are written as `resources`
maps them (the ARNs of the target instance); unmapped ones are written as they are and the
offline runner matches them as such. A scenario whose own expectations do not hold offline
is not exported (ToolkitError saying which).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ivr.connect_tests.contact import ContactMirror, FlowCatalog
from ivr.connect_tests.document import TESTING_LANGUAGE_VERSION
from ivr.connect_tests.matching import spoken, text_matches
from ivr.engine import (
    ActionEntered,
    CallResult,
    Event,
    InputReceived,
    LambdaCalled,
    PromptPlayed,
)
from ivr.errors import ToolkitError
from ivr.scenarios import Scenario

_INCLUSION = {"Type": "Inclusion"}
_PROMPT_KEYS = {"text": "Text", "ssml": "SSML", "prompt": "PromptId"}


def export_scenario(
    flow: str | Path,
    scenario: Scenario,
    *,
    template: str | Path | None = None,
    resources: Mapping[str, str] | None = None,
    flow_id: str | None = None,
) -> dict[str, Any]:
    """A CreateTestCase request body (Content as a JSON string, EntryPoint, initial
    attributes, Status SAVED) for `scenario` through `flow`."""
    content = export_content(flow, scenario, template=template, resources=resources)
    target_flow = flow_id or Path(flow).stem
    if scenario.channel == "CHAT":
        entry: dict[str, Any] = {  # Type CHAT is UNVERIFIED (connect-testing.md 6)
            "Type": "CHAT",
            "ChatEntryPointParameters": {"FlowId": target_flow},
        }
    else:
        entry = {
            "Type": "VOICE_CALL",
            "VoiceCallEntryPointParameters": {
                "SourcePhoneNumber": scenario.caller or "",
                "DestinationPhoneNumber": scenario.dialed or "",
                "FlowId": target_flow,
            },
        }
    request: dict[str, Any] = {
        "Name": scenario.name or Path(flow).stem,
        "Description": f"Exported by ivr from scenario {scenario.name!r} of {Path(flow).name}",
        "Content": json.dumps(content, ensure_ascii=False),
        "EntryPoint": entry,
        "Status": "SAVED",
    }
    if scenario.attributes:
        request["InitializationData"] = json.dumps(scenario.attributes, ensure_ascii=False)
    return request


def export_content(
    flow: str | Path,
    scenario: Scenario,
    *,
    template: str | Path | None = None,
    resources: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The test case `Content` document (Version, Metadata, Observations)."""
    recorder = _Recorder(flow, scenario, dict(resources or {}))
    result = scenario.run(flow, template=template, listener=recorder.listen)
    _check_expectations(scenario, result)
    observations: list[dict[str, Any]] = []
    if recorder.overrides:
        observations.append(_observation("Setup", "TestInitiated", {}, recorder.overrides))
    for number, (props, actions) in enumerate(_prompt_marks(scenario, recorder), start=1):
        observations.append(_observation(f"Prompt{number}", "MessageReceived", props, actions))
    if result.outcome.type == "queue":
        observations.append(_queue_observation(scenario, result, recorder))
    for current, following in itertools.pairwise(observations):
        current["Transitions"] = {"NextObservations": [following["Identifier"]]}
    return {
        "Version": TESTING_LANGUAGE_VERSION,
        "Metadata": {
            "GeneratedBy": "ivr connect-test export",
            "Scenario": scenario.name,
            "Flow": Path(flow).name,
        },
        "Observations": observations,
    }


class _Recorder:
    """Follows the simulated call: its events, the contact, and the overrides it needs."""

    def __init__(self, flow: str | Path, scenario: Scenario, resources: dict[str, str]) -> None:
        self.scenario, self.resources = scenario, resources
        self.catalog = FlowCatalog(flow)
        self.mirror = ContactMirror(
            scenario.caller,
            scenario.dialed,
            scenario.channel,
            attributes=dict(scenario.attributes),
            resources=resources,
        )
        self.events: list[Event] = []
        self.action_types: list[str] = []  # type of the action running at each event
        self.overrides: list[dict[str, Any]] = []
        self._raw_arn = ""

    def cloud(self, reference: str) -> str:
        return self.resources.get(reference, reference)

    def listen(self, event: Event) -> None:
        action = None
        if isinstance(event, ActionEntered):
            action = self.catalog.action(event.flow, event.identifier)
            params = action.params if action is not None else {}
            self._raw_arn = str(params.get("LambdaFunctionARN", ""))
            if event.type == "CheckHoursOfOperation":
                hours_id = self.cloud(self.mirror.value(params.get("HoursOfOperationId", "")))
                value = "InHours" if self.scenario.hours_open else "OutOfHours"
                self._override(
                    "CheckHoursOfOperation",
                    {"HoursOfOperationId": hours_id},
                    _execution_result({"Value": value}),
                )
            elif event.type == "TransferContactToQueue" and self.scenario.queue_at_capacity:
                self._override(
                    "TransferContactToQueue",
                    {"QueueId": self.mirror.queue_arn or ""},
                    {"Type": "Error", "Error": {"Value": "QueueAtCapacity"}},
                )
        elif isinstance(event, LambdaCalled) and self._canned(event.arn):
            response = (
                _execution_result(
                    {
                        "DelaySeconds": 0,
                        "LoadedData": json.dumps(event.response, ensure_ascii=False),
                    }
                )
                if event.response is not None
                else {"Type": "Error", "Error": {"Value": "NoMatchingError"}}
            )
            self._override(
                "InvokeLambdaFunction", {"LambdaFunctionARN": self.cloud(event.arn)}, response
            )
        self.mirror.observe(event, action)
        self.events.append(event)
        self.action_types.append(
            event.type if isinstance(event, ActionEntered) else self._current_type()
        )

    def _current_type(self) -> str:
        return self.action_types[-1] if self.action_types else ""

    def _canned(self, arn: str) -> bool:
        lambdas = self.scenario.lambdas
        answer = lambdas.get(arn, lambdas.get(self._raw_arn))
        return isinstance(answer, dict) or (isinstance(answer, str) and answer.endswith(".json"))

    def _override(
        self, action_type: str, parameters: dict[str, Any], response: dict[str, Any]
    ) -> None:
        number = len(self.overrides) + 1
        self.overrides.append(
            {
                "Identifier": f"override{number}",
                "Type": "OverrideSystemBehavior",
                "Parameters": {
                    "ActionType": "OverrideSystemBehavior",
                    "Behavior": {
                        "Type": "FlowAction",
                        "Properties": {
                            "ActionType": action_type,
                            "ActionParameters": parameters,
                            "Strategy": {"Type": "MockResponse", "Response": response},
                        },
                    },
                },
            }
        )


def _execution_result(result: dict[str, Any]) -> dict[str, Any]:
    return {"Type": "ExecutionResult", "ExecutionResult": result}


def _check_expectations(scenario: Scenario, result: CallResult) -> None:
    heard = [e for e in result.events if isinstance(e, PromptPlayed)]
    cursor = 0
    for expected in scenario.expect_prompts:
        index = _find_prompt(heard, expected, cursor)
        if index is None:
            raise ToolkitError(
                f"scenario {scenario.name!r} does not hold offline: no prompt containing "
                f"{expected!r} (in order); fix the scenario before exporting it"
            )
        cursor = index + 1
    outcome = result.outcome
    if scenario.expect_queue and not (
        outcome.type == "queue" and scenario.expect_queue in (outcome.queue, outcome.queue_arn)
    ):
        raise ToolkitError(
            f"scenario {scenario.name!r} does not hold offline: expected queue "
            f"{scenario.expect_queue!r}, the call {outcome.describe()}"
        )


def _heard(prompt: PromptPlayed) -> str:
    return spoken(prompt.text) if prompt.format == "ssml" else prompt.text


def _find_prompt(prompts: list[PromptPlayed], expected: str, start: int) -> int | None:
    for index in range(start, len(prompts)):
        if prompts[index].format != "prompt" and text_matches(
            expected, _heard(prompts[index]), "Inclusion"
        ):
            return index
    return None


def _prompt_marks(
    scenario: Scenario, recorder: _Recorder
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(Properties, actions) of each MessageReceived observation, in the order heard."""
    events = recorder.events
    marks: dict[int, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    for index, event in enumerate(events):
        if not isinstance(event, InputReceived):
            continue
        asked = next(
            (
                i
                for i in range(index - 1, -1, -1)
                if isinstance(events[i], PromptPlayed) and events[i].identifier == event.identifier
            ),
            None,
        )
        if asked is None or asked in marks:
            raise ToolkitError(
                f"scenario {scenario.name!r}: input {event.keys!r} answers action "
                f"{event.identifier}, which played no prompt of its own to observe; "
                "a test case can only send keys after a prompt it observes"
            )
        prompt = events[asked]
        assert isinstance(prompt, PromptPlayed)
        props = {
            _PROMPT_KEYS[prompt.format]: prompt.text,
            "MatchingCriteria": {"Type": "Inclusion"},
        }
        marks[asked] = (props, _answer(event, recorder.action_types[index]))
    prompts = [i for i, e in enumerate(events) if isinstance(e, PromptPlayed)]
    heard = [events[i] for i in prompts]
    cursor = 0
    for expected in scenario.expect_prompts:
        found = _find_prompt(heard, expected, cursor)  # type: ignore[arg-type]
        assert found is not None  # checked by _check_expectations
        cursor = found + 1
        actions = marks.get(prompts[found], ({}, []))[1]
        marks[prompts[found]] = (
            {"Text": expected, "MatchingCriteria": {"Type": "Inclusion"}},
            actions,
        )
    return [marks[i] for i in sorted(marks)]


def _answer(event: InputReceived, action_type: str) -> list[dict[str, Any]]:
    if event.keys is None:
        return []  # a silent customer: the block times out in the cloud too
    if action_type == "ConnectParticipantWithLexBot":
        instruction = {"Type": "TextUtterance", "Properties": {"Text": event.keys}}
    else:
        instruction = {"Type": "DtmfInput", "Properties": {"Value": event.keys}}
    return [
        {
            "Identifier": "answer",
            "Type": "SendInstruction",
            "Parameters": {
                "ActionType": "SendInstruction",
                "Actor": "Customer",
                "Instruction": instruction,
            },
        }
    ]


def _queue_observation(
    scenario: Scenario, result: CallResult, recorder: _Recorder
) -> dict[str, Any]:
    outcome = result.outcome
    arn = recorder.cloud(outcome.queue_arn or "")
    expected = scenario.expect_queue
    if expected and expected not in (outcome.queue_arn, arn):
        check = {"Namespace": "$.Queue.Name", "Operator": "Equals", "Operand": expected}
    else:
        check = {"Namespace": "$.Queue.ARN", "Operator": "Equals", "Operand": arn}
    actions = [
        {"Identifier": "check-queue", "Type": "Assert", "Parameters": check},
        {
            "Identifier": "end",
            "Type": "TestControl",
            "Parameters": {"ActionType": "TestControl", "Command": {"Type": "EndTest"}},
        },
    ]
    return _observation(
        "Queue",
        "FlowActionStarted",
        {"ActionType": "TransferContactToQueue", "ActionParameters": {"QueueId": arn}},
        actions,
    )


def _observation(
    identifier: str, event_type: str, properties: dict[str, Any], actions: list[dict[str, Any]]
) -> dict[str, Any]:
    chained = []
    for index, action in enumerate(actions):
        following = actions[index + 1]["Identifier"] if index + 1 < len(actions) else ""
        chained.append({**action, "Transitions": {"NextAction": following}})
    return {
        "Identifier": identifier,
        "Usage": {"Type": "EXACTLY"},
        "Event": {
            "Identifier": f"ev-{identifier}",
            "Type": event_type,
            "Actor": "System",
            "Properties": properties,
        },
        "Actions": chained,
        "Transitions": {},
    }


__all__ = ["export_content", "export_scenario"]
