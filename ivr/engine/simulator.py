"""The run loop: one call through a compiled flow, following transitions the way Connect does
(connect.md 2.2): a result is tested against the Conditions in order (first match wins, else
the NoMatchingCondition entry); an error takes its own Errors entry, else NoMatchingError; an
action with no entry to follow ends the call with outcome "error" naming it. A step bound
stops endless loops (outcome "step_limit").

`Simulator` compiles once and runs any number of calls; `simulate()` is the one-call shortcut.
"""

from __future__ import annotations

import functools
import random
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ivr.engine.compiler import CompiledAction, CompiledFlow, Transition, load_flow
from ivr.engine.contact import Contact
from ivr.engine.events import BranchTaken, Ended, Event, Outcome
from ivr.engine.flows import FlowLocator
from ivr.engine.lambdas import LambdaInvoker, LambdaTarget
from ivr.engine.result import CallResult
from ivr.engine.run import CallOptions, InputSource, Run, ScriptedInput
from ivr.engine.steps import PROCEED, Enter, Fail, Finish, Result, Return, Step
from ivr.template import find_template

DEFAULT_CALLER = "+81312345678"
DEFAULT_DIALED = "+81120000000"
DEFAULT_MAX_STEPS = 1000


class Simulator:
    """A flow compiled once, with its Lambda stand-ins and neighbouring flows, for many calls."""

    def __init__(
        self,
        flow_path: str | Path,
        *,
        lambdas: Mapping[str, LambdaTarget] | None = None,
        template: str | Path | None = None,
        flows: Mapping[str, str | Path] | None = None,
        verbose: bool = False,
    ) -> None:
        self.flow = load_flow(flow_path)
        folder = Path(flow_path).resolve().parent
        template_path = Path(template) if template is not None else find_template(folder)
        self.lambdas = LambdaInvoker(lambdas, template_path, verbose=verbose)
        self.flows = FlowLocator(folder, flows)

    def call(
        self,
        *,
        caller: str | None = DEFAULT_CALLER,
        dialed: str | None = DEFAULT_DIALED,
        channel: str = "VOICE",
        inputs: list[str] | tuple[str, ...] = (),
        attributes: Mapping[str, str] | None = None,
        hours_open: bool = True,
        queue_at_capacity: bool = False,
        metrics: Mapping[str, float] | None = None,
        answers: Mapping[str, str] | None = None,
        seed: int = 0,
        max_steps: int = DEFAULT_MAX_STEPS,
        input_source: InputSource | None = None,
        listener: Callable[[Event], Any] | None = None,
        contact_id: str | None = None,
    ) -> CallResult:
        """One call; its ContactId is `contact_id`, else one derived from `seed` (the same
        on every run: `ivr simulate` passes a fresh one so calls don't share store records)."""
        contact = Contact(
            contact_id=contact_id or seeded_contact_id(seed),
            caller=caller,
            dialed=dialed,
            channel=channel,
            attributes=dict(attributes) if attributes else {},
        )
        if hours_open and not queue_at_capacity and not metrics and not answers:
            options = _DEFAULT_OPTIONS
        else:
            options = CallOptions(
                hours_open, queue_at_capacity, dict(metrics or {}), _answers_of(answers)
            )
        run = Run(
            contact,
            input_source or ScriptedInput(inputs),
            options,
            self.lambdas,
            self.flows,
            seed,
            listener=listener,
        )
        outcome = _walk(self.flow, run, max_steps)
        return CallResult(outcome, tuple(run.events), dict(contact.attributes))


_DEFAULT_OPTIONS = CallOptions()


def _answers_of(answers: Mapping[str, str] | None) -> Mapping[str, str]:
    """A dict is copied (its owner may change it after the call); another Mapping is kept and
    read when an action asks it: `ivr paths` chooses an outside service's answer then."""
    if answers is None:
        return {}
    return dict(answers) if isinstance(answers, dict) else answers


