"""Every real public flow export simulates to an end (or stops naming an unsupported Type)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.engine import SUPPORTED_TYPES, Simulator
from ivr.engine.compiler import load_flow

PUBLIC_FLOWS = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "public-flows"
FILES = sorted(PUBLIC_FLOWS.glob("*.json")) if PUBLIC_FLOWS.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/fixtures/public-flows is absent")

SCRIPTS = [[], ["1"], ["2"], ["3"], ["9"], ["19801231123#"], ["Sales"], ["Finance"], ["timeout"]]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name.split("__")[-1])
def test_public_flow_simulates_to_an_end(path):
    simulator = Simulator(path)
    for inputs in SCRIPTS:
        for hours_open in (True, False):
            result = simulator.call(inputs=inputs, hours_open=hours_open)
            if result.outcome.type == "error":
                assert "is not supported by the simulator" in result.outcome.error
            else:
                assert result.ok, result.outcome
            assert result.path[0] == simulator.flow.start


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name.split("__")[-1])
def test_every_action_type_of_the_public_flows_is_supported(path):
    assert load_flow(path).types <= SUPPORTED_TYPES


def test_bank_id_flow_reaches_the_queue_when_the_lambda_answers(tmp_path):
    path = PUBLIC_FLOWS / "amazon-connect__amazon-connect-snippets__contact-flow.json"
    answer = tmp_path / "complete.json"
    answer.write_text('{"status": "complete", "orderRef": "r-1"}', encoding="utf-8")
    simulator = Simulator(path, lambdas={"REPLACE_WITH_LAMBDA_FUNCTION_ARN": str(answer)})
    result = simulator.call(inputs=["198012311234#"])
    assert result.lambda_calls[0].parameters == {"orderRef": "", "personnummer": "198012311234"}
    assert result.outcome.type == "queue"
    assert result.outcome.queue_arn == "REPLACE_WITH_SAMPLE_BASIC_QUEUE_ARN"
