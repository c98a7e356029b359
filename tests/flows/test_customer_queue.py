"""customer_queue.json: what a caller waiting in a queue hears, in their language.

Connect runs it once the inbound flow has queued the call (the simulator ends the inbound
call there), so it is simulated on its own, with the attributes main_inbound leaves."""

from __future__ import annotations

import pytest

from ivr.testing import run_call
from tests.flows.line import FLOWS, TEMPLATE

QUEUE_FLOW = FLOWS / "customer_queue.json"


@pytest.mark.parametrize(
    ("language", "expected", "other"),
    [("ja", "このままお待ちください", "Please stay"), ("en", "Please stay on the line", "お待ち")],
)
def test_hold_messages_in_the_callers_language(language, expected, other):
    call = run_call(
        QUEUE_FLOW,
        template=TEMPLATE,
        attributes={"language": language, "flowVersion": "main-inbound@2.0.0"},
    )
    call.expect.prompt().containing(expected)
    call.expect.prompt()  # the second hold message
    call.expect.ended_with("end_flow")  # End flow / Resume: the caller stays queued
    call.expect.unordered.never.prompt().containing(other)
    call.expect.attribute("flowVersion", "main-inbound@2.0.0 customer-queue@1.0.0")


def test_hold_messages_default_to_japanese_without_a_language():
    call = run_call(QUEUE_FLOW, template=TEMPLATE)
    call.expect.prompt().containing("お待たせしております")


def test_version_is_stamped_once_when_the_flow_runs_again():
    stamped = "main-inbound@2.0.0 customer-queue@1.0.0"
    call = run_call(QUEUE_FLOW, template=TEMPLATE, attributes={"flowVersion": stamped})
    call.expect.never.action("stamp-version")
    call.expect.attribute("flowVersion", stamped)
