"""contact_flows/ as deploy reads it: every flow in the manifest, each stamping the version
the manifest gives it, and `ivr lint` clean against the five functions' contracts."""

from __future__ import annotations

import json
import re

import pytest

from ivr.deploy.manifest import load_manifest
from ivr.lint import lint_paths
from tests.flows.line import FLOWS, MAIN, TEMPLATE

MANIFEST = load_manifest(FLOWS)
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def stamps(entry_file: str) -> list[str]:
    """The flowVersion values the flow's UpdateContactAttributes actions set."""
    document = json.loads((FLOWS / entry_file).read_text(encoding="utf-8"))
    return [
        action["Parameters"]["Attributes"]["flowVersion"]
        for action in document["Actions"]
        if action["Type"] == "UpdateContactAttributes"
        and "flowVersion" in action["Parameters"].get("Attributes", {})
    ]


def test_every_json_flow_is_in_the_manifest():
    files = {p.name for p in FLOWS.glob("*.json")} - {"manifest.json"}
    assert files == {entry.file for entry in MANIFEST.flows}


@pytest.mark.parametrize("entry", MANIFEST.flows, ids=lambda e: e.name)
def test_each_flow_stamps_its_manifest_version(entry):
    assert SEMVER.match(entry.version), entry.version
    assert entry.description
    found = stamps(entry.file)
    assert len(found) == 1, found
    # main-inbound sets it; modules and the queue flow append to what the call carries.
    tag = found[0].rsplit(" ", 1)[-1]
    assert tag == f"{entry.name}@{entry.version}"
    if entry.name != "main-inbound":
        assert found[0] == f"$.Attributes.flowVersion {tag}"


def test_main_inbound_is_version_2():
    entry = MANIFEST.entry("main-inbound")
    assert (entry.type, entry.version, entry.file) == ("CONTACT_FLOW", "2.0.0", MAIN.name)
    modules = {e.name for e in MANIFEST.flows if e.is_module}
    assert modules == {"pin-verification", "callback-request"}
    assert MANIFEST.entry("customer-queue").type == "CUSTOMER_QUEUE"


def test_flow_references_name_flows_of_the_manifest():
    text = MAIN.read_text(encoding="utf-8")
    referenced = set(re.findall(r"\$\{(?:Flow|Module):([\w.-]+)\}", text))
    assert referenced == {"pin-verification", "callback-request", "customer-queue"}
    names = {e.name for e in MANIFEST.flows}
    assert referenced <= names


def test_lint_finds_nothing():
    findings = lint_paths([FLOWS], template=TEMPLATE)
    assert [str(f) for f in findings] == []


def test_lint_contract_check_is_live(tmp_path):
    """The contract check reads the handlers: a flow reading a key verify_pin never answers
    is an error (so the clean result above means something)."""
    document = json.loads((FLOWS / "pin_verification.json").read_text(encoding="utf-8"))
    for action in document["Actions"]:
        if action["Identifier"] == "check-pin-verified":
            action["Parameters"]["ComparisonValue"] = "$.External.pinOk"
    path = tmp_path / "pin_verification.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    codes = {f.code for f in lint_paths([path], template=TEMPLATE)}
    assert "unknown-external-key" in codes


def test_every_lambda_passes_its_time_limit():
    for entry in MANIFEST.flows:
        document = json.loads((FLOWS / entry.file).read_text(encoding="utf-8"))
        for action in document["Actions"]:
            if action["Type"] == "InvokeLambdaFunction":
                params = action["Parameters"]
                passed = params["LambdaInvocationAttributes"]["timeLimitSeconds"]
                assert passed == params["InvocationTimeLimitSeconds"] == "3"
                assert params["ResponseValidation"] == {"ResponseType": "STRING_MAP"}
