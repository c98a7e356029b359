"""`ivr whatif`: the same flow changes nothing; a flow with one edited branch changes exactly
the contacts that took that branch; what the log cannot answer is unknown, never guessed."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from ivr import cli
from ivr.engine import BranchTaken, Simulator
from ivr.flowlogs.generate import a_day_of_calls
from ivr.flowlogs.writer import records_for, write_records

FLOWS = Path(__file__).resolve().parents[2] / "contact_flows"
CALLS = 300


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    """A copy of contact_flows/ and the flow log of a generated day of main_inbound calls."""
    folder = tmp_path_factory.mktemp("whatif")
    flows = folder / "flows"
    shutil.copytree(FLOWS, flows)
    calls = list(a_day_of_calls(flows / "main_inbound.json", CALLS, seed=3))
    log = folder / "day.jsonl"
    with log.open("w", encoding="utf-8") as out:
        for call in calls:
            write_records(records_for(call.result, call.contact_id, start=call.start), out)
    return flows, log, calls


def _whatif(capsys, flow: Path, log: Path) -> tuple[int, dict]:
    code = cli.main(["whatif", str(flow), "--logs", str(log), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_the_same_flow_changes_nothing(capsys, day):
    flows, log, _ = day
    code, report = _whatif(capsys, flows / "main_inbound.json", log)
    assert code == 0
    assert report["contacts"] == CALLS
    assert report["changed"] == 0
    assert report["unknown"] == 0
    assert report["same"] == CALLS


def test_one_edited_branch_changes_exactly_the_contacts_that_took_it(capsys, day, tmp_path):
    flows, log, calls = day
    edited = json.loads((flows / "main_inbound.json").read_text(encoding="utf-8"))
    for action in edited["Actions"]:
        if action["Identifier"] == "check-tier":
            for condition in action["Transitions"]["Conditions"]:
                if condition["Condition"]["Operands"] == ["gold"]:
                    condition["NextAction"] = "set-queue-standard"
    new_flow = flows / "main_inbound_v2.json"
    new_flow.write_text(json.dumps(edited), encoding="utf-8")
    gold = BranchTaken("check-tier", "condition:Equals gold", "set-queue-gold")
    took_branch = {call.contact_id for call in calls if gold in call.result.events}
    # A caller who found the queue at capacity was offered a callback whichever queue it was:
    # the branch changed nothing for them.
    queued = {call.contact_id for call in calls if call.result.outcome.type == "queue"}
    assert took_branch & queued, "the generated day never reached the gold queue"
    assert took_branch - queued, "no gold caller found the queue at capacity"

    code = cli.main(
        ["whatif", str(new_flow), "--logs", str(log), "--flow-name", "main_inbound", "--json"]
    )
    report = json.loads(capsys.readouterr().out)

    assert code == 1
    assert report["unknown"] == 0
    [change] = report["changes"]
    assert set(change["contact_ids"]) == took_branch & queued
    assert report["changed"] == len(took_branch & queued)
    assert change["before"]["outcome"] == "queue" and change["before"]["detail"] == "Gold"
    assert change["after"]["detail"] == "Standard"
    assert set(change["examples"]) <= took_branch


def test_inputs_the_log_cannot_answer_are_unknown(capsys, day, tmp_path):
    flows, _, calls = day
    # A log holding only the first call, cut after its first Lambda call: the new flow's later
    # questions (inputs, other Lambdas) have no answer in it.
    call = next(c for c in calls if c.result.outcome.type == "queue")
    entries = records_for(call.result, call.contact_id)
    cut = next(i for i, e in enumerate(entries) if e.identifier == "identify-caller")
    entries = entries[: cut + 1]
    entries[-1] = entries[-1]._replace(results="Error")  # ended in error, not a hang-up
    log = tmp_path / "cut.jsonl"
    with log.open("w", encoding="utf-8") as out:
        write_records(entries, out)

    code, report = _whatif(capsys, flows / "main_inbound.json", log)

    assert code == 0
    assert report["unknown"] == 1 and report["changed"] == 0
    assert "not in the log" in report["unknown_reasons"][0]["reason"]


def test_a_caller_who_hung_up_is_unknown(capsys, day, tmp_path):
    flows, _, calls = day
    call = calls[0]
    entries = records_for(call.result, call.contact_id)[:3]
    log = tmp_path / "hung_up.jsonl"
    with log.open("w", encoding="utf-8") as out:
        write_records(entries, out)
    code, report = _whatif(capsys, flows / "main_inbound.json", log)
    assert code == 0
    assert report["unknown_reasons"][0]["reason"].startswith("the caller hung up")


def test_queue_flow_entries_after_the_transfer_do_not_change_the_ending(capsys, day, tmp_path):
    """Connect logs a queued contact's customer queue flow under the same ContactId."""
    flows, _, calls = day
    call = next(c for c in calls if c.result.outcome.type == "queue")
    entries = records_for(call.result, call.contact_id, start=call.start)
    queue_call = Simulator(flows / "customer_queue.json").call()
    waiting = records_for(queue_call, call.contact_id, start=call.start + timedelta(minutes=5))
    log = tmp_path / "queued.jsonl"
    with log.open("w", encoding="utf-8") as out:
        write_records([*entries, *waiting], out)

    code, report = _whatif(capsys, flows / "main_inbound.json", log)
    assert (code, report["same"], report["changed"]) == (0, 1, 0)

    cli.main(["logs", "summary", str(log), "--flow", str(flows / "main_inbound.json"), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert summary["outcomes"]["queue"] == 1
    ended = [a for a in summary["actions"] if a["ended_here"]]
    assert [a["identifier"] for a in ended] == ["transfer-to-queue"]


def test_a_flows_folder_replays_each_entry_flow_with_its_own_contacts(capsys, day):
    flows, log, _ = day
    code = cli.main(["whatif", str(flows), "--logs", str(log), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["failing"] == []
    # Contacts started in main_inbound only; modules are not replayed on their own, and a flow
    # nobody started in replays nobody (no fallback to every contact, unlike a single file).
    assert report["flows"]["main-inbound"]["same"] == CALLS
    assert "pin-verification" not in report["flows"]
    assert report["flows"]["callback-outbound"]["contacts"] == 0
