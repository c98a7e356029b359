"""Calls simulated with their flow log written, then summarized from the log: the summary agrees
exactly with the engine's own counts (entries, branches, outcomes, queues, Lambda calls)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ivr.coverage import FlowShape
from ivr.flowlogs.contacts import contacts
from ivr.flowlogs.generate import a_day_of_calls
from ivr.flowlogs.reader import ReadReport, read_stream
from ivr.flowlogs.summary import summarize
from ivr.flowlogs.writer import records_for, write_records
from tests.flowlogs.engine_counts import engine_counts

FLOWS = Path(__file__).resolve().parents[2] / "contact_flows"


def _summary_of(calls, flow: Path):
    log = io.StringIO()
    for call in calls:
        write_records(records_for(call.result, call.contact_id, start=call.start), log)
    log.seek(0)
    report = ReadReport()
    summary = summarize(contacts(read_stream(log, "log", report)), FlowShape.load(flow))
    assert report.unreadable == 0
    return summary


@pytest.mark.parametrize(
    "name", ["main_inbound", "pin_verification", "callback_request", "customer_queue"]
)
def test_summary_agrees_with_the_engine(name):
    flow = FLOWS / f"{name}.json"
    calls = list(a_day_of_calls(flow, 400, seed=7))
    summary = _summary_of(calls, flow)
    expected = engine_counts((c.result for c in calls), flow.name)

    assert summary.contacts == 400
    assert {k: v for k, v in summary.outcomes.items() if v} == dict(expected.outcomes)
    assert dict(summary.queues) == dict(expected.queues)
    entries = {t.identifier: t.entries for t in summary.actions.values()}
    assert entries == dict(expected.entries)
    branches = {
        (t.identifier, label): n
        for t in summary.actions.values()
        for label, n in t.branches.items()
        if n
    }
    assert branches == dict(expected.branches)
    lambdas = {name: t.calls for name, t in summary.lambdas.items()}
    assert lambdas == dict(expected.lambda_calls)
    failures = {name: t.errors + t.timeouts for name, t in summary.lambdas.items() if t.errors}
    assert failures == dict(expected.lambda_failures)


def test_main_inbound_day_takes_many_branches():
    """The generated day is varied enough for the agreement above to mean something."""
    flow = FLOWS / "main_inbound.json"
    calls = list(a_day_of_calls(flow, 400, seed=7))
    expected = engine_counts((c.result for c in calls), flow.name)
    assert len(expected.branches) > 80
    assert set(expected.outcomes) >= {"queue", "disconnect"}
    assert sum(expected.lambda_failures.values()) > 0
