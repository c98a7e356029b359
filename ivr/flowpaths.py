"""`ivr paths`: the paths through a flow (and the modules it invokes), the inputs that take each
branch, and the branches no input takes, found by running the flow in the engine.

Every question a call puts to the world is a choice point, answered in the order the call asks:
the contact attributes the flow reads before it sets them, open or closed hours, a queue at
capacity, the keys at each input action (each key a condition tests, a key none does, silence;
for stored input a number, a too-short one, silence; for Lex each intent a condition tests,
another, none), each Lambda function (it answers, or fails; then each field of the answer the
flow reads, when it first reads it: each value a Compare tests that field against, or
another), and each action whose outcome a service outside the flow gives (ShowView, cases,
Customer Profiles, Voice ID, outbound-call status, GetMetricData, Wait: the Types
ivr/flow_language.py runs offline="answer"): each result its Conditions test and another, or
success, then each error it wires (NoMatchingError as an ErrorType of the action's the flow
does not wire). A search runs the flow once per set of answers, always trying an answer no
earlier run gave at that point, until no choice is left untried: the
runs that took a branch no earlier run took are the scenarios (ivr/scenarios.py, so `ivr
coverage` and `ivr connect-test export` take them), and a branch no run took is dead.

Loops end by themselves (Loop counts, the engine's step limit); a path's actions repeated by a
loop are counted, not listed again. Lambda answers are the same for every call of a function in
one run, as a scenario's canned answer is.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivr.coverage import Branch, FlowShape
from ivr.engine import ActionEntered, BranchTaken, CallResult, Simulator
from ivr.engine.blocks._outside import ERROR_ANSWER
from ivr.engine.flows import candidate_names
from ivr.engine.lambdas import LambdaAnswer, LocalFunction, function_name
from ivr.errors import FlowError
from ivr.flow_language import NO_MATCHING_CONDITION, NO_MATCHING_ERROR, spec
from ivr.scenarios import Scenario
from models.flow import Action, Flow

FAILING_LAMBDA = "ivr.flowpaths:failing_lambda"
DEFAULT_MAX_RUNS = 5000
LOOP_BOUND = 3
OTHER_VALUE = "other"
SILENCE = "timeout"
STORED_ANSWERS = ("0312345678#", "81312345678#", "1#", None)
_KEYPAD = "0123456789*#"
_SELF_READ = "$.Attributes."
_SAFE = re.compile(r"^[\w.-]+$")


def failing_lambda(event: Any, context: Any) -> Any:
    """A Lambda that fails: the scenario answer that takes a Lambda's Error branch."""
    raise RuntimeError("failing on purpose (ivr paths scenario)")


@dataclass(frozen=True)
class Domains:
    """What the flows beside FLOW compare values against, for the choices to offer."""

    field_values: dict[str, tuple[str, ...]]  # field or attribute name -> values to try
    menu_keys: dict[str, tuple[str | None, ...]]  # input action -> keys to try
    outside_attributes: tuple[str, ...]  # attributes FLOW reads that come from outside it
    # Identifier -> what a service outside the flow may answer it (None: success by default)
    outside_answers: dict[str, tuple[str | None, ...]]
    uses_hours: bool
    uses_queue: bool
    uses_distribution: bool

    @classmethod
    def of(cls, flow_path: Path) -> Domains:
        flows = [f for p in sorted(flow_path.parent.glob("*.json")) if (f := _load(p)) is not None]
        main = _load(flow_path)
        if main is None:
            raise FlowError(f"{flow_path} is not a contact flow")
        values: dict[str, set[str]] = {}
        keys: dict[str, set[str]] = {}
        types: set[str] = set()
        for flow in flows:
            for action in flow.actions:
                types.add(action.type)
                operands = [
                    value
                    for c in action.transitions.conditions
                    for o in c.condition.operands
                    for value in _values_testing(c.condition.operator, str(o))
                ]
                if action.type == "Compare":
                    source = str(action.params.get("ComparisonValue", ""))
                    if source.startswith("$."):
                        name = source.rsplit(".", 1)[-1]
                        values.setdefault(name, set()).update(operands)
                elif action.type == "GetParticipantInput":
                    keys.setdefault(action.identifier, set()).update(o[:1] for o in operands)
                elif action.type == "ConnectParticipantWithLexBot":  # intents, not keys
                    keys.setdefault(action.identifier, set()).update(operands)
        modules = _invoked_modules(main, flow_path.parent)
        answered = {
            action.identifier: options
            for flow in (main, *modules)
            for action in flow.actions
            if (options := _outside_options(action)) is not None
        }
        return cls(
            {name: _with_other(found) for name, found in values.items()},
            {ident: _menu_keys(found) for ident, found in keys.items()},
            _outside_attributes(main, modules),
            answered,
            "CheckHoursOfOperation" in types,
            "TransferContactToQueue" in types,
            "DistributeByPercentage" in types,
        )


