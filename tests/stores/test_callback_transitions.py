"""The callback workflow's state transitions on the callbacks store (issue 11): DynamoDB
(moto's server), where the workflow keeps its state; the SQL stores say it runs there only."""

from __future__ import annotations

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from moto.dynamodb.models import DynamoDBBackend

from functions.errors import ConfigurationError, NotFound, TransitionRefused
from functions.stores.callbacks import CallbackStore, Transition
from functions.stores.dynamodb.callbacks import DynamoCallbackStore
from functions.stores.sql.callbacks import SqlCallbackStore
from models.callback import CallbackRequest, CallbackStatus
from models.callback_progress import CallbackState
from tests.conftest import StoreBackend

NOW = datetime.datetime(2026, 1, 5, 1, 0, tzinfo=datetime.UTC)
BOOKED = CallbackRequest(
    contact_id="5ca32fbd-8f92-46af-92a5-6b0f970f0efe", phone_e164="+81312345678", requested_at=NOW
)
OPEN = (CallbackState.BOOKED, CallbackState.SCHEDULED, CallbackState.DIALING)


def claim(execution: str) -> Transition:
    return Transition(CallbackState.SCHEDULED, OPEN, execution, claim=True, scheduled_for=NOW)


def dial(execution: str, attempt: int, token: str = "token") -> Transition:
    return Transition(
        CallbackState.DIALING,
        (CallbackState.SCHEDULED, CallbackState.DIALING),
        execution,
        attempts=attempt,
        same_attempt=True,
        task_token=token,
    )


@pytest.fixture
def store(dynamodb_table, dynamodb_client) -> CallbackStore:  # type: ignore[no-untyped-def]
    created = DynamoCallbackStore(dynamodb_table("CallbacksTable"), client=dynamodb_client)
    created.request(BOOKED)
    return created


def test_a_booked_request_reads_as_booked_with_no_attempts(store: CallbackStore) -> None:
    progress = store.progress(BOOKED.contact_id)
    assert (progress.state, progress.attempts, progress.execution) == (CallbackState.BOOKED, 0, "")
    assert store.get(BOOKED.contact_id).status is CallbackStatus.PENDING  # request_callback's


def test_one_execution_claims_and_another_is_refused(store: CallbackStore) -> None:
    scheduled = store.transition(BOOKED.contact_id, claim("exec-a"), NOW)
    assert (scheduled.state, scheduled.execution, scheduled.scheduled_for) == (
        CallbackState.SCHEDULED,
        "exec-a",
        NOW,
    )
    with pytest.raises(TransitionRefused):
        store.transition(BOOKED.contact_id, claim("exec-b"), NOW)
    with pytest.raises(TransitionRefused):
        store.transition(BOOKED.contact_id, dial("exec-b", 1), NOW)
    assert store.progress(BOOKED.contact_id).execution == "exec-a"


