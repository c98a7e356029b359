"""Together, the scenarios of tests/flows/scenarios.py enter every action of main_inbound.json
and take every branch the simulator can produce; and no scenario ends in an error or a loop.

Each scenario runs on a store of its own (a PIN lockout or an emergency must not leak into
the next). Coverage comes from ivr.coverage, the engine's events read per flow file, of the
calls the other tests of tests/flows already made (scenarios.RUNS; tests/flows/conftest.py runs
this module last); a scenario no test ran is run here.
"""

from __future__ import annotations

import pytest

from ivr.coverage import CoverageCollector, FlowCoverage
from tests.flows.line import MAIN, seeded_line
from tests.flows.scenarios import RUNS, SCENARIOS

# Error branches of action types that never fail in the simulator (a prompt, setting an
# attribute, a voice, an event hook, a static queue ARN) or only on a channel the step
# before already turned away (store-mode input reached by voice contacts only). They are
# wired so that Connect never drops a caller; the simulator can't take them.
UNREACHABLE_ERRORS = {
    "MessageParticipant": {"error:NoMatchingError"},
    "UpdateContactAttributes": {"error:NoMatchingError"},
    "UpdateContactTextToSpeechVoice": {"error:NoMatchingError"},
    "UpdateContactEventHooks": {"error:NoMatchingError"},
    "UpdateContactTargetQueue": {"error:NoMatchingError"},
    "TransferContactToQueue": {"error:NoMatchingError"},
}
STORE_INPUT_ERRORS = {"ask-order-number-ja", "ask-order-number-en"}


@pytest.fixture(scope="module")
def coverage(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FlowCoverage]:
    collector = CoverageCollector()
    collector.add_flow(MAIN)
    endings: list[str] = []
    for name, run in SCENARIOS.items():
        if name not in RUNS:
            with seeded_line(tmp_path_factory.mktemp(name)) as line:
                run(line)
        for call in RUNS[name]:
            # A scenario may run a copy of main_inbound.json: its events name the same file.
            collector.record(MAIN, call.result.events)
            if call.result.outcome.type not in ("queue", "disconnect"):
                endings.append(f"{name}: {call.report()}")
    assert endings == [], "\n\n".join(endings)
    return {flow.shape.path.name: flow for flow in collector.report().flows}


@pytest.fixture
def main_coverage(coverage: dict[str, FlowCoverage]) -> FlowCoverage:
    return coverage[MAIN.name]


def test_every_scenario_is_a_function_of_its_name():
    assert len(SCENARIOS) >= 40
    assert all(callable(run) for run in SCENARIOS.values())


def test_every_action_of_main_inbound_is_entered(main_coverage: FlowCoverage):
    assert main_coverage.shape.path == MAIN.resolve()
    assert main_coverage.uncovered_actions == []


def test_every_reachable_branch_of_main_inbound_is_taken(main_coverage: FlowCoverage):
    types = main_coverage.shape.actions
    missing = [
        f"{b.identifier} {b.label} -> {b.target}"
        for b in main_coverage.uncovered_branches
        if b.label not in UNREACHABLE_ERRORS.get(types[b.identifier], set())
        and not (b.identifier in STORE_INPUT_ERRORS and b.label == "error:NoMatchingError")
    ]
    assert missing == []


@pytest.mark.parametrize("module", ["pin_verification.json", "callback_request.json"])
def test_every_action_of_the_modules_is_entered(coverage, module):
    assert coverage[module].uncovered_actions == []
