"""Reading flow logs in every form an admin can get them, tolerant of odd entries."""

from __future__ import annotations

import csv
import io
import json

from ivr.flowlogs.contacts import contacts
from ivr.flowlogs.reader import ReadReport, read_flow_logs, read_stream

# The guide's example entry (contact-flow-log-data.html), plus the fields Connect adds.
GUIDE_ENTRY = {
    "ContactId": "11111111-2222-3333-4444-555555555555",
    "ContactFlowId": "arn:aws:connect:us-west-2:0123456789012:instance/"
    "nnnnnnnnnnn-3333-4444-5555-111111111111/contact-flow/123456789000-aaaa-bbbbbbbbb-cccc",
    "ContactFlowModuleType": "SetQueue",
    "Timestamp": "2021-04-13T00:14:31.581Z",
    "Parameters": {"Queue": "arn:aws:connect:us-west-2:0123456789012:instance/x/queue/y"},
}


def _entry(contact: str, identifier: str, stamp: str, **extra) -> dict:
    return {
        "ContactId": contact,
        "ContactFlowName": "main",
        "Identifier": identifier,
        "ContactFlowModuleType": "MessageParticipant",
        "Timestamp": stamp,
        **extra,
    }


def _read(text: str) -> tuple[list, ReadReport]:
    report = ReadReport()
    return list(read_stream(io.StringIO(text), "f", report)), report


def test_json_lines_with_unreadable_lines_counted_not_fatal():
    lines = [
        json.dumps(GUIDE_ENTRY),
        "not json at all",
        json.dumps({"no": "contact id"}),
        "[1, 2]",
        "",
        json.dumps(_entry("c2", "a", "2021-04-13T00:14:32.000Z", Results="1")),
    ]
    records, report = _read("\n".join(lines))
    assert [r.contact_id for r in records] == [GUIDE_ENTRY["ContactId"], "c2"]
    assert records[0].module_type == "SetQueue"
    assert records[0].parameters == GUIDE_ENTRY["Parameters"]
    assert records[0].identifier == ""  # omitted by the guide's example: tolerated
    assert records[1].results == "1"
    assert report.entries == 2
    assert report.unreadable == 3
    assert report.examples[0].startswith("f line 2: not JSON")
    assert "no ContactId" in report.examples[1]
    assert "3 unreadable" in report.describe()


def test_added_and_odd_typed_fields_are_tolerated():
    entry = _entry("c1", "a", "2021-04-13T00:14:31.581Z", Results=5, NewField={"x": 1})
    entry["ExternalResults"] = "not an object"
    records, report = _read(json.dumps(entry))
    assert records[0].results == "5"
    assert records[0].external_results is None
    assert report.unreadable == 0


def test_filter_log_events_output_streamed_across_chunks():
    events = [
        {
            "logStreamName": "stream",
            "timestamp": 1618272871581 + i,
            "message": json.dumps(_entry(f"c{i % 7}", f"a{i}", f"2021-04-13T00:14:{i % 60:02d}Z")),
            "ingestionTime": 1618272872000,
            "eventId": str(i),
        }
        for i in range(2000)  # far beyond one 64 KB read
    ]
    text = json.dumps({"events": events, "searchedLogStreams": []}, indent=4)
    assert len(text) > 4 * 65536
    records, report = _read(text)
    assert len(records) == 2000
    assert report.unreadable == 0
    assert records[1999].identifier == "a1999"


def test_filter_log_events_lines_and_message_without_timestamp():
    inner = {"ContactId": "c1", "Identifier": "a"}
    line = json.dumps({"timestamp": 1618272871581, "message": json.dumps(inner)})
    records, _ = _read(line + "\n" + json.dumps({"message": "garbage"}))
    assert records[0].timestamp == "2021-04-13T00:14:31.581Z"
    assert records[0].milliseconds == 1618272871581


def test_logs_insights_json_export():
    rows = [
        {"@timestamp": "2021-04-13 00:14:31.581", "@message": json.dumps(GUIDE_ENTRY)},
        {"@timestamp": "2021-04-13 00:14:31.600", "@message": "{broken"},
    ]
    records, report = _read(json.dumps(rows))
    assert len(records) == 1 and records[0].module_type == "SetQueue"
    assert report.unreadable == 1


def test_logs_insights_csv_export_message_column_and_field_columns():
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["@timestamp", "@message"])
    writer.writerow(["2021-04-13 00:14:31.581", json.dumps(GUIDE_ENTRY)])
    writer.writerow(["2021-04-13 00:14:31.582", "not json"])
    records, report = _read(buffer.getvalue())
    assert records[0].parameters == GUIDE_ENTRY["Parameters"]
    assert report.unreadable == 1

    columns = io.StringIO()
    writer = csv.writer(columns)
    writer.writerow(["ContactId", "Identifier", "Timestamp", "Results", "ExternalResults"])
    writer.writerow(["c1", "ask", "2021-04-13T00:14:31.581Z", "2", '{"tier": "gold"}'])
    records, report = _read(columns.getvalue())
    assert records[0].results == "2"
    assert records[0].external_results == {"tier": "gold"}