def _load(path: Path) -> Flow | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or "Actions" not in document:
            return None
        return Flow.model_validate(document)
    except (OSError, ValueError):
        return None


def _values_testing(operator: str, operand: str) -> tuple[str, ...]:
    """Values on each side of a condition: the operand, and for a number test one above and
    one below it."""
    if operator.startswith("Number"):
        try:
            number = float(operand)
        except ValueError:
            return (operand,)
        shown = [f"{v:g}" for v in (number - 1, number + 1)]
        return (operand, *shown)
    return (operand,)


def _with_other(values: set[str]) -> tuple[str, ...]:
    other = OTHER_VALUE
    while other in values:
        other += "_"
    return (*sorted(values), other)


def _menu_keys(operands: set[str]) -> tuple[str | None, ...]:
    unlisted = next((k for k in _KEYPAD if k not in operands), None)
    chosen: list[str | None] = [*sorted(k for k in operands if k)]
    if unlisted is not None:
        chosen.append(unlisted)
    chosen.append(None)
    return tuple(chosen)


def _outside_options(action: Action) -> tuple[str | None, ...] | None:
    """The answers to try for an action whose outcome a service outside the flow gives (None
    for any other): what its Conditions test and a value none does (NoMatchingCondition), or
    its success (None, the engine's default); then `error:<ErrorType>` for each error it wires.
    The rules are ivr/flow_language.py's (`offline="answer"`, `result`, `errors`)."""
    described = spec(action.type)
    if described is None or described.offline != "answer":
        return None
    conditions = action.transitions.conditions
    options: list[str | None] = []
    branches_on_result = described.result and bool(conditions)
    if branches_on_result:
        tested = {
            value
            for c in conditions
            for o in c.condition.operands
            for value in _values_testing(c.condition.operator, str(o))
            if not value.startswith("$")  # a dynamic operand: its value is the contact's
        }
        options += _with_other(tested)
    else:
        options.append(None)
    wired = {e.error_type for e in action.transitions.errors}
    for error in sorted(wired):
        if error == NO_MATCHING_CONDITION and branches_on_result:
            continue  # the value no condition tests takes it
        if error == NO_MATCHING_ERROR:
            # An error the action may raise that has no branch of its own, as in Connect.
            unwired = sorted((described.errors or frozenset()) - wired)
            error = unwired[0] if unwired else NO_MATCHING_ERROR
        options.append(f"{ERROR_ANSWER}{error}")
    return tuple(dict.fromkeys(options))


def _invoked_modules(flow: Flow, folder: Path) -> list[Flow]:
    """The modules of `folder` the flow invokes (found as the engine finds them)."""
    modules = []
    for action in flow.actions:
        if action.type == "InvokeFlowModule":
            reference = str(action.params.get("FlowModuleId", ""))
            for name in candidate_names(reference):
                module = _load(folder / f"{name}.json") if _SAFE.match(name) else None
                if module is not None:
                    modules.append(module)
                    break
    return modules


def _outside_attributes(flow: Flow, modules: list[Flow]) -> tuple[str, ...]:
    """Attributes the flow compares that neither it nor a module it invokes sets (or that are
    set from their own old value): they come from outside the call."""
    compared: set[str] = set()
    set_here: set[str] = set()
    for action in flow.actions:
        if action.type == "Compare":
            source = str(action.params.get("ComparisonValue", ""))
            if source.startswith(_SELF_READ):
                compared.add(source[len(_SELF_READ) :])
    for setter in (flow, *modules):
        for action in setter.actions:
            if action.type == "UpdateContactAttributes":
                for name, value in (action.params.get("Attributes") or {}).items():
                    if f"{_SELF_READ}{name}" not in str(value):
                        set_here.add(name)
    return tuple(sorted(compared - set_here))


