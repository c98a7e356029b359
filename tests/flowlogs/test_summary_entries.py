"""The summary of a small log written by hand, with what the generated days never have: entries
of another flow under the flow's identifiers, entries naming no flow or only its ARN, a
timestamp that can't be read, a repeat, contacts interleaved and out of order."""

from __future__ import annotations

import json
from pathlib import Path

from ivr.coverage import FlowShape
from ivr.flowlogs.reader import ReadReport
from ivr.flowlogs.summary import summarize_logs

FLOW = Path(__file__).resolve().parents[2] / "contact_flows" / "main_inbound.json"
ARN = "arn:aws:connect:ap-northeast-1:123456789012:instance/i/contact-flow/"
LAMBDA = "arn:aws:lambda:ap-northeast-1:123456789012:function:ivr-identify-caller"


def _entry(contact, identifier, at, name="main_inbound", **extra):
    entry = {"ContactId": contact, "Identifier": identifier, "Timestamp": at, **extra}
    if name is not None:
        entry["ContactFlowName"] = name
    return entry


def _log(tmp_path: Path) -> Path:
    day = "2026-01-05T09:00:"
    c1 = [
        _entry("c1", "set-logging", day + "00.000Z"),
        _entry("c1", "stamp-version", day + "00.040Z", name=None),  # no flow named: the flow's
        _entry("c1", "set-voice-default", day + "00.100Z", name="pin_verification"),  # another
        _entry(
            "c1", "set-voice-default", day + "00.200Z", name="", ContactFlowId=ARN + "main_inbound"
        ),
        _entry(
            "c1",
            "identify-caller",
            day + "00.3xxZ",  # sorts in its place, but is no time
            Parameters={"FunctionArn": LAMBDA},
            ExternalResults={"found": "false"},
        ),
        _entry("c1", "check-customer-found", day + "00.500Z", Results="false"),
        _entry("c1", "ask-english", day + "01.000Z", Results="Timeout"),
        _entry("c1", "use-japanese", day + "06.000Z"),
    ]
    c2 = [
        _entry("c2", "set-logging", day + "30.000Z"),
        _entry("c2", "stamp-version", day + "30.040Z"),
        _entry("c2", "stamp-version", day + "30.040Z"),  # delivered twice: kept once
        _entry("c2", "set-voice-default", day + "30.080Z"),
        _entry(
            "c2",
            "identify-caller",
            day + "30.120Z",
            Parameters={"FunctionArn": LAMBDA},
            Results="Error",
        ),
    ]
    lines = [c2[3], c1[7], c1[0], c2[0], *c1[1:7], c2[1], c2[4], c2[2]]
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(json.dumps(e) for e in lines) + "\n", encoding="utf-8")
    return log


def test_entries_branches_and_times_of_the_flow(tmp_path):
    report = ReadReport()
    summary = summarize_logs([_log(tmp_path)], FlowShape.load(FLOW), None, report)
    assert report.entries == 13 and summary.contacts == 2
    traffic = {t.identifier: t for t in summary.actions.values()}
    assert {k: t.entries for k, t in traffic.items()} == {
        "set-logging": 2,
        "stamp-version": 2,
        "set-voice-default": 2,  # not the pin_verification entry
        "identify-caller": 2,
        "check-customer-found": 1,
        "ask-english": 1,
        "use-japanese": 1,
    }
    assert list(summary.actions) == [("", k) for k in traffic]  # in order of first entry
    assert traffic["stamp-version"].branches == {"next": 2}  # two labels lead there
    assert traffic["check-customer-found"].branches == {"error:NoMatchingCondition": 1}
    assert traffic["ask-english"].branches == {"error:InputTimeLimitExceeded": 1}
    assert traffic["identify-caller"].branches == {"next": 1}
    # To the contact's next entry, whichever flow it is in; none to or from "00.3xx".
    assert traffic["set-logging"].times_ms == [40, 40]
    assert traffic["stamp-version"].times_ms == [40, 60]  # c2 first: its entry is read first
    assert traffic["set-voice-default"].times_ms == [40]
    assert traffic["identify-caller"].times_ms == []
    assert traffic["check-customer-found"].times_ms == [500]
    assert traffic["ask-english"].times_ms == [5000]
    assert traffic["use-japanese"].times_ms == []
    assert {k: t.ended_here for k, t in traffic.items() if t.ended_here} == {
        "use-japanese": 1,
        "identify-caller": 1,
    }
    assert {k: v for k, v in summary.outcomes.items() if v} == {"caller_hung_up": 1, "error": 1}
    calls = summary.lambdas["ivr-identify-caller"]
    assert (calls.calls, calls.errors, calls.timeouts) == (2, 1, 0)


def test_without_a_flow_each_flows_actions_and_their_results(tmp_path):
    summary = summarize_logs([_log(tmp_path)], None, None, ReadReport())
    results = {key: dict(t.results) for key, t in summary.actions.items()}
    assert results[("main_inbound", "set-voice-default")] == {"": 1}
    assert results[("pin_verification", "set-voice-default")] == {"": 1}
    assert results[("", "set-voice-default")] == {"": 1}
    assert results[("", "stamp-version")] == {"": 1}
    assert results[("main_inbound", "stamp-version")] == {"": 1}
    assert results[("main_inbound", "identify-caller")] == {"": 1, "Error": 1}
    assert results[("main_inbound", "ask-english")] == {"Timeout": 1}
    assert summary.actions[("main_inbound", "set-logging")].times_ms == [40, 40]
    assert summary.actions[("pin_verification", "set-voice-default")].times_ms == [100]
