"""Branching, looping, queues, transfers and the run loop's own rules."""

from __future__ import annotations

import json

import pytest

from ivr.engine import Simulator, simulate
from tests.engine.conftest import action, flow_document, say

ALL_OPERATORS = [
    ("Equals", "42", "42", True),
    ("Equals", "42", "42.0", False),
    ("TextStartsWith", "gold-tier", "gold", True),
    ("TextStartsWith", "gold-tier", "tier", False),
    ("TextEndsWith", "gold-tier", "tier", True),
    ("TextEndsWith", "gold-tier", "gold", False),
    ("TextContains", "gold-tier", "d-t", True),
    ("TextContains", "gold-tier", "silver", False),
    ("NumberGreaterThan", "10", "9.5", True),
    ("NumberGreaterThan", "10", "10", False),
    ("NumberGreaterOrEqualTo", "10", "10", True),
    ("NumberGreaterOrEqualTo", "9", "10", False),
    ("NumberLessThan", "-1", "0", True),
    ("NumberLessThan", "0", "0", False),
    ("NumberLessOrEqualTo", "0", "0", True),
    ("NumberLessOrEqualTo", "1", "0", False),
    # Numeric operators are false, not errors, when a side is not a number.
    ("NumberGreaterThan", "Timeout", "0", False),
    ("NumberLessThan", "abc", "5", False),
    ("NumberLessOrEqualTo", "", "5", False),
    ("NumberGreaterOrEqualTo", "5", "five", False),
]


@pytest.mark.parametrize(("operator", "value", "operand", "matches"), ALL_OPERATORS)
def test_compare_operators(write_flow, operator, value, operand, matches):
    path = write_flow(
        action(
            "check",
            "Compare",
            {"ComparisonValue": "$.Attributes.value"},
            conditions=[(operator, operand, "yes")],
            errors={"NoMatchingCondition": "no"},
        ),
        say("yes", "matched", "hangup"),
        say("no", "no match", "hangup"),
    )
    result = simulate(path, attributes={"value": value})
    assert result.prompts == ["matched" if matches else "no match"]


def test_conditions_are_tried_in_order_first_match_wins(write_flow):
    path = write_flow(
        action(
            "check",
            "Compare",
            {"ComparisonValue": "$.Attributes.n"},
            conditions=[("NumberGreaterThan", "5", "big"), ("NumberGreaterThan", "1", "medium")],
            errors={"NoMatchingCondition": "small"},
        ),
        say("big", "big", "hangup"),
        say("medium", "medium", "hangup"),
        say("small", "small", "hangup"),
    )
    assert [simulate(path, attributes={"n": n}).prompts[0] for n in ("9", "3", "0")] == [
        "big",
        "medium",
        "small",
    ]


def test_unmatched_result_without_any_error_entry_ends_in_error_naming_the_action(write_flow):
    path = write_flow(
        action(
            "check",
            "Compare",
            {"ComparisonValue": "$.Attributes.x"},
            conditions={"a": "hangup"},
        )
    )
    result = simulate(path)
    assert result.outcome.type == "error"
    assert "check (Compare)" in result.outcome.error
    assert "NoMatchingCondition" in result.outcome.error


def test_loop_continues_count_times_then_done_once_then_resets(write_flow):
    path = write_flow(
        action(
            "loop",
            "Loop",
            {"LoopCount": "2"},
            conditions={"ContinueLooping": "again", "DoneLooping": "done"},
        ),
        say("again", "again", "loop"),
        action(
            "done",
            "Compare",
            {"ComparisonValue": "$.Attributes.round"},
            conditions={"second": "hangup"},
            errors={"NoMatchingCondition": "mark"},
        ),
        action(
            "mark",
            "UpdateContactAttributes",
            {"Attributes": {"round": "second"}},
            next_action="loop",
        ),
    )
    result = simulate(path)
    loop_branches = [
        e.branch for e in result.events if getattr(e, "branch", None) and e.identifier == "loop"
    ]
    expected_round = [
        "condition:Equals ContinueLooping",
        "condition:Equals ContinueLooping",
        "condition:Equals DoneLooping",
    ]
    # After DoneLooping the counter resets: the second pass loops twice again.
    assert loop_branches == expected_round * 2
    assert result.outcome.type == "disconnect"


def test_loop_count_zero_is_done_at_once(write_flow):
    path = write_flow(
        action(
            "loop",
            "Loop",
            {"LoopCount": "0"},
            conditions={"ContinueLooping": "again", "DoneLooping": "hangup"},
        ),
        say("again", "again", "loop"),
    )
    assert simulate(path).prompts == []


def test_step_limit_stops_an_endless_loop(write_flow):
    path = write_flow(say("a", "round and round", "b"), say("b", "and round", "a"))
    result = simulate(path, max_steps=50)
    assert result.outcome.type == "step_limit"
    assert len(result.path) == 50
    assert not result.ok


def test_unknown_action_type_stops_with_an_error_naming_type_and_identifier(write_flow):
    path = write_flow(
        say("hello", "hello", "mystery"),
        action("mystery", "SummonDragon", {}, next_action="hangup"),
    )
    result = simulate(path)
    assert result.outcome.type == "error"
    assert "SummonDragon" in result.outcome.error
    assert "mystery" in result.outcome.error
    assert result.path == ["hello", "mystery"]


