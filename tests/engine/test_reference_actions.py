"""Every action Type of the Flow language reference runs offline, with the branches the
reference describes (ivr/flow_language.py cites the page of each)."""

from __future__ import annotations

import json

import pytest

from ivr import cli
from ivr.engine import simulate
from ivr.engine.transcript import render
from ivr.flow_language import ACTIONS
from ivr.scenarios import Scenario
from tests.engine.conftest import action, say

RECORDED = sorted(t for t, s in ACTIONS.items() if s.offline == "record")
ANSWERED = sorted(t for t, s in ACTIONS.items() if s.offline == "answer")


def _then_ok_or_failed(type_: str, parameters: dict | None = None, **transitions) -> list:
    """`type_` as the first action, NextAction to "ok", NoMatchingError to "failed"."""
    errors = {"NoMatchingError": "failed", **transitions.pop("errors", {})}
    return [
        action("under-test", type_, parameters, next_action="ok", errors=errors, **transitions),
        say("ok", "went on", "hangup"),
        say("failed", "failed", "hangup"),
    ]


@pytest.mark.parametrize("type_", sorted(ACTIONS))
def test_no_reference_action_is_refused(write_flow, type_):
    result = simulate(write_flow(*_then_ok_or_failed(type_)))
    assert "not supported" not in (result.outcome.error or "")


@pytest.mark.parametrize("type_", RECORDED)
def test_an_action_without_offline_effect_is_recorded_and_takes_its_success_branch(
    write_flow, type_
):
    result = simulate(write_flow(*_then_ok_or_failed(type_, {"Setting": "On"})))
    assert result.path[:2] == ["under-test", "ok"]
    lines = render(result.events)
    assert f"Connect {ACTIONS[type_].would} (Setting=On): not simulated ({type_})" in lines


def test_media_streaming_reads_as_what_connect_would_do(write_flow):
    parameters = {"MediaStreamingState": "Enabled", "MediaStreamType": "Audio"}
    result = simulate(
        write_flow(*_then_ok_or_failed("UpdateContactMediaStreamingBehavior", parameters))
    )
    assert (
        "Connect turns live media streaming (MediaStreamingState=Enabled, MediaStreamType=Audio)"
        ": not simulated (UpdateContactMediaStreamingBehavior)"
    ) in render(result.events)


@pytest.mark.parametrize("type_", ANSWERED)
def test_an_outside_action_answered_with_an_error_takes_that_error_branch(write_flow, type_):
    actions = _then_ok_or_failed(type_, errors={"NoneFoundError": "none"})
    flow = write_flow(*actions, say("none", "nothing found", "hangup"))
    assert simulate(flow, answers={type_: "error:NoneFoundError"}).path[:2] == [
        "under-test",
        "none",
    ]
    # Another error takes NoMatchingError (connect.md 2.2).
    failed = simulate(flow, answers={type_: "error:SomethingElse"})
    assert failed.path[:2] == ["under-test", "failed"]


@pytest.mark.parametrize(
    "type_", [t for t in ANSWERED if not ACTIONS[t].result and ACTIONS[t].default_answer is None]
)
def test_an_outside_action_without_an_answer_succeeds(write_flow, type_):
    result = simulate(write_flow(*_then_ok_or_failed(type_)))
    assert result.path[:2] == ["under-test", "ok"]
    assert any(line.endswith(f": by default, success ({type_})") for line in render(result.events))


def test_an_answer_for_the_identifier_wins_over_one_for_the_type(write_flow):
    flow = write_flow(*_then_ok_or_failed("GetCustomerProfile"))
    result = simulate(
        flow, answers={"GetCustomerProfile": "error:NoneFoundError", "under-test": "found"}
    )
    assert result.path[:2] == ["under-test", "ok"]


def _view(**options):
    return [
        action(
            "view",
            "ShowView",
            {"ViewResource": {"Id": "arn:aws:connect:::view/form"}, "ViewData": {"Show": True}},
            conditions={"Submit": "submitted", "Back": "back"},
            errors={"NoMatchingCondition": "other", "NoMatchingError": "failed"},
        ),
        say("submitted", "submitted", "hangup"),
        say("back", "back", "hangup"),
        say("other", "other", "hangup"),
        say("failed", "failed", "hangup"),
    ]


def test_show_view_branches_on_the_action_the_person_took(write_flow):
    # REF:participant-actions-showview: Conditions on the view action, else NoMatchingCondition.
    flow = write_flow(*_view())
    assert simulate(flow).path[1] == "submitted"  # default: the first Condition
    assert simulate(flow, answers={"ShowView": "Back"}).path[1] == "back"
    assert simulate(flow, answers={"view": "Cancel"}).path[1] == "other"
    assert simulate(flow, answers={"view": "error:TimeLimitExceeded"}).path[1] == "failed"


def test_check_outbound_call_status_defaults_to_an_answered_call(write_flow):
    # REF:flow-control-actions-checkoutboundcallstatus: CallAnswered, VoicemailBeep, ...
    flow = write_flow(
        action(
            "status",
            "CheckOutboundCallStatus",
            conditions={"VoicemailBeep": "voicemail", "CallAnswered": "answered"},
            errors={"NoMatchingCondition": "other"},
        ),
        say("voicemail", "leave a message", "hangup"),
        say("answered", "hello", "hangup"),
        say("other", "other", "hangup"),
    )
    assert simulate(flow).path[1] == "answered"
    assert simulate(flow, answers={"CheckOutboundCallStatus": "VoicemailBeep"}).path[1] == (
        "voicemail"
    )
    assert simulate(flow, answers={"status": "NotDetected"}).path[1] == "other"


