"""The run loop: one call through a compiled flow, following transitions the way Connect does
(connect.md 2.2): a result is tested against the Conditions in order (first match wins, else
the NoMatchingCondition entry); an error takes its own Errors entry, else NoMatchingError; an
action with no entry to follow ends the call with outcome "error" naming it. A step bound
stops endless loops (outcome "step_limit").

`Simulator` compiles once and runs any number of calls; `simulate()` is the one-call shortcut.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ivr.engine.compiler import CompiledAction, CompiledFlow, load_flow
from ivr.engine.contact import Contact
from ivr.engine.events import ActionEntered, BranchTaken, Ended, Event, Outcome
from ivr.engine.flows import FlowLocator
from ivr.engine.lambdas import LambdaInvoker, LambdaTarget
from ivr.engine.result import CallResult
from ivr.engine.run import CallOptions, InputSource, Run, ScriptedInput
from ivr.engine.steps import Enter, Fail, Finish, Proceed, Result, Return, Step
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
        seed: int = 0,
        max_steps: int = DEFAULT_MAX_STEPS,
        input_source: InputSource | None = None,
        listener: Callable[[Event], Any] | None = None,
    ) -> CallResult:
        rng = random.Random(seed)
        contact = Contact(
            contact_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            caller=caller,
            dialed=dialed,
            channel=channel,
            attributes=dict(attributes or {}),
        )
        run = Run(
            contact=contact,
            inputs=input_source or ScriptedInput(inputs),
            options=CallOptions(hours_open, queue_at_capacity, dict(metrics or {})),
            rng=rng,
            lambdas=self.lambdas,
            flows=self.flows,
            listener=listener,
        )
        outcome = _walk(self.flow, run, max_steps)
        return CallResult(outcome, tuple(run.events), dict(contact.attributes))


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
    identifier = flow.start
    steps = 0
    while True:
        action = flow.actions.get(identifier)
        if action is None:
            return _end(run, Outcome("error", error=f"{flow.name} has no action {identifier!r}"))
        steps += 1
        if steps > max_steps:
            return _end(
                run,
                Outcome(
                    "step_limit",
                    error=f"stopped after {max_steps} actions (at {identifier} in {flow.name}): "
                    "is there a loop without an exit?",
                ),
                identifier,
            )
        run.emit(ActionEntered(flow.name, identifier, action.type))
        step: Step = action.block.run(action, run)
        if isinstance(step, Finish):
            return _end(run, step.outcome, identifier)
        if isinstance(step, Enter):
            if step.returns:
                stack.append((flow, action, run.contact.flow_attributes))
            run.contact.flow_attributes = {}  # flow attributes belong to the flow that set them
            run.emit(BranchTaken(identifier, f"flow:{step.flow.name}", step.flow.start))
            flow, identifier = step.flow, step.flow.start
            continue
        if isinstance(step, Return):
            if not stack:
                return _end(run, Outcome("end_flow"), identifier)
            flow, action, run.contact.flow_attributes = stack.pop()
            step = Proceed()
        branch = _follow(action, step, run)
        if isinstance(branch, Outcome):
            return _end(run, branch, identifier)
        label, identifier = branch
        run.emit(BranchTaken(action.identifier, label, identifier))


def _follow(action: CompiledAction, step: Step, run: Run) -> tuple[str, str] | Outcome:
    """The (label, target) the step leads to, or the error outcome when there is none."""
    if isinstance(step, Result):
        for condition in action.conditions:
            if condition.test is None:
                return _stopped(action, f"uses the unknown condition operator {condition.operator}")
            if condition.test(step.value, condition.operand.text_in(run.contact)):
                return condition.label, condition.target
        if not action.conditions and action.next_action:
            return "next", action.next_action
        step = Fail("NoMatchingCondition", f"no condition matched {step.value!r}")
    if isinstance(step, Fail):
        for error_type in (step.error_type, "NoMatchingError"):
            target = action.errors.get(error_type)
            if target:
                return f"error:{error_type}", target
        detail = f" ({step.detail})" if step.detail else ""
        return _stopped(
            action, f"failed with {step.error_type}{detail} and has no Errors entry for it"
        )
    if action.next_action:
        return "next", action.next_action
    return _stopped(action, "has no NextAction")


def _stopped(action: CompiledAction, problem: str) -> Outcome:
    return Outcome(
        "error", error=f"action {action.identifier} ({action.type}) in {action.flow} {problem}"
    )


def _end(run: Run, outcome: Outcome, identifier: str | None = None) -> Outcome:
    run.emit(Ended(outcome, identifier))
    return outcome