def test_missing_next_action_is_an_error(write_flow):
    result = simulate(write_flow(action("hello", "MessageParticipant", {"Text": "hi"})))
    assert result.outcome.type == "error"
    assert "has no NextAction" in result.outcome.error


def queue_flow(write_flow):
    return write_flow(
        action(
            "hours",
            "CheckHoursOfOperation",
            {},
            conditions={"True": "queue", "False": "closed"},
            errors={"NoMatchingError": "hangup"},
        ),
        action(
            "queue",
            "UpdateContactTargetQueue",
            {"QueueId": "${GoldQueueArn}"},
            next_action="transfer",
            errors={"NoMatchingError": "hangup"},
        ),
        action(
            "transfer",
            "TransferContactToQueue",
            errors={"QueueAtCapacity": "full", "NoMatchingError": "hangup"},
        ),
        say("closed", "We are closed", "hangup"),
        say("full", "All agents are busy", "hangup"),
    )


def test_transfer_to_queue_ends_the_call_in_the_working_queue(write_flow):
    result = simulate(queue_flow(write_flow))
    assert result.outcome.to_dict() == {
        "type": "queue",
        "queue": "Gold",
        "queue_arn": "${GoldQueueArn}",
    }


def test_queue_at_capacity_and_closed_hours_take_their_branches(write_flow):
    path = queue_flow(write_flow)
    assert simulate(path, queue_at_capacity=True).prompts == ["All agents are busy"]
    assert simulate(path, hours_open=False).prompts == ["We are closed"]


def test_transfer_without_a_working_queue_takes_the_error_branch(write_flow):
    path = write_flow(
        action("transfer", "TransferContactToQueue", errors={"NoMatchingError": "sorry"}),
        say("sorry", "sorry", "hangup"),
    )
    assert simulate(path).prompts == ["sorry"]


def test_queue_name_is_readable_as_a_path(write_flow):
    path = write_flow(
        action(
            "queue",
            "UpdateContactTargetQueue",
            {"QueueId": "arn:aws:connect:ap-northeast-1:1:instance/i/queue/q-123"},
            next_action="say",
        ),
        say("say", "$.Queue.Name / $.Queue.ARN", "hangup"),
    )
    assert simulate(path).prompts == [
        "q-123 / arn:aws:connect:ap-northeast-1:1:instance/i/queue/q-123"
    ]


def test_distribute_by_percentage_is_seeded(write_flow):
    path = write_flow(
        action(
            "split",
            "DistributeByPercentage",
            {},
            conditions=[("NumberLessThan", "51", "a")],
            errors={"NoMatchingCondition": "b"},
        ),
        say("a", "A", "hangup"),
        say("b", "B", "hangup"),
    )
    simulator = Simulator(path)
    runs = [simulator.call(seed=seed).prompts[0] for seed in range(40)]
    assert runs == [simulator.call(seed=seed).prompts[0] for seed in range(40)]
    assert set(runs) == {"A", "B"}


def test_check_metric_data_reads_the_run_options(write_flow):
    path = write_flow(
        action(
            "staffed",
            "CheckMetricData",
            {"MetricType": "NumberOfAgentsAvailable"},
            conditions=[("NumberGreaterThan", "0", "open")],
            errors={"NoMatchingCondition": "nobody", "NoMatchingError": "hangup"},
        ),
        say("open", "agents", "hangup"),
        say("nobody", "nobody", "hangup"),
    )
    assert simulate(path).prompts == ["agents"]
    assert simulate(path, metrics={"NumberOfAgentsAvailable": 0}).prompts == ["nobody"]


def test_contact_settings_blocks_update_what_paths_read(write_flow):
    path = write_flow(
        action(
            "log",
            "UpdateFlowLoggingBehavior",
            {"FlowLoggingBehavior": "Enabled"},
            next_action="voice",
        ),
        action(
            "voice",
            "UpdateContactTextToSpeechVoice",
            {"TextToSpeechVoice": "Mizuki"},
            next_action="data",
        ),
        action(
            "data",
            "UpdateContactData",
            {"CustomerId": "$.CustomerEndpoint.Address"},
            next_action="rec",
        ),
        action(
            "rec",
            "UpdateContactRecordingBehavior",
            {"RecordingBehavior": {"RecordedParticipants": ["Agent"]}},
            next_action="hooks",
        ),
        action(
            "hooks",
            "UpdateContactEventHooks",
            {"EventHooks": {"CustomerQueue": "arn:q"}},
            next_action="flowattr",
        ),
        action(
            "flowattr",
            "UpdateFlowAttributes",
            {"FlowAttributes": {"greeting": {"Value": "Hi $.Attributes.name"}}},
            next_action="say",
        ),
        say(
            "say",
            "$.TextToSpeechVoiceId $.LanguageCode $.CustomerId $.FlowAttributes.greeting",
            "lang",
        ),
        action("lang", "UpdateContactData", {"LanguageCode": "fr-FR"}, next_action="say2"),
        say("say2", "$.LanguageCode", "hangup"),
    )
    result = simulate(path, caller="+15551230000", attributes={"name": "Ann"})
    assert result.prompts == ["Mizuki ja-JP +15551230000 Hi Ann", "fr-FR"]
    # Flow attributes are not contact attributes.
    assert result.attributes == {"name": "Ann"}