@dataclass
class _Choices:
    """The answers of one run: replayed from `prefix`, then the first alternative; `trace`
    records (site, number of alternatives, chosen) for every choice made."""

    prefix: tuple[int, ...]
    trace: list[tuple[tuple[Any, ...], int, int]] = field(default_factory=list)

    def choose(self, site: tuple[Any, ...], alternatives: int) -> int:
        index = len(self.trace)
        chosen = self.prefix[index] if index < len(self.prefix) else 0
        self.trace.append((site, alternatives, chosen))
        return chosen


class _LazyAnswer(dict[str, str]):
    """A Lambda's answer whose fields are chosen when the flow first reads them."""

    def __init__(self, world: _World, arn: str) -> None:
        super().__init__()
        self._world, self._arn = world, arn

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self:
            options = self._world.domains.field_values.get(key)
            if not options:
                return default
            site = ("field", self._arn, key, self._world.current)
            self[key] = options[self._world.choices.choose(site, len(options))]
        return super().get(key, default)


class _OutsideAnswers(Mapping[str, str]):
    """The call's `answers` (ivr/engine/blocks/_outside.py reads them by Identifier), each
    chosen when its action first asks. Its items are the answers chosen other than the
    default success, which is what a scenario's `answers` records."""

    def __init__(self, world: _World) -> None:
        self._world = world
        self._decided: dict[str, str | None] = {}

    def get(self, key: str, default: Any = None) -> Any:
        options = self._world.domains.outside_answers.get(key)
        if options is None:
            return default
        if key not in self._decided:
            site = ("answer", key)
            self._decided[key] = options[self._world.choices.choose(site, len(options))]
        value = self._decided[key]
        return default if value is None else value

    def __getitem__(self, key: str) -> str:
        value = self._decided.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return (key for key, value in self._decided.items() if value is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        # True while it may answer: the engine asks only a truthy `answers`.
        return bool(self._world.domains.outside_answers)


class _World:
    """The caller and the Lambda functions of one run (an InputSource, and what a Run calls
    on its `lambdas`), answering from the run's choices."""

    def __init__(self, domains: Domains, choices: _Choices) -> None:
        self.domains, self.choices = domains, choices
        self.current = ""
        self.inputs: list[str] = []
        self.asked: dict[str, int] = {}  # input action -> times asked (each a choice point)
        self.answers: dict[str, _LazyAnswer | None] = {}
        self.outside = _OutsideAnswers(self)

    def listen(self, event: Any) -> None:
        if type(event) is ActionEntered:
            self.current = event.identifier

    def next_keys(self, identifier: str, store: bool) -> str | None:
        options = STORED_ANSWERS if store else self.domains.menu_keys.get(identifier, (None,))
        asked = self.asked[identifier] = self.asked.get(identifier, 0) + 1
        # Each of the first LOOP_BOUND asks is a choice point of its own (a retry can take
        # branches the first ask can't); later asks share one, so a loop is not unrolled for
        # ever.
        site = ("input", identifier, min(asked, LOOP_BOUND))
        keys = options[self.choices.choose(site, len(options))]
        self.inputs.append(SILENCE if keys is None else keys)
        return keys

    def find(self, raw: str, resolved: str) -> LocalFunction:
        return LocalFunction(function_name(resolved or raw), canned=raw)

    def invoke(
        self, function: LocalFunction, arn: str, event: Any, time_limit: float, kind: str
    ) -> LambdaAnswer:
        raw = str(function.canned)
        if raw not in self.answers:
            fails = self.choices.choose(("lambda", raw, self.current), 2) == 1
            self.answers[raw] = None if fails else _LazyAnswer(self, raw)
        answer = self.answers[raw]
        if answer is None:
            return LambdaAnswer(None, "failing on purpose (ivr paths scenario)")
        return LambdaAnswer(answer)


@dataclass
class FoundPath:
    scenario: Scenario
    actions: list[tuple[str, str, int]]  # (flow, identifier, times entered in a row)
    outcome: str
    new_branches: list[Branch]


@dataclass
class PathsReport:
    flow: Path
    paths: list[FoundPath]
    reached: dict[tuple[str, str], str]  # (identifier, label) -> the first scenario's name
    dead: list[Branch]
    dead_actions: list[str]  # Identifiers no run entered
    runs: int
    complete: bool  # False when --max-runs stopped the search first
    # Every distinct path the search's runs took (a loop's repeats counted, not listed), with
    # its ending and how many runs took it.
    distinct: dict[tuple[tuple[str, str, int], ...], tuple[str, int]] = field(default_factory=dict)

    def scenarios(self) -> list[Scenario]:
        return [found.scenario for found in self.paths]

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow": str(self.flow),
            "runs": self.runs,
            "complete": self.complete,
            "paths": [
                {
                    "scenario": found.scenario.name,
                    "outcome": found.outcome,
                    "actions": [
                        {"flow": f, "identifier": i, "times": n} for f, i, n in found.actions
                    ],
                    "new_branches": [f"{b.identifier} {b.label}" for b in found.new_branches],
                }
                for found in self.paths
            ],
            "branches": [
                {"identifier": i, "label": label, "scenario": name}
                for (i, label), name in self.reached.items()
            ],
            "dead": [
                {"identifier": b.identifier, "label": b.label, "target": b.target}
                for b in self.dead
            ],
            "dead_actions": self.dead_actions,
            "distinct_paths": [
                {
                    "outcome": outcome,
                    "runs": count,
                    "actions": [f"{i} x{n}" if n > 1 else i for _, i, n in actions],
                }
                for actions, (outcome, count) in self.distinct.items()
            ],
        }


