"""`ivr callbacks list|redrive` against the workflow's real parts (tests/workflow/harness.py)."""

from __future__ import annotations

import datetime
import json

import pytest

from functions.stores.callbacks import Transition
from ivr import cli
from models.callback_progress import CallbackState
from tests.workflow.harness import Workflow
from tests.workflow.test_callback_workflow import (
    OPEN_MONDAY,
    book,
    dialing,
    expect_call,
    press,
)


def failed_callback(workflow: Workflow, monkeypatch: pytest.MonkeyPatch) -> str:
    """A callback the workflow gave up on: `failed`, and its dead letter queued."""
    callback_id = book(workflow, monkeypatch, OPEN_MONDAY)
    failure = Transition(
        CallbackState.FAILED,
        (CallbackState.BOOKED,),
        execution="an-earlier-execution",
        claim=True,
        attempts=3,
        last_error="AttemptsUsedUp: no answer after 3 attempts",
    )
    workflow.container.stores.callbacks.transition(
        callback_id, failure, datetime.datetime.now(datetime.UTC)
    )
    body = {"callbackId": callback_id, "error": "AttemptsUsedUp", "cause": "no answer"}
    workflow.sqs.send_message(QueueUrl=workflow.queue_url, MessageBody=json.dumps(body))
    return callback_id


def test_list_shows_failed_callbacks_with_their_error_and_masked_number(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    callback_id = failed_callback(workflow, monkeypatch)
    book(workflow, monkeypatch, OPEN_MONDAY)  # another, still booked

    assert cli.main(["callbacks", "list", "--state", "failed"]) == 0
    out = capsys.readouterr().out
    assert callback_id in out and "attempts=3" in out and "AttemptsUsedUp" in out
    assert "+81312345678" not in out
    assert "1 failed callback(s)" in out


def test_redrive_books_again_starts_a_new_execution_and_empties_the_queue(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    callback_id = failed_callback(workflow, monkeypatch)
    monkeypatch.setenv("IVR_CALLBACK_DEAD_LETTER_QUEUE_URL", workflow.queue_url)
    expect_call(workflow, callback_id, 1)  # attempts start again from 1

    assert cli.main(["callbacks", "redrive"]) == 0
    assert f"redriven {callback_id}" in capsys.readouterr().out
    assert workflow.dead_letters() == []
    [execution] = workflow.executions()
    assert execution["name"].startswith(f"{callback_id}-redrive-")
    dialing(workflow, callback_id, 1)
    press(workflow, callback_id, "accepted")
    assert workflow.finished(execution["executionArn"])["status"] == "SUCCEEDED"
    assert workflow.record(callback_id)["state"] == "connected"


def test_without_a_queue_the_command_says_what_to_set(
    workflow: Workflow, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("IVR_CALLBACK_DEAD_LETTER_QUEUE_URL", raising=False)
    assert cli.main(["callbacks", "redrive"]) == 2
    assert "IVR_CALLBACK_DEAD_LETTER_QUEUE_URL" in capsys.readouterr().err
