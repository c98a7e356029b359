"""The deployed form is the tested form: each function's Lambda artifact, built as `sam build`
builds it, answers a recorded Connect event in an interpreter that has nothing else.

This is the test that catches an artifact missing a driver, shipping `ivr/`, lacking bytecode
or depending on a variable template.yaml never sets. Building for arm64 can't be run here, so
the artifact is built for this CPU with the same steps, and the arm64 plan is checked to name
the same distributions.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from functions.config import DATABASE_URL, FIXED_NOW, PIN_HASH_COST
from tests.artifacts.conftest import (
    DEPLOYED_BACKEND,
    FUNCTIONS,
    Invoke,
    build_artifact,
    cases,
    template_environment,
)

pytestmark = pytest.mark.service

# Variables the code looks at that a deployed stack deliberately leaves unset: the simulator's
# fixed clock, the plain database URL that takes the secret's place outside AWS, and the tests'
# cheap PIN hashes (a stack always writes the production cost).
UNSET_IN_A_STACK = {FIXED_NOW, DATABASE_URL, PIN_HASH_COST}
# The callback workflow's functions (issue 11) and what each answers its seeded event.
WORKFLOW_ANSWERS: dict[str, tuple[str, object]] = {
    "StartCallbackWorkflowFunction": ("batchItemFailures", []),
    "CallbackStepsFunction": ("action", "dial"),
    # moto has no StartOutboundVoiceContact (404): the artifact got as far as the call, with its
    # configuration, and raised by name for the state machine. The call itself is tested
    # against botocore's Stubber in tests/workflow.
    "PlaceCallbackFunction": ("errorType", "DialRefused"),
    # No dialing step waits for the seeded contact's callback.
    "ReportCallbackOutcomeFunction": ("status", "not_found"),
}
# What a shipped distribution's folder is called: its .dist-info, name-version.
_DIST_INFO = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+)\.dist-info$")


def shipped_distributions(artifact: Path) -> set[str]:
    return {
        build_artifact.normalize(match["name"])
        for entry in artifact.iterdir()
        if (match := _DIST_INFO.match(entry.name))
    }


def _cases_of(function: str) -> list[str]:
    return [case for name, case in cases() if name == function]


@pytest.mark.parametrize(("function", "case"), cases())
def test_artifact_answers_ok_for_a_seeded_record(invoke: Invoke, function: str, case: str) -> None:
    invocation = invoke(function, case)
    assert invocation.python == build_artifact.LAMBDA_PYTHON
    if function in WORKFLOW_ANSWERS:
        key, expected = WORKFLOW_ANSWERS[function]
        assert invocation.answer.get(key) == expected, f"{invocation.answer}\n{invocation.log}"
        return
    assert invocation.answer.get("status") == "ok", f"{invocation.answer}\n{invocation.log}"
    found = {
        "IdentifyCallerFunction": ("customerFound", "true"),
        "RequestCallbackFunction": ("confirmed", "true"),
        "VerifyPinFunction": ("verified", "true"),
        "OrderStatusFunction": ("orderFound", "true"),
        "CheckBusinessStatusFunction": ("isOpen", invocation.answer.get("isOpen")),
    }[function]
    assert (found[0], invocation.answer.get(found[0])) == found, invocation.answer
    assert all(isinstance(v, str) for v in invocation.answer.values()), "a flat string map"


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_every_imported_module_was_shipped_as_bytecode(invoke: Invoke, function: str) -> None:
    for case in _cases_of(function):
        assert invoke(function, case).without_bytecode == [], case


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_artifact_ships_exactly_what_its_calls_import(
    invoke: Invoke, artifacts: dict[str, Path], function: str
) -> None:
    shipped = shipped_distributions(artifacts[function])
    imported: set[str] = set()
    for case in _cases_of(function):
        imported |= {build_artifact.normalize(d) for d in invoke(function, case).distributions}
    imported -= build_artifact.RUNTIME_PROVIDED
    assert shipped - imported == set(), "shipped but never imported: drop it from artifacts.toml"
    assert imported - shipped == set(), "imported from outside the artifact"


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_artifact_holds_only_functions_models_and_the_dependencies(
    artifacts: dict[str, Path], function: str
) -> None:
    artifact = artifacts[function]
    ours = {entry.name for entry in artifact.iterdir()} & {"ivr", "tests", "bench", "deploy"}
    assert ours == set()
    assert (artifact / "functions").is_dir() and (artifact / "models").is_dir()
    assert not (artifact / "bin").exists()
    for pruned in build_artifact.pruned_paths():
        assert not (artifact / pruned).exists(), pruned


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_arm64_build_holds_the_same_distributions(
    artifacts: dict[str, Path], function: str
) -> None:
    """The lambda plan is what `sam build` installs for arm64; resolving it proves every
    distribution has a cp312 aarch64 wheel (the plan refuses source builds)."""
    requirements = build_artifact.function_requirements(function)
    arm64 = build_artifact.plan(requirements, build_artifact.Target.named("lambda"))
    assert set(arm64) == shipped_distributions(artifacts[function])


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_template_environment_is_what_the_code_reads(invoke: Invoke, function: str) -> None:
    """On the deployed backend: every IVR_* variable the code reads is set by the template
    (or deliberately unset), and every variable the template sets is read."""
    invocation = invoke(function, DEPLOYED_BACKEND.get(function, "dynamodb"))
    read = set(invocation.read)
    template = set(template_environment(function))
    ours_read = {name for name in read if name.startswith("IVR_")}
    assert ours_read - template - UNSET_IN_A_STACK == set(), "read but not set in template.yaml"
    assert template - read == set(), "set in template.yaml but never read"
    assert UNSET_IN_A_STACK & template == set()