def test_unreadable_file_forms_are_reported():
    records, report = _read(json.dumps({"something": "else"}, indent=2))
    assert records == [] and report.unreadable == 1
    records, report = _read("a,b\n1,2\n")
    assert records == [] and "CSV" in report.examples[0]


def test_a_number_past_ints_digit_limit_is_an_unreadable_entry_not_a_crash():
    # json raises a plain ValueError (no .msg) for it, not a JSONDecodeError.
    huge = '{"ContactId": "c1", "n": ' + "1" * 5000 + "}"
    lines = f"{json.dumps(GUIDE_ENTRY)}\n{huge}\n"
    for text, where in (
        (lines, "f line 2"),
        (f"[{json.dumps(GUIDE_ENTRY)}, {huge}]", "f element 2"),
    ):
        records, report = _read(text)
        assert [r.contact_id for r in records] == [GUIDE_ENTRY["ContactId"]]
        assert report.unreadable == 1
        assert report.examples[0].startswith(f"{where}: not JSON (Exceeds the limit")


def test_contacts_reassembled_in_time_order_across_flows_without_repeats(tmp_path):
    first = tmp_path / "one.jsonl"
    second = tmp_path / "two.jsonl"
    module_entry = _entry("c1", "m1", "2021-04-13T00:00:02.000Z")
    module_entry["ContactFlowName"] = "pin_module"
    first.write_text(
        "\n".join(
            json.dumps(e)
            for e in [
                _entry("c1", "a3", "2021-04-13T00:00:03.000Z"),
                _entry("c2", "b1", "2021-04-13T00:00:00.500Z"),
                _entry("c1", "a1", "2021-04-13T00:00:01.000Z"),
            ]
        ),
        encoding="utf-8",
    )
    second.write_text(
        json.dumps(module_entry) + "\n" + json.dumps(module_entry) + "\n", encoding="utf-8"
    )
    report = ReadReport()
    grouped = {c.contact_id: c for c in contacts(read_flow_logs([first, second], report))}
    assert [e.identifier for e in grouped["c1"].entries] == ["a1", "m1", "a3"]
    assert grouped["c1"].flows == ["main", "pin_module"]
    assert [e.identifier for e in grouped["c2"].entries] == ["b1"]
    assert report.entries == 5  # the repeat was read, and kept once


def test_timestamps_in_every_form_and_odd_ones():
    from ivr.flowlogs.records import timestamp_ms

    expected = 1618272871581
    assert timestamp_ms("2021-04-13T00:14:31.581Z") == expected
    assert timestamp_ms("2021-04-13T00:14:31.581Z") == expected  # the minute now cached
    assert timestamp_ms("2021-04-13 00:14:31.581") == expected  # Logs Insights' @timestamp
    assert timestamp_ms("2021-04-13T00:14:31.581+00:00") == expected
    for odd in ("", "garbage", "2021-04-13T00:14:31.5x1Z", "2021-04-13T99:14:31.581Z"):
        assert timestamp_ms(odd) is None


def test_lines_that_would_merge_in_a_batch_are_read_one_by_one():
    # Lines are decoded many at a time as one JSON array; a line of two values, one that
    # closes that array, or lines whose text would join into one value must not pass for
    # lines of their own, wherever they fall in a batch.
    good = [json.dumps(_entry(f"c{n}", "a", "2021-04-13T00:14:32.000Z")) for n in range(3)]
    odd = [
        [good[0] + "," + good[1]],  # two entries on one line: not a JSON line
        [good[0] + "],[" + good[1]],  # would close the array early
        ["  "],  # blank: skipped, not counted
        # Two halves of an entry (a string across the line break), and a line of two values
        # to make the count of values come out even: three unreadable lines all the same.
        ['{"ContactId": "m", "Identifier": "a", "x": "', '"}', good[0] + "," + good[1]],
    ]
    from ivr.flowlogs.reader import _BATCH_LINES

    for bad in odd:
        for at in (1, _BATCH_LINES - 1, _BATCH_LINES + 5):  # (a first line tells the form)
            lines = [good[2]] * (3 * _BATCH_LINES)
            lines[at : at + len(bad)] = bad
            records, report = _read("\n".join(lines))
            unreadable = [line for line in bad if not line.isspace()]
            assert report.entries == len(lines) - len(bad) == len(records), (bad, at)
            assert report.unreadable == len(unreadable), (bad, at)
            for offset, example in enumerate(report.examples):
                assert example.startswith(f"f line {at + 1 + offset}: not JSON"), example