def find_paths(flow: str | Path, *, max_runs: int = DEFAULT_MAX_RUNS) -> PathsReport:
    flow_path = Path(flow)
    domains = Domains.of(flow_path)
    shape = FlowShape.load(flow_path)
    simulator = Simulator(flow_path)
    engine_name = simulator.flow.name
    branches = {(b.identifier, b.label): b for b in shape.branches}
    reached: dict[tuple[str, str], str] = {}
    tried: set[tuple[tuple[Any, ...], int, tuple[int, ...]]] = set()
    queued: set[tuple[int, ...]] = {()}
    pending: deque[tuple[int, ...]] = deque([()])
    paths: list[FoundPath] = []
    entered: set[str] = set()
    distinct: dict[tuple[tuple[str, str, int], ...], tuple[str, int]] = {}
    runs = 0
    while pending and runs < max_runs:
        prefix = pending.popleft()
        choices = _Choices(prefix)
        world = _World(domains, choices)
        simulator.lambdas = world  # type: ignore[assignment]
        options = _top_level(domains, choices)
        setting = tuple(c for _, _, c in choices.trace)  # the world outside the call
        # The search drives the Simulator itself, not through a Scenario: `world` chooses
        # keys, Lambda answers and outside answers as the call asks for them, so a run is no
        # call written down beforehand. The path it finds is then one (`_scenario`).
        result = simulator.call(
            input_source=world, listener=world.listen, answers=world.outside, **options
        )
        runs += 1
        entered.update(
            e.identifier
            for e in result.events
            if type(e) is ActionEntered and e.flow == engine_name
        )
        walked = tuple(_compressed(result))
        outcome, seen = distinct.get(walked, (result.outcome.describe(), 0))
        distinct[walked] = (outcome, seen + 1)
        taken = [key for key in branches_in(result, engine_name) if key in branches]
        new = [key for key in dict.fromkeys(taken) if key not in reached]
        if new or not paths:
            scenario = _scenario(len(paths) + 1, options, world)
            for key in new:
                reached[key] = scenario.name
            paths.append(
                FoundPath(
                    scenario,
                    list(walked),
                    outcome,
                    [branches[k] for k in new],
                )
            )
        # Every other answer is tried after a run that took a new branch (the branches near
        # a new one may need the answers that led there); after any other run only answers
        # no run has tried at that point yet in the same setting (attributes, hours, queue).
        for position in range(len(prefix), len(choices.trace)):
            site, alternatives, chosen = choices.trace[position]
            for alternative in range(alternatives):
                attempt = (site, alternative, setting)
                if alternative == chosen or (not new and attempt in tried):
                    continue
                tried.add(attempt)
                made = tuple(c for _, _, c in choices.trace[:position])
                child = (*made, alternative)
                if child not in queued:
                    queued.add(child)
                    # Near a new branch first: where more new ones are likeliest.
                    (pending.appendleft if new else pending.append)(child)
    dead = [b for key, b in branches.items() if key not in reached]
    unentered = [i for i in shape.actions if i not in entered]
    return PathsReport(flow_path, paths, reached, dead, unentered, runs, not pending, distinct)


