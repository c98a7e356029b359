"""InvokeLambdaFunction: the event Connect sends, $.External, and every way a call fails."""

from __future__ import annotations

import json

import pytest

from ivr.engine import simulate
from ivr.errors import FlowError
from tests.engine import handlers
from tests.engine.conftest import action, say

ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:echo"


def invoke(identifier: str, next_action: str, arn: str = ARN, **params: object) -> dict:
    return action(
        identifier,
        "InvokeLambdaFunction",
        {"LambdaFunctionARN": arn, "InvocationTimeLimitSeconds": "3", **params},
        next_action=next_action,
        errors={"NoMatchingError": "failed"},
    )


FAILED = say("failed", "Lambda failed", "hangup")


def test_event_has_connect_shape_and_resolved_parameters(write_flow):
    handlers.received.clear()
    path = write_flow(
        action(
            "attr", "UpdateContactAttributes", {"Attributes": {"tier": "gold"}}, next_action="q"
        ),
        action(
            "q", "UpdateContactTargetQueue", {"QueueId": "arn:q/queue/Gold"}, next_action="call"
        ),
        invoke(
            "call",
            "hangup",
            LambdaInvocationAttributes={
                "caller": "$.CustomerEndpoint.Address",
                "tier": "$.Attributes.tier",
                "fixed": "x",
            },
        ),
        FAILED,
    )
    result = simulate(
        path,
        caller="+81312345678",
        dialed="+81120111222",
        lambdas={ARN: "tests.engine.handlers:echo"},
    )
    event = handlers.received[-1]
    assert event["Name"] == "ContactFlowEvent"
    data = event["Details"]["ContactData"]
    assert event["Details"]["Parameters"] == {
        "caller": "+81312345678",
        "tier": "gold",
        "fixed": "x",
    }
    assert data["Attributes"] == {"tier": "gold"}
    assert data["CustomerEndpoint"] == {"Address": "+81312345678", "Type": "TELEPHONE_NUMBER"}
    assert data["SystemEndpoint"]["Address"] == "+81120111222"
    assert data["Channel"] == "VOICE"
    assert data["InitiationMethod"] == "INBOUND"
    assert data["InstanceARN"].startswith("arn:aws:connect:")
    assert data["Queue"]["Name"] == "Gold"
    assert data["LanguageCode"] == "en-US"
    assert data["ContactId"] == data["InitialContactId"]
    # The event parses with the project's own event model, as the deployed functions do.
    from models.event import ConnectEvent

    assert ConnectEvent.model_validate(event).contact.customer_address == "+81312345678"
    call = result.lambda_calls[0]
    assert call.function == "echo"
    assert call.response == {
        "caller": "+81312345678",
        "tier": "gold",
        "fixed": "x",
        "calls": str(len(handlers.received)),
    }
    assert result.to_dict()["lambda_calls"][0]["error"] is None


def test_external_is_replaced_by_each_call_and_cleared_on_error(write_flow):
    other = "arn:aws:lambda:ap-northeast-1:123456789012:function:other"
    path = write_flow(
        invoke("first", "say1", LambdaInvocationAttributes={"only_first": "1"}),
        say("say1", "[$.External.only_first]", "second"),
        invoke("second", "say2", arn=other, LambdaInvocationAttributes={"only_second": "2"}),
        say("say2", "[$.External.only_first][$.External.only_second]", "third"),
        action(
            "third",
            "InvokeLambdaFunction",
            {"LambdaFunctionARN": "arn:aws:lambda:x:1:function:missing"},
            errors={"NoMatchingError": "say3"},
        ),
        say("say3", "[$.External.only_second]", "hangup"),
        FAILED,
    )
    result = simulate(path, lambdas={ARN: handlers.echo, other: handlers.echo})
    assert result.prompts == ["[1]", "[][2]", "[]"]
    missing = result.lambda_calls[-1]
    assert missing.function == "missing"
    assert missing.error == "no handler for ARN 'arn:aws:lambda:x:1:function:missing'"


def test_parameters_read_the_previous_answer(write_flow):
    path = write_flow(
        invoke("first", "second", LambdaInvocationAttributes={"ref": "abc"}),
        invoke("second", "hangup", LambdaInvocationAttributes={"ref": "$.External.ref"}),
        FAILED,
    )
    result = simulate(path, lambdas={ARN: handlers.echo})
    assert result.lambda_calls[1].parameters == {"ref": "abc"}