@functools.lru_cache(maxsize=256)
def seeded_contact_id(seed: int) -> str:
    """The call's ContactId: the first 128 bits of its seeded generator, as a UUID (cached:
    building the generator costs more than a whole call's blocks)."""
    return str(uuid.UUID(int=random.Random(seed).getrandbits(128), version=4))


def simulate(
    flow_path: str | Path,
    *,
    lambdas: Mapping[str, LambdaTarget] | None = None,
    template: str | Path | None = None,
    flows: Mapping[str, str | Path] | None = None,
    verbose: bool = False,
    **call: Any,
) -> CallResult:
    """One call through `flow_path`; keyword arguments as `Simulator.call`."""
    simulator = Simulator(
        flow_path, lambdas=lambdas, template=template, flows=flows, verbose=verbose
    )
    return simulator.call(**call)


def _walk(flow: CompiledFlow, run: Run, max_steps: int) -> Outcome:
    # Modules in progress: (flow to resume, the InvokeFlowModule action, its flow attributes).
    stack: list[tuple[CompiledFlow, CompiledAction, dict[str, str]]] = []
    emit = run.emit
    action = flow.actions[flow.start]  # compile_flow checked that it exists
    steps = 0
    while True:
        steps += 1
        if steps > max_steps:
            return _end(
                run,
                Outcome(
                    "step_limit",
                    error=f"stopped after {max_steps} actions (at {action.identifier} in "
                    f"{action.flow}): is there a loop without an exit?",
                ),
                action.identifier,
            )
        emit(action.entered)
        step: Step = action.run(action, run)
        if step is PROCEED:
            way = action.next
            if way is None:
                return _end(run, _stopped(action, "has no NextAction"), action.identifier)
        elif type(step) is Finish:
            return _end(run, step.outcome, action.identifier)
        elif type(step) is Enter:
            if step.returns:
                stack.append((flow, action, run.contact.flow_attributes))
            run.contact.flow_attributes = {}  # flow attributes belong to the flow that set them
            flow = step.flow
            emit(BranchTaken(action.identifier, f"flow:{flow.name}", flow.start))
            action = flow.actions[flow.start]
            continue
        else:
            if type(step) is Return:
                if not stack:
                    return _end(run, Outcome("end_flow"), action.identifier)
                flow, action, run.contact.flow_attributes = stack.pop()
                step = PROCEED
            found = _follow(action, step, run)
            if type(found) is Outcome:
                return _end(run, found, action.identifier)
            way = found
        emit(way.taken)
        if way.target is None:
            return _end(
                run, Outcome("error", error=f"{action.flow} has no action {way.taken.target!r}")
            )
        action = way.target


def _follow(action: CompiledAction, step: Step, run: Run) -> Transition | Outcome:
    """The transition a step other than a plain Proceed leads to, or the error outcome."""
    if type(step) is Result:
        value = step.value
        for condition in action.conditions:
            test = condition.test
            if test is None:
                return _stopped(action, f"uses the unknown condition operator {condition.operator}")
            operand = condition.static_operand
            if operand is None:
                operand = condition.operand.text_in(run.contact)
            if test(value, operand):
                return condition.way
        if not action.conditions and action.next is not None:
            return action.next
        step = Fail("NoMatchingCondition", f"no condition matched {value!r}")
    if type(step) is Fail:
        for error_type in (step.error_type, "NoMatchingError"):
            way = action.error_ways.get(error_type)
            if way is not None:
                return way
        detail = f" ({step.detail})" if step.detail else ""
        return _stopped(
            action, f"failed with {step.error_type}{detail} and has no Errors entry for it"
        )
    if action.next is not None:
        return action.next
    return _stopped(action, "has no NextAction")


def _stopped(action: CompiledAction, problem: str) -> Outcome:
    return Outcome(
        "error", error=f"action {action.identifier} ({action.type}) in {action.flow} {problem}"
    )


def _end(run: Run, outcome: Outcome, identifier: str | None = None) -> Outcome:
    run.emit(Ended(outcome, identifier))
    return outcome