def _top_level(domains: Domains, choices: _Choices) -> dict[str, Any]:
    attributes: dict[str, str] = {}
    for name in domains.outside_attributes:
        values = (*domains.field_values.get(name, ()), None)
        value = values[choices.choose(("attribute", name), len(values))]
        if value is not None and value != OTHER_VALUE:
            attributes[name] = value
    options: dict[str, Any] = {"attributes": attributes}
    if domains.uses_hours:
        options["hours_open"] = choices.choose(("hours",), 2) == 0
    if domains.uses_queue:
        options["queue_at_capacity"] = choices.choose(("queue",), 2) == 1
    if domains.uses_distribution:
        options["seed"] = choices.choose(("seed",), 10)
    return options


def branches_in(result: CallResult, flow_name: str) -> Iterator[tuple[str, str]]:
    """(identifier, label) of the branches `result` took in the flow named `flow_name` (its
    file name, as the engine names flows): a module's return counts for the InvokeFlowModule
    action that called it; a move into another flow ("flow:...") is no branch of the flow."""
    callers: list[str] = []
    flow, action_type = "", ""
    for event in result.events:
        if type(event) is ActionEntered:
            flow, action_type = event.flow, event.type
        elif type(event) is BranchTaken:
            if event.branch.startswith("flow:"):
                if action_type == "InvokeFlowModule":
                    callers.append(flow)
                continue
            if action_type == "EndFlowModuleExecution" and callers:
                flow, action_type = callers.pop(), "InvokeFlowModule"
            if flow == flow_name:
                yield event.identifier, event.branch


def _compressed(result: CallResult) -> list[tuple[str, str, int]]:
    actions: list[tuple[str, str, int]] = []
    for event in result.events:
        if type(event) is ActionEntered:
            if actions and actions[-1][:2] == (event.flow, event.identifier):
                flow, identifier, times = actions[-1]
                actions[-1] = (flow, identifier, times + 1)
            else:
                actions.append((event.flow, event.identifier, 1))
    return actions


def _scenario(number: int, options: dict[str, Any], world: _World) -> Scenario:
    lambdas: dict[str, Any] = {
        arn: FAILING_LAMBDA if answer is None else dict(answer)
        for arn, answer in world.answers.items()
    }
    return Scenario(
        name=f"path {number}",
        inputs=list(world.inputs),
        attributes=dict(options.get("attributes", {})),
        hours="open" if options.get("hours_open", True) else "closed",
        queue_at_capacity=bool(options.get("queue_at_capacity", False)),
        lambdas=lambdas,
        answers=dict(world.outside),
        seed=int(options.get("seed", 0)),
    )


def scenarios_document(report: PathsReport) -> dict[str, Any]:
    """The scenarios as a scenarios file (`ivr coverage --scenarios`) holds them."""
    return {"scenarios": [scenario.as_document() for scenario in report.scenarios()]}


def format_paths(report: PathsReport) -> str:
    lines = [
        f"{report.flow}: {len(report.paths)} paths take every reachable branch; "
        f"{len(report.distinct)} distinct paths in {report.runs} runs"
        f"{'' if report.complete else ' (stopped at --max-runs)'}; each loop's first "
        f"{LOOP_BOUND} rounds explored, repeats counted (x N)",
        "",
    ]
    for found in report.paths:
        shown = " > ".join(i if n == 1 else f"{i} x{n}" for _, i, n in found.actions)
        lines.append(f"{found.scenario.name}: {found.outcome}")
        lines.append(f"  inputs {found.scenario.inputs or '-'}  {_settings(found.scenario)}")
        lines.append(f"  {shown}")
    lines += ["", f"Branches reached: {len(report.reached)}; dead: {len(report.dead)}"]
    for identifier in report.dead_actions:
        lines.append(f"  dead action: {identifier}")
    for branch in report.dead:
        lines.append(f"  dead: {branch.identifier} {branch.label} -> {branch.target}")
    return "\n".join(lines) + "\n"


def _settings(scenario: Scenario) -> str:
    parts = []
    if scenario.attributes:
        parts.append(f"attributes {scenario.attributes}")
    if scenario.hours != "open":
        parts.append("hours closed")
    if scenario.queue_at_capacity:
        parts.append("queue at capacity")
    for arn, answer in scenario.lambdas.items():
        shown = "fails" if answer == FAILING_LAMBDA else json.dumps(answer, ensure_ascii=False)
        parts.append(f"{function_name(arn)} {shown}")
    return "; ".join(parts)
