"""Run an Amazon Connect test case offline: the observations watch the engine's event stream
and, when one matches, its actions play the customer, mock resources, assert and end the test.

Events (connect-testing.md 3, 10): TestInitiated before the call starts; MessageReceived for
each prompt played (PromptPlayed); FlowActionStarted as a block starts (ActionEntered), with
the block's resource parameters resolved for this contact; TestCompleted once the run is over.

Observations: one nobody links to is open from the start; a linked one becomes active once its
predecessor completed (sequential). Usage EXACTLY (Times, default 1) completes after that many
matches and then stops listening; ANY fires on every match and never fails for not matching
(UNVERIFIED semantics). A matched observation runs its action chain:

- SendInstruction: DtmfInput keys wait for the next input block ("123#" is one answer);
  TextUtterance is taken as the next answer of a Lex block (the engine reads it as the intent);
  Disconnect ends the call.
- OverrideSystemBehavior: see overrides.py.
- Assert: false ends the test FAILED, reporting expected vs actual.
- TestControl: EndTest ends the test; LogData records each expression's value.

The engine asks for keys as each input block runs (`input_source`) and reports events as they
happen (`listener`), so the customer answers what was just heard, as in the cloud. Ending the
test early stops the engine by raising from the listener. An observation never matched by the
time the call is over is FAILED: in Connect the run would wait for it until its 5-minute
time-out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ivr.connect_tests.assertions import evaluate
from ivr.connect_tests.contact import ContactMirror, FlowCatalog, Unavailable
from ivr.connect_tests.document import ConnectTestCase, Observation
from ivr.connect_tests.matching import parameters_match, prompt_matches
from ivr.connect_tests.overrides import (
    Override,
    Overrides,
    lambda_interceptor,
    parse_override,
)
from ivr.connect_tests.results import FAILED, PASSED, CaseResult, LogEntry, ObservationResult
from ivr.engine import ActionEntered, Event, PromptPlayed, Simulator
from ivr.engine.simulator import DEFAULT_CALLER, DEFAULT_DIALED, DEFAULT_MAX_STEPS
from ivr.scenarios import Scenario
from models.flow import Action

TIMEOUT_NOTE = "in Connect the run would time out after 5 minutes"


class _StopCall(Exception):
    """Raised from the listener to end the simulated call (EndTest, a failed Assert, the
    customer hanging up). The hook that would replace it: a listener answer meaning stop."""


@dataclass(frozen=True)
class _Occurrence:
    """One event the observations may be waiting for."""

    type: str
    text: str = ""
    format: str = ""
    action_type: str = ""
    parameters: Mapping[str, Any] | None = None


class _State:
    def __init__(self, observation: Observation, active: bool) -> None:
        self.observation = observation
        self.active = active
        self.matched = 0
        self.finished = False
        self.failure = ""

    @property
    def exactly(self) -> bool:
        return self.observation.usage.type != "ANY"

    def fail(self, reason: str) -> None:
        self.failure = self.failure or reason


class CaseRunner:
    """Runs test cases against one flow offline.

    `lambdas`: handlers or canned answers for Lambda ARNs the test case does not mock (as
    `ivr simulate --lambda`; template.yaml placeholders resolve as usual). `resources`: the
    ARN the cloud knows for each reference the flow makes (placeholders, sample text such as
    "REPLACE_WITH_LAMBDA_FUNCTION_ARN"): what deploy would substitute. `hours_open` and
    `queue_at_capacity` apply where no override says otherwise.
    """

    def __init__(
        self,
        flow: str | Path,
        *,
        lambdas: Mapping[str, Any] | None = None,
        template: str | Path | None = None,
        flows: Mapping[str, str | Path] | None = None,
        resources: Mapping[str, str] | None = None,
        hours_open: bool = True,
        queue_at_capacity: bool = False,
        max_steps: int = DEFAULT_MAX_STEPS,
    ) -> None:
        self.flow = Path(flow)
        self.template, self.flows = template, flows
        self.resources = dict(resources or {})
        self.hours_open, self.queue_at_capacity = hours_open, queue_at_capacity
        self.max_steps = max_steps
        self.catalog = FlowCatalog(self.flow)
        self.lambda_finder = Simulator(
            flow, lambdas=lambdas, template=template, flows=flows
        ).lambdas
        self.lambda_arns = sorted(
            {
                str(action.params.get("LambdaFunctionARN"))
                for flow_model in self.catalog.neighbours()
                for action in flow_model.actions
                if action.type == "InvokeLambdaFunction" and action.params.get("LambdaFunctionARN")
            }
        )

    def run(self, case: ConnectTestCase, *, caller: str | None = None) -> CaseResult:
        return _CaseRun(self, case, caller).run()


class _CaseRun:
    def __init__(self, runner: CaseRunner, case: ConnectTestCase, caller: str | None) -> None:
        self.runner, self.case = runner, case
        observations = case.content.observations
        linked = {t for o in observations for t in o.transitions.next_observations}
        self.states = [_State(o, o.identifier not in linked) for o in observations]
        self.by_id = {s.observation.identifier: s for s in self.states}
        self.caller = caller or case.caller or DEFAULT_CALLER
        self.dialed = case.dialed or DEFAULT_DIALED
        self.mirror = ContactMirror(
            self.caller,
            self.dialed,
            case.channel,
            attributes=dict(case.attributes),
            resources=runner.resources,
        )
        self.overrides = Overrides(runner.resources)
        self.hours_open = runner.hours_open
        self.at_capacity = runner.queue_at_capacity
        self.keys: list[str] = []
        self.logs: list[LogEntry] = []
        self.problems: list[str] = []
        self.warnings = list(case.warnings)
        self.events: list[Event] = []
        self.stop = ""

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> CaseResult:
        self._dispatch(_Occurrence("TestInitiated"))
        ended = self.stop
        if not self.stop:
            self._settle_call_options()
            interceptors = {
                arn: lambda_interceptor(arn, self.overrides, self.runner.lambda_finder)
                for arn in self.runner.lambda_arns
            }
            try:
                result = self.scenario().run(
                    self.runner.flow,
                    template=self.runner.template,
                    flows=self.runner.flows,
                    extra_lambdas=interceptors,
                    max_steps=self.runner.max_steps,
                    input_source=self,
                    listener=self._on_event,
                )
                ended = f"the call ended: {result.outcome.describe()}"
            except _StopCall:
                ended = self.stop
        self.stop = ""  # the run is over either way; TestCompleted observations still fire
        self._dispatch(_Occurrence("TestCompleted"))
        for override in self.overrides.left():
            self.warnings.append(f"override never used: {override.source}")
        return CaseResult(
            name=self.case.name,
            observations=tuple(self._verdict(s, ended) for s in self.states),
            ended=ended,
            logs=tuple(self.logs),
            problems=tuple(self.problems),
            warnings=tuple(self.warnings),
            events=tuple(self.events),
        )

    def scenario(self) -> Scenario:
        """The call this test case places, as the one model of a call: its entry point's
        numbers and channel, its initial attributes, and the hours and queue capacity the run
        starts with. What the customer sends and what the Lambdas answer come from the
        observations as the call runs (`next_keys`, the interceptors), not from the scenario."""
        return Scenario(
            name=self.case.name,
            caller=self.caller,
            dialed=self.dialed,
            channel=self.case.channel,
            attributes=dict(self.case.attributes),
            hours="open" if self.hours_open else "closed",
            queue_at_capacity=self.at_capacity,
        )

    def next_keys(self, identifier: str, store: bool) -> str | None:
        """The engine's InputSource: what the customer was told to send, else silence."""
        if not self.keys:
            return None
        keys = "".join(self.keys)
        self.keys.clear()
        return keys

    def _on_event(self, event: Event) -> None:
        self.events.append(event)
        action = None
        if isinstance(event, ActionEntered):
            action = self.runner.catalog.action(event.flow, event.identifier)
        self.mirror.observe(event, action)
        if isinstance(event, PromptPlayed):
            self._dispatch(_Occurrence("MessageReceived", text=event.text, format=event.format))
        elif isinstance(event, ActionEntered):
            parameters = self._parameters(event.type, action)
            self._dispatch(
                _Occurrence("FlowActionStarted", action_type=event.type, parameters=parameters)
            )
            self._apply_block_overrides(event.type, parameters)
        if self.stop:
            raise _StopCall(self.stop)

    def _parameters(self, action_type: str, action: Action | None) -> dict[str, Any]:
        """The block's resource parameters as the cloud would name them for this contact."""
        params = action.params if action is not None else {}
        value = self.mirror.value
        match action_type:
            case "TransferContactToQueue" | "DequeueAndTransferToQueue":
                queue = value(params["QueueId"]) if "QueueId" in params else self.mirror.queue_arn
                found = {"QueueId": queue or ""}
                if "AgentId" in params:
                    found["AgentId"] = value(params["AgentId"])
                return found
            case "ConnectParticipantWithLexBot":
                bot = params.get("LexV2Bot") or {}
                return {"LexV2Bot": {"AliasArn": value(bot.get("AliasArn", ""))}}
        return {k: value(v) for k, v in params.items() if isinstance(v, str)}

    def _settle_call_options(self) -> None:
        """The engine takes hours and queue capacity once per call: start it with what the
        first registered overrides ask."""
        hours = self.overrides.first("CheckHoursOfOperation")
        if hours is not None and hours.value:
            self.hours_open = hours.value == "InHours"
        queue = self.overrides.first("TransferContactToQueue")
        if queue is not None and queue.error == "QueueAtCapacity":
            self.at_capacity = True

    def _apply_block_overrides(self, action_type: str, parameters: Mapping[str, Any]) -> None:
        """Consume this block's override and check the call's setting gives its answer."""
        if action_type == "CheckHoursOfOperation":
            resource = parameters.get("HoursOfOperationId", "")
            override = self.overrides.take(action_type, resource)
            wanted = self.runner.hours_open
            if override is not None and override.value:
                wanted = override.value == "InHours"
            elif override is not None and override.substitute:
                self.warnings.append(
                    f"{override.source}: the substitute hours are unknown offline; "
                    "the run's default hours were used"
                )
            if override is not None and override.error:
                self._cannot(override, action_type)
            elif wanted != self.hours_open:
                self._disagree(action_type, override, "InHours" if wanted else "OutOfHours")
        elif action_type == "TransferContactToQueue":
            override = self.overrides.take(action_type, parameters.get("QueueId", ""))
            wanted = self.runner.queue_at_capacity
            if override is not None and override.error == "QueueAtCapacity":
                wanted = True
            elif override is not None and override.error:
                self._cannot(override, action_type)
                return
            elif override is not None and override.substitute:
                # UNVERIFIED: what $.Queue reads after Connect substitutes the queue.
                self.mirror.set_queue(override.substitute)
            if wanted != self.at_capacity:
                self._disagree(action_type, override, "QueueAtCapacity" if wanted else "room")

    def _cannot(self, override: Override, action_type: str) -> None:
        self.problems.append(
            f"{override.source}: {action_type} cannot be made to take its {override.error} "
            "branch offline (the engine has no hook for it)"
        )

    def _disagree(self, action_type: str, override: Override | None, wanted: str) -> None:
        source = override.source if override is not None else f"the run's default for {action_type}"
        self.problems.append(
            f"{source}: this {action_type} should see {wanted}, but the offline engine "
            "takes hours and queue capacity once per call (it needs a per-block hook)"
        )

    # -- observations ----------------------------------------------------------------------

    def _dispatch(self, occurrence: _Occurrence) -> None:
        completed: list[_State] = []
        for state in self.states:
            if self.stop:
                break
            if not state.active or state.finished:
                continue
            if not self._matches(state.observation, occurrence):
                continue
            state.matched += 1
            if state.exactly and state.matched >= state.observation.usage.times:
                state.finished = True
            if state.finished or (not state.exactly and state.matched == 1):
                completed.append(state)
            self._run_actions(state)
        # Successors listen from the next event on, not the one that completed them.
        for state in completed:
            if state.failure:
                continue  # a failed observation did not validate: its successors never start
            for target in state.observation.transitions.next_observations:
                self.by_id[target].active = True

    def _matches(self, observation: Observation, occurrence: _Occurrence) -> bool:
        event = observation.event
        if event.type != occurrence.type:
            return False
        if occurrence.type == "MessageReceived":
            return prompt_matches(
                event.properties, event.matching_criteria, occurrence.text, occurrence.format
            )
        if occurrence.type == "FlowActionStarted":
            return event.properties.get(
                "ActionType"
            ) == occurrence.action_type and parameters_match(
                event.properties.get("ActionParameters") or {},
                occurrence.parameters or {},
                self.runner.resources,
            )
        return True

    def _run_actions(self, state: _State) -> None:
        where = f"observation {state.observation.identifier}"
        for action in state.observation.action_chain():
            source = f"{where}, action {action.identifier}"
            params = action.parameters
            match action.type:
                case "SendInstruction":
                    self._instruct(state, source, params.get("Instruction") or {})
                case "OverrideSystemBehavior":
                    try:
                        self.overrides.register(parse_override(params, source))
                    except ValueError as exc:
                        state.fail(str(exc))
                case "Assert":
                    reason = evaluate(self.mirror, params)
                    if reason is not None:
                        state.fail(f"assertion {action.identifier} failed: {reason}")
                        self.stop = f"assertion {action.identifier} failed ({where})"
                case "TestControl":
                    self._control(state, source, params.get("Command") or {})
            if self.stop:
                return

    def _instruct(self, state: _State, source: str, instruction: Mapping[str, Any]) -> None:
        kind = instruction.get("Type")
        props = instruction.get("Properties") or {}
        if kind == "DtmfInput":
            self.keys.append(str(props.get("Value", "")))
        elif kind == "TextUtterance":
            self.keys.append(str(props.get("Text") or props.get("SSML") or ""))
        elif kind == "Disconnect":
            self.stop = f"the customer disconnected ({source})"
        else:
            state.fail(
                f"{source}: instruction {kind!r} is not DtmfInput, TextUtterance or Disconnect"
            )

    def _control(self, state: _State, source: str, command: Mapping[str, Any]) -> None:
        kind = command.get("Type")
        if kind == "EndTest":
            self.stop = f"EndTest ({source})"
        elif kind == "LogData":
            expressions = (command.get("Properties") or {}).get("Expressions") or {}
            for label, path in expressions.items():
                try:
                    value = self.mirror.resolve(str(path))
                except (Unavailable, ValueError) as exc:
                    value = f"(not available: {exc})"
                self.logs.append(
                    LogEntry(state.observation.identifier, str(label), value, str(path))
                )
        else:
            state.fail(f"{source}: TestControl command {kind!r} is not EndTest or LogData")

    def _verdict(self, state: _State, ended: str) -> ObservationResult:
        identifier, matched = state.observation.identifier, state.matched
        if state.failure:
            return ObservationResult(identifier, FAILED, state.failure, matched)
        if not state.exactly or state.finished:
            return ObservationResult(identifier, PASSED, "", matched)
        waited = _describe(state.observation)
        if not state.active:
            before = [
                s.observation.identifier
                for s in self.states
                if identifier in s.observation.transitions.next_observations
            ]
            reason = f"never reached: it follows {', '.join(before)}, which did not complete"
        elif matched:
            reason = f"{waited} observed {matched} of {state.observation.usage.times} times"
        else:
            reason = f"never observed: {waited}; {ended} ({TIMEOUT_NOTE})"
        return ObservationResult(identifier, FAILED, reason, matched)


def _describe(observation: Observation) -> str:
    event = observation.event
    props = event.properties
    if event.type == "MessageReceived":
        for key in ("Text", "SSML", "PromptId"):
            if key in props:
                return f"a prompt with {key} {str(props[key])!r}"
        return "a prompt"
    if event.type == "FlowActionStarted":
        return f"{props.get('ActionType')} {props.get('ActionParameters') or {}}"
    return event.type


def run_case(flow: str | Path, case: ConnectTestCase, **options: Any) -> CaseResult:
    """One test case against `flow`; options as CaseRunner."""
    return CaseRunner(flow, **options).run(case)


__all__ = ["CaseRunner", "run_case"]