def test_two_executions_racing_to_claim_one_wins(
    store: CallbackStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DynamoDB checks an UpdateItem's condition and writes the item as one step; moto's
    # server (in this process) checks, then writes, with no lock between: racing requests can
    # both pass. Its updates are made one at a time here, as DynamoDB's are per item, so the
    # test asserts our conditions, not moto's threading.
    atomic = threading.Lock()
    update_item = DynamoDBBackend.update_item

    def one_at_a_time(*args: Any, **kwargs: Any) -> Any:
        with atomic:
            return update_item(*args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "update_item", one_at_a_time)

    def attempt(execution: str) -> bool:
        try:
            store.transition(BOOKED.contact_id, claim(execution), NOW)
        except TransitionRefused:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        won = list(pool.map(attempt, [f"exec-{n}" for n in range(8)]))
    assert won.count(True) == 1


def test_a_retried_dial_keeps_its_attempt_and_a_new_attempt_needs_scheduling(
    store: CallbackStore,
) -> None:
    store.transition(BOOKED.contact_id, claim("exec-a"), NOW)
    store.transition(BOOKED.contact_id, dial("exec-a", 1, "first"), NOW)
    again = store.transition(BOOKED.contact_id, dial("exec-a", 1, "second"), NOW)
    assert (again.attempts, again.task_token) == (1, "second")  # a throttled try, retried
    with pytest.raises(TransitionRefused):
        store.transition(BOOKED.contact_id, dial("exec-a", 2), NOW)  # not without scheduling
    store.transition(BOOKED.contact_id, claim("exec-a"), NOW)
    assert store.transition(BOOKED.contact_id, dial("exec-a", 2), NOW).attempts == 2


def test_a_final_state_drops_the_token_and_takes_no_more_changes(store: CallbackStore) -> None:
    store.transition(BOOKED.contact_id, claim("exec-a"), NOW)
    store.transition(BOOKED.contact_id, dial("exec-a", 1), NOW)
    connected = Transition(CallbackState.CONNECTED, (CallbackState.DIALING,), "exec-a")
    done = store.transition(BOOKED.contact_id, connected, NOW)
    assert (done.state, done.task_token, done.updated_at) == (CallbackState.CONNECTED, "", NOW)
    failed = Transition(CallbackState.FAILED, OPEN, "exec-a", claim=True, last_error="late")
    with pytest.raises(TransitionRefused):
        store.transition(BOOKED.contact_id, failed, NOW)


def test_redrive_releases_a_failed_callback_for_a_new_execution(store: CallbackStore) -> None:
    failed = Transition(
        CallbackState.FAILED, OPEN, "exec-a", claim=True, attempts=3, last_error="x"
    )
    store.transition(BOOKED.contact_id, failed, NOW)
    assert [p.contact_id for p in store.by_state(CallbackState.FAILED)] == [BOOKED.contact_id]
    reopen = Transition(
        CallbackState.BOOKED, (CallbackState.FAILED,), release=True, attempts=0, last_error=""
    )
    booked = store.transition(BOOKED.contact_id, reopen, NOW)
    assert (booked.state, booked.execution, booked.attempts) == (CallbackState.BOOKED, "", 0)
    assert store.transition(BOOKED.contact_id, claim("exec-b"), NOW).execution == "exec-b"


def test_by_state_booked_includes_requests_with_no_state_yet(store: CallbackStore) -> None:
    assert [p.contact_id for p in store.by_state(CallbackState.BOOKED)] == [BOOKED.contact_id]
    assert store.by_state(CallbackState.FAILED) == []


def test_an_unknown_callback_is_not_found_and_never_created(store: CallbackStore) -> None:
    with pytest.raises(NotFound):
        store.progress("no-such-callback")
    with pytest.raises(TransitionRefused):
        store.transition("no-such-callback", claim("exec-a"), NOW)
    with pytest.raises(NotFound):
        store.progress("no-such-callback")


@pytest.mark.parametrize("store_backend", ["sqlite"], indirect=True)
def test_sql_stores_say_the_workflow_runs_on_dynamodb(store_backend: StoreBackend) -> None:
    sql = SqlCallbackStore(store_backend.database())
    sql.request(BOOKED)
    for call in (
        lambda: sql.progress(BOOKED.contact_id),
        lambda: sql.transition(BOOKED.contact_id, claim("exec-a"), NOW),
        lambda: sql.by_state(CallbackState.FAILED),
    ):
        with pytest.raises(ConfigurationError, match="IVR_STORE_BACKEND=dynamodb"):
            call()


def test_a_step_retried_with_its_token_is_answered_and_another_token_is_refused(
    store: CallbackStore,
) -> None:
    # The state machine retries a step whose write was applied but whose Lambda answer was
    # lost: the retry carries the step's token (callback_steps) and finds it on the record.
    store.transition(BOOKED.contact_id, claim("exec-a"), NOW)
    store.transition(BOOKED.contact_id, dial("exec-a", 1), NOW)
    connected = Transition(
        CallbackState.CONNECTED, (CallbackState.DIALING,), "exec-a", token="exec-a/connected"
    )
    first = store.transition(BOOKED.contact_id, connected, NOW)
    assert store.transition(BOOKED.contact_id, connected, NOW) == first
    with pytest.raises(TransitionRefused):
        store.transition(
            BOOKED.contact_id,
            Transition(CallbackState.CONNECTED, (CallbackState.DIALING,), "exec-a", token="x"),
            NOW,
        )
