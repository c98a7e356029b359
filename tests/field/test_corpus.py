"""The field corpus (tests/fixtures/field/, SOURCES.md): real Flow language exports Connect
accepted, each linted, simulated, rendered and diffed the way a team would on day one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivr.diff import diff_flows
from ivr.engine import simulate
from ivr.engine.events import NORMAL_ENDINGS
from ivr.flow_language import ACTIONS
from ivr.lint import lint_paths, read_flow
from ivr.render import FORMATS, render
from models.flow import Flow
from tests.lint.test_diff import relaid

FIELD = Path(__file__).resolve().parent.parent / "fixtures" / "field"
FLOWS = sorted(FIELD.glob("*.json"))


def test_the_corpus_is_at_least_thirty_flows_each_with_its_source():
    sources = (FIELD / "SOURCES.md").read_text(encoding="utf-8")
    assert len(FLOWS) >= 30
    for path in FLOWS:
        assert f"`{path.name}`" in sources, f"{path.name} has no row in SOURCES.md"


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
def test_lint_finds_no_error(path):
    errors = [f for f in lint_paths([path]) if f.is_error]
    assert errors == [], "\n".join(str(f) for f in errors)


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
@pytest.mark.parametrize("inputs", [(), ("1", "1", "1")], ids=["silent", "presses-1"])
def test_a_call_reaches_an_end_with_every_action_type_run(path, inputs):
    result = simulate(path, inputs=list(inputs))
    assert result.outcome.type in NORMAL_ENDINGS, result.outcome.describe()
    entered = {e.type for e in result.events if e.kind == "action"}
    assert entered <= set(ACTIONS)


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
def test_every_action_type_is_in_the_description_of_connect(path):
    types = {a["Type"] for a in json.loads(path.read_text(encoding="utf-8"))["Actions"]}
    assert types <= set(ACTIONS), sorted(types - set(ACTIONS))


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
def test_renders_every_action_in_both_formats(path):
    flow = read_flow(path)
    for fmt in FORMATS:
        text = render(flow, fmt)
        assert text.strip(), fmt
        assert text.count("\n") >= len(flow.actions), fmt


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
def test_diffs_empty_against_a_relaid_copy(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    assert diff_flows(Flow.model_validate(document), Flow.model_validate(relaid(document, 3))) == []