def test_wait_completes_unless_the_scenario_says_the_customer_returned(write_flow):
    # EXPORT (rules engine): Conditions CustomerReturned / WaitCompleted on Wait.
    flow = write_flow(
        action(
            "wait",
            "Wait",
            {"TimeLimitSeconds": "900", "Events": ["CustomerReturned"]},
            conditions={"CustomerReturned": "returned", "WaitCompleted": "completed"},
            errors={"NoMatchingError": "hangup"},
        ),
        say("returned", "welcome back", "hangup"),
        say("completed", "bye", "hangup"),
    )
    assert simulate(flow).path[1] == "completed"
    assert simulate(flow, answers={"Wait": "CustomerReturned"}).path[1] == "returned"


def _lex(conditions: dict[str, str] | None) -> list:
    return [
        action(
            "lex",
            "ConnectParticipantWithLexBot",
            {"Text": "How can I help?", "LexV2Bot": {"AliasArn": "arn:bot"}},
            next_action="console-error-target",
            conditions=conditions,
            errors={"NoMatchingCondition": "unmatched", "NoMatchingError": "console-error-target"},
        ),
        say("console-error-target", "error", "hangup"),
        say("unmatched", "unmatched", "hangup"),
        say("sales", "sales", "hangup"),
    ]


def test_lex_without_conditions_takes_no_matching_condition_not_next_action(write_flow):
    # REF:participant-actions-connectparticipantwithlexbot: an intent no Condition names.
    result = simulate(write_flow(*_lex(None)), inputs=["Sales"])
    assert result.path[:2] == ["lex", "unmatched"]


def test_lex_with_conditions_takes_the_matching_intent(write_flow):
    flow = write_flow(*_lex({"Sales": "sales"}))
    assert simulate(flow, inputs=["Sales"]).path[:2] == ["lex", "sales"]
    assert simulate(flow, inputs=["Billing"]).path[:2] == ["lex", "unmatched"]


def test_loop_prompts_with_no_way_out_plays_until_the_contact_leaves(write_flow):
    flow = write_flow(
        action("loop", "MessageParticipantIteratively", {"Messages": [{"Text": "Please hold"}]})
    )
    result = simulate(flow)
    assert result.outcome.type == "end_flow"
    assert result.prompts == ["Please hold"]
    assert any("repeats these messages" in line for line in render(result.events))


def test_loop_prompts_takes_messages_interrupted(write_flow):
    flow = write_flow(
        action(
            "loop",
            "MessageParticipantIteratively",
            {"Messages": [{"Text": "Please hold"}], "InterruptFrequencySeconds": "30"},
            conditions={"MessagesInterrupted": "interrupted"},
        ),
        say("interrupted", "still there?", "hangup"),
    )
    assert simulate(flow).path[:2] == ["loop", "interrupted"]


def test_dequeue_and_transfer_queues_the_contact_unless_at_capacity(write_flow):
    flow = write_flow(
        action(
            "move",
            "DequeueContactAndTransferToQueue",
            {"QueueId": "arn:aws:connect:::queue/sales"},
            errors={"QueueAtCapacity": "full", "NoMatchingError": "hangup"},
        ),
        say("full", "queue full", "hangup"),
    )
    queued = simulate(flow)
    assert queued.outcome.type == "queue"
    assert queued.outcome.queue == "arn:aws:connect:::queue/sales"
    assert simulate(flow, queue_at_capacity=True).path[:2] == ["move", "full"]


def test_transfer_to_agent_needs_an_agent_set_first(write_flow):
    flow = write_flow(
        action("agent", "TransferContactToAgent", errors={"NoMatchingError": "no-agent"}),
        say("no-agent", "no agent", "hangup"),
    )
    assert simulate(flow).path[:2] == ["agent", "no-agent"]
    with_agent = write_flow(
        action("set", "UpdateContactTargetQueue", {"AgentId": "arn:agent/1"}, next_action="agent"),
        action("agent", "TransferContactToAgent", errors={"NoMatchingError": "hangup"}),
        name="with_agent",
    )
    assert simulate(with_agent).outcome.type == "queue"


def test_an_unknown_type_is_still_a_clear_error(write_flow):
    result = simulate(write_flow(*_then_ok_or_failed("SetQueue")))
    assert result.outcome.type == "error"
    assert "action type SetQueue is not supported" in result.outcome.error


def test_simulate_takes_answers_on_the_command_line(write_flow, capsys, monkeypatch):
    monkeypatch.setattr(cli, "COMMANDS", ("simulate",))
    flow = write_flow(*_view())
    assert cli.main(["simulate", str(flow), "--answer", "view=Back", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["path"][:2] == ["view", "back"]
    assert cli.main(["simulate", str(flow), "--answer", "Back"]) == 2  # not ACTION=ANSWER


def test_a_scenario_carries_its_answers(write_flow):
    flow = write_flow(*_view())
    scenario = Scenario.model_validate({"name": "goes back", "answers": {"ShowView": "Back"}})
    assert scenario.run(flow).path[:2] == ["view", "back"]
