"""A callback transition whose write is applied but whose answer is lost succeeds once (issue
11, issue 10's rule).

DynamoDB on moto's server sits behind tests/faults/proxy.py, which lets the transition's
UpdateItem through and resets the connection instead of forwarding the answer. botocore
resends the UpdateItem (its retry on a closed connection); the resend fails its condition,
since the item has left the states the transition names, and the store finds its own token
on the item DynamoDB returns with the failure: the transition is answered as applied, once.
Reproduce with

    .venv/bin/pytest -q -p no:cacheprovider tests/faults/test_lost_callback_transitions.py
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from functions.errors import TransitionRefused
from functions.stores.callbacks import CallbackStore, Transition
from functions.stores.dynamodb.callbacks import DynamoCallbackStore
from functions.stores.dynamodb.client import new_dynamodb_client
from models.callback import CallbackRequest
from models.callback_progress import CallbackState
from tests.faults.proxy import FaultProxy

pytestmark = pytest.mark.service

NOW = datetime.datetime(2026, 1, 5, 1, 0, tzinfo=datetime.UTC)
LATER = NOW + datetime.timedelta(minutes=1)
BOOKED = CallbackRequest(
    contact_id="5ca32fbd-8f92-46af-92a5-6b0f970f0efe", phone_e164="+81312345678", requested_at=NOW
)
OPEN = (CallbackState.BOOKED, CallbackState.SCHEDULED, CallbackState.DIALING)
UPDATE_ITEM = b"DynamoDB_20120810.UpdateItem"  # botocore names the operation in X-Amz-Target


@dataclass
class Line:
    proxy: FaultProxy
    store: CallbackStore  # through the proxy
    direct: CallbackStore  # the same table, not through the proxy: what the server holds


@pytest.fixture
def line(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Line]:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    endpoint = urlsplit(request.getfixturevalue("moto_server"))
    table: Callable[[str], str] = request.getfixturevalue("dynamodb_table")
    name = table("CallbacksTable")
    direct = DynamoCallbackStore(name, client=new_dynamodb_client())
    proxy = FaultProxy(endpoint.hostname or "127.0.0.1", endpoint.port or 80)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{proxy.port}")
    store = DynamoCallbackStore(name, client=new_dynamodb_client())
    direct.request(BOOKED)
    direct.transition(BOOKED.contact_id, claim("exec-a"), NOW)
    yield Line(proxy, store, direct)
    proxy.close()


def claim(execution: str) -> Transition:
    return Transition(CallbackState.SCHEDULED, OPEN, execution, claim=True, scheduled_for=NOW)


def dial(execution: str) -> Transition:
    return Transition(
        CallbackState.DIALING,
        (CallbackState.SCHEDULED, CallbackState.DIALING),
        execution,
        attempts=1,
        same_attempt=True,
        task_token="task-1",
    )


CONNECTED = Transition(CallbackState.CONNECTED, (CallbackState.DIALING,), "exec-a")
FAILED = Transition(CallbackState.FAILED, OPEN, "exec-a", claim=True, last_error="AttemptsUsedUp")


@pytest.mark.parametrize("change", [CONNECTED, FAILED], ids=["connected", "failed"])
def test_a_final_transition_whose_answer_is_lost_succeeds_once(
    line: Line, change: Transition
) -> None:
    line.direct.transition(BOOKED.contact_id, dial("exec-a"), NOW)
    line.proxy.lose_reply_to(UPDATE_ITEM)
    moved = line.store.transition(BOOKED.contact_id, change, LATER)
    assert line.proxy.replies_lost == 1  # the write was applied and its answer lost
    assert (moved.state, moved.attempts, moved.updated_at) == (change.to, 1, LATER)
    assert line.direct.progress(BOOKED.contact_id) == moved
    # The record is final: another change, with another token, is still refused.
    with pytest.raises(TransitionRefused):
        line.store.transition(BOOKED.contact_id, FAILED, LATER)


def test_a_dial_whose_answer_is_lost_succeeds_and_keeps_its_attempt(line: Line) -> None:
    line.proxy.lose_reply_to(UPDATE_ITEM)
    moved = line.store.transition(BOOKED.contact_id, dial("exec-a"), LATER)
    assert line.proxy.replies_lost == 1
    assert (moved.state, moved.attempts, moved.task_token) == (CallbackState.DIALING, 1, "task-1")


def test_a_lost_answer_does_not_let_another_execution_in(line: Line) -> None:
    # exec-b's claim is refused, answer lost or not: the token of exec-a's claim isn't its own.
    line.proxy.lose_reply_to(UPDATE_ITEM)
    with pytest.raises(TransitionRefused):
        line.store.transition(BOOKED.contact_id, claim("exec-b"), LATER)
    assert line.direct.progress(BOOKED.contact_id).execution == "exec-a"