@pytest.mark.parametrize(
    ("handler", "error"),
    [
        (handlers.nested, "STRING_MAP response has a nested value under 'name'"),
        (handlers.number_value, "STRING_MAP response value 'balance' is int, not a string"),
        (handlers.oversized, "Connect accepts less than 32 KB"),
        (handlers.not_an_object, "response is list, not a JSON object"),
        (handlers.raises, "handler raised RuntimeError: database is down"),
    ],
)
def test_answers_connect_would_refuse_take_the_error_branch(write_flow, handler, error):
    path = write_flow(invoke("call", "ok"), say("ok", "fine", "hangup"), FAILED)
    result = simulate(path, lambdas={ARN: handler})
    assert result.prompts == ["Lambda failed"]
    assert error in result.lambda_calls[0].error
    assert result.lambda_calls[0].response is None


def test_json_response_type_accepts_nested_answers(write_flow):
    path = write_flow(
        invoke("call", "say", ResponseValidation={"ResponseType": "JSON"}),
        say("say", "Hello $.External.name.first", "hangup"),
        FAILED,
    )
    assert simulate(path, lambdas={ARN: handlers.nested}).prompts == ["Hello Dana"]


def test_handler_overrunning_the_time_limit_takes_the_error_branch(write_flow):
    path = write_flow(
        action(
            "call",
            "InvokeLambdaFunction",
            {"LambdaFunctionARN": ARN, "InvocationTimeLimitSeconds": "1"},
            next_action="ok",
            errors={"NoMatchingError": "failed"},
        ),
        say("ok", "fine", "hangup"),
        FAILED,
    )
    result = simulate(path, lambdas={ARN: handlers.slow})
    assert result.prompts == ["Lambda failed"]
    assert "InvocationTimeLimitSeconds=1" in result.lambda_calls[0].error


def test_handler_sees_the_time_limit_in_its_context(write_flow):
    path = write_flow(invoke("call", "say"), say("say", "$.External.remainingMs", "hangup"), FAILED)
    remaining = int(simulate(path, lambdas={ARN: handlers.remaining_time}).prompts[0])
    assert 0 < remaining <= 3000


def test_canned_answer_file_is_validated_like_a_response(write_flow, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"status": "ok"}), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"status": {"nested": "x"}}), encoding="utf-8")
    path = write_flow(
        invoke("call", "say"), say("say", "status=$.External.status", "hangup"), FAILED
    )
    assert simulate(path, lambdas={ARN: str(good)}).prompts == ["status=ok"]
    assert simulate(path, lambdas={ARN: str(bad)}).prompts == ["Lambda failed"]


def test_placeholder_resolves_through_template_to_the_local_handler(write_flow, tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Resources:\n"
        "  TierLookupFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Handler: tests.engine.handlers.tier_lookup\n",
        encoding="utf-8",
    )
    path = write_flow(
        invoke("call", "say", arn="${TierLookupFunctionArn}"),
        say("say", "$.External.tier", "hangup"),
        FAILED,
    )
    result = simulate(path, caller="+81312345678")
    assert result.prompts == ["gold"]
    assert result.lambda_calls[0].function == "TierLookupFunction"


def test_unknown_placeholder_without_mapping_takes_the_error_branch(write_flow):
    path = write_flow(invoke("call", "hangup", arn="${NowhereFunctionArn}"), FAILED)
    result = simulate(path, template=None)
    assert result.prompts == ["Lambda failed"]
    assert result.lambda_calls[0].function == "NowhereFunction"


def test_mapping_to_something_not_importable_is_a_toolkit_error(write_flow):
    path = write_flow(invoke("call", "hangup"), FAILED)
    with pytest.raises(FlowError, match="cannot import no_such_module"):
        simulate(path, lambdas={ARN: "no_such_module:handler"})
    with pytest.raises(FlowError, match="module:function"):
        simulate(path, lambdas={ARN: "no-colon-here"})


def test_runtime_built_handler_runs_in_process_and_quietly(write_flow, capsys):
    path = write_flow(
        invoke("call", "say", LambdaInvocationAttributes={"name": "$.Attributes.name"}),
        say("say", "$.External.greeting ($.External.status)", "missing"),
        invoke("missing", "hangup"),
        FAILED,
    )
    lambdas = {ARN: "tests.engine.handlers:greet"}
    result = simulate(path, lambdas=lambdas, attributes={"name": "Ann"})
    assert result.prompts[0] == "Hello Ann (ok)"
    # The runtime answers a missing parameter with a status, never Connect's Error branch.
    assert result.lambda_calls[1].response["status"] == "invalid_input"
    assert result.lambda_calls[1].error is None
    captured = capsys.readouterr()
    assert '"_aws"' not in captured.out + captured.err  # no EMF metrics blob
    assert '"answered"' not in captured.err  # INFO lines kept out of the transcript
    assert "unusable parameters" in captured.err  # warnings still show
