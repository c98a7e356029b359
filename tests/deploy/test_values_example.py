"""deploy/values.example.json, the values file deploy/README.md's first deployment starts from:
a valid values file that, with the stack's outputs, fills every placeholder of the flows."""

from __future__ import annotations

import json
from pathlib import Path

from ivr.deploy.environment import ValuesFile
from ivr.deploy.placeholders import placeholders_in
from ivr.template import load_template

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "values.example.json"


def test_the_example_is_a_values_file_with_an_instance() -> None:
    values = ValuesFile.model_validate_json(EXAMPLE.read_text())
    assert values.instance_arn and values.instance_arn.startswith("arn:aws:connect:")


def test_the_example_and_the_stack_outputs_fill_every_placeholder_of_the_flows() -> None:
    values = ValuesFile.model_validate_json(EXAMPLE.read_text()).values
    outputs = load_template(ROOT / "template.yaml")["Outputs"]
    needed: set[str] = set()
    for flow in sorted((ROOT / "contact_flows").glob("*.json")):
        if flow.name != "manifest.json":
            needed |= placeholders_in(json.loads(flow.read_text()))
    # ${Flow:...} and ${Module:...} are the manifest's own flows, filled by ivr deploy itself.
    external = {name for name in needed if ":" not in name}
    assert external, "the flows name no stack or instance value"
    assert external - set(outputs) - set(values) == set()