def test_third_party_and_end_flow_outcomes(write_flow):
    third = write_flow(
        action(
            "xfer", "TransferParticipantToThirdParty", {"ThirdPartyPhoneNumber": "$.Attributes.to"}
        ),
        name="third",
    )
    result = simulate(third, attributes={"to": "+81355550000"})
    assert result.outcome.to_dict() == {"type": "third_party", "phone": "+81355550000"}
    end = write_flow(action("end", "EndFlowExecution"), name="end")
    assert simulate(end).outcome.type == "end_flow"


def write(path, *actions):
    path.write_text(json.dumps(flow_document(*actions)), encoding="utf-8")
    return path


def test_transfer_to_flow_continues_in_a_known_flow(tmp_path):
    write(
        tmp_path / "billing.json",
        say("b1", "Billing here, $.Attributes.name", "b2"),
        action("b2", "DisconnectParticipant"),
    )
    main = write(
        tmp_path / "main.json",
        action(
            "a1",
            "UpdateFlowAttributes",
            {"FlowAttributes": {"f": {"Value": "x"}}},
            next_action="a2",
        ),
        action(
            "a2",
            "TransferToFlow",
            {"ContactFlowId": "${BillingFlowArn}"},
            errors={"NoMatchingError": "a3"},
        ),
        action("a3", "DisconnectParticipant"),
    )
    result = simulate(main, attributes={"name": "Ann"})
    assert result.prompts == ["Billing here, Ann"]
    assert result.path == ["a1", "a2", "b1", "b2"]
    assert result.outcome.type == "disconnect"


def test_transfer_to_an_unknown_flow_ends_the_call_naming_it(tmp_path):
    main = write(
        tmp_path / "main.json",
        action(
            "a",
            "TransferToFlow",
            {"ContactFlowId": "arn:aws:connect:x:1:instance/i/contact-flow/nowhere"},
        ),
    )
    result = simulate(main)
    assert result.outcome.to_dict() == {
        "type": "transfer_to_flow",
        "flow": "arn:aws:connect:x:1:instance/i/contact-flow/nowhere",
    }
    assert result.ok


def test_transfer_to_flow_through_an_explicit_mapping(tmp_path):
    write(tmp_path / "other.json", action("o", "EndFlowExecution"))
    main = write(
        tmp_path / "main.json", action("a", "TransferToFlow", {"ContactFlowId": "arn:flow/123"})
    )
    assert simulate(main, flows={"arn:flow/123": "other.json"}).path == ["a", "o"]


def test_flow_module_runs_and_returns_to_next_action(tmp_path):
    write(
        tmp_path / "greeting_module.json",
        action(
            "m1",
            "UpdateFlowAttributes",
            {"FlowAttributes": {"x": {"Value": "module"}}},
            next_action="m2",
        ),
        say("m2", "in module $.FlowAttributes.x", "m3"),
        action("m3", "EndFlowModuleExecution"),
    )
    main = write(
        tmp_path / "main.json",
        action(
            "a1",
            "UpdateFlowAttributes",
            {"FlowAttributes": {"x": {"Value": "main"}}},
            next_action="a2",
        ),
        action(
            "a2",
            "InvokeFlowModule",
            {"FlowModuleId": "${GreetingModuleArn}"},
            next_action="a3",
            errors={"NoMatchingError": "a4"},
        ),
        say("a3", "back in $.FlowAttributes.x", "a4"),
        action("a4", "DisconnectParticipant"),
    )
    result = simulate(main)
    assert result.prompts == ["in module module", "back in main"]
    assert result.path == ["a1", "a2", "m1", "m2", "m3", "a3", "a4"]


def test_unknown_flow_module_takes_the_error_branch(tmp_path):
    main = write(
        tmp_path / "main.json",
        action(
            "a",
            "InvokeFlowModule",
            {"FlowModuleId": "arn:module/none"},
            next_action="b",
            errors={"NoMatchingError": "c"},
        ),
        say("b", "ran", "c"),
        action("c", "DisconnectParticipant"),
    )
    assert simulate(main).path == ["a", "c"]


def test_lex_bot_takes_the_scripted_intent(write_flow):
    path = write_flow(
        action(
            "lex",
            "ConnectParticipantWithLexBot",
            {"Text": "Sales or finance?", "LexV2Bot": {"AliasArn": "arn:lex"}},
            conditions={"Sales": "sales"},
            errors={"NoMatchingCondition": "hangup", "NoMatchingError": "hangup"},
        ),
        say("sales", "Intent $.Lex.IntentName", "hangup"),
    )
    assert simulate(path, inputs=["Sales"]).prompts == ["Sales or finance?", "Intent Sales"]
    assert simulate(path).prompts == ["Sales or finance?"]
