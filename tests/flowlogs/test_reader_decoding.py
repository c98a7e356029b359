"""What the reader makes of odd JSON in flow-log lines: the same values json.loads gives for the
line on its own (the reference: orjson reads a chunk of lines only when it reads them exactly so),
the same text a file opened with errors="replace" gives, and a line neither can read counted,
never fatal. Each odd line sits among ordinary ones, at the start of a chunk, in its middle and
across the chunk size, so both the fast path and the line-by-line one are exercised."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivr.flowlogs.reader import _CHUNK, ReadReport, read_flow_logs, read_stream
from ivr.flowlogs.records import FlowLogRecord, record_from


def _line(contact: str = "c1", **extra: object) -> str:
    entry = {
        "ContactId": contact,
        "ContactFlowName": "main",
        "Identifier": "a",
        "ContactFlowModuleType": "MessageParticipant",
        "Timestamp": "2021-04-13T00:14:31.581Z",
        **extra,
    }
    return json.dumps(entry, ensure_ascii=False)


ORDINARY = _line("ordinary", Parameters={"Text": "hello"})


def _among_ordinary(odd: list[str], at: int, total: int = 600) -> list[str]:
    lines = [ORDINARY] * total
    lines[at : at + len(odd)] = odd
    return lines


def _read_file(tmp_path: Path, data: bytes) -> tuple[list[FlowLogRecord], ReadReport]:
    log = tmp_path / "log.jsonl"
    log.write_bytes(data)
    report = ReadReport()
    return list(read_flow_logs([log], report)), report


def _read_text(text: str) -> tuple[list[FlowLogRecord], ReadReport]:
    report = ReadReport()
    return list(read_stream(io.StringIO(text), "f", report)), report


def _reference(lines: list[str]) -> list[FlowLogRecord]:
    """Each line's entry as json.loads reads the line alone."""
    records = []
    for line in lines:
        record = record_from(json.loads(line))
        assert record is not None
        records.append(record)
    return records


# Lines orjson refuses or reads otherwise than json: json's values are the reader's.
ODD_LINES = {
    "NaN and infinities": (
        '{"ContactId": "c", "Parameters": {"a": NaN, "b": Infinity, "c": -Infinity}}'
    ),
    "a float past the double range": '{"ContactId": "c", "Parameters": {"big": 1e400}}',
    "lone surrogate escapes": '{"ContactId": "c", "Results": "\\ud800 and \\udc00"}',
    "2**64, a 64-bit overflow": '{"ContactId": "c", "Parameters": {"n": 18446744073709551616}}',
    "below -2**63": '{"ContactId": "c", "Parameters": {"n": -9223372036854775809}}',
    "30 digits": '{"ContactId": "c", "Parameters": {"n": 123456789012345678901234567890}}',
    "a big integer as Results": '{"ContactId": "c", "Results": 123456789012345678901234567890}',
    "a big integer in ExternalResults": (
        '{"ContactId": "c", "ExternalResults": {"n": [1, 99999999999999999999]}}'
    ),
    "19 digits in a float": '{"ContactId": "c", "Parameters": {"x": 0.1234567890123456789}}',
    "duplicate keys": '{"ContactId": "first", "Results": "1", "ContactId": "last", "Results": "2"}',
}


@pytest.mark.parametrize("name", sorted(ODD_LINES))
@pytest.mark.parametrize("at", [0, 1, 299, 599])
def test_odd_json_reads_as_json_reads_the_line(tmp_path, name, at):
    odd = ODD_LINES[name]
    lines = _among_ordinary([odd], at)
    expected = _reference(lines)
    for records, report in (
        _read_file(tmp_path, "\n".join(lines).encode()),
        _read_text("\n".join(lines)),
    ):
        assert report.unreadable == 0 and report.entries == len(lines)
        assert repr(records) == repr(expected)  # repr: NaN is not equal to itself


def test_the_values_json_gives_for_each_odd_line():
    by_name = {name: record_from(json.loads(line)) for name, line in ODD_LINES.items()}
    nan_and_infinities = by_name["NaN and infinities"].parameters
    assert math.isnan(nan_and_infinities["a"])
    assert (nan_and_infinities["b"], nan_and_infinities["c"]) == (math.inf, -math.inf)
    assert by_name["a float past the double range"].parameters == {"big": math.inf}
    assert by_name["lone surrogate escapes"].results == "\ud800 and \udc00"
    assert by_name["2**64, a 64-bit overflow"].parameters == {"n": 2**64}
    assert by_name["below -2**63"].parameters == {"n": -(2**63) - 1}
    assert by_name["30 digits"].parameters == {"n": 123456789012345678901234567890}
    assert by_name["a big integer as Results"].results == "123456789012345678901234567890"
    assert by_name["duplicate keys"].contact_id == "last"
    assert by_name["duplicate keys"].results == "2"
    # The reader agrees (the parametrized test above), with the values as exact integers.
    records, _ = _read_text("\n".join(ODD_LINES.values()))
    numbers = [r.parameters["n"] for r in records if r.parameters and "n" in r.parameters]
    assert numbers == [2**64, -(2**63) - 1, 123456789012345678901234567890]
    assert all(type(n) is int for n in numbers)


def test_duplicate_keys_keep_the_first_place_and_the_last_value(tmp_path):
    line = '{"ContactId": "c", "Parameters": {"b": 1, "a": 2, "b": 3}}'
    records, _ = _read_file(tmp_path, "\n".join([ORDINARY, line, ORDINARY]).encode())
    assert list(records[1].parameters.items()) == [("b", 3), ("a", 2)]


def test_integers_that_fit_64_bits_are_exact(tmp_path):
    numbers = [0, -1, 2**53 + 1, 2**63 - 1, -(2**63), 2**64 - 1, 10**17]
    lines = [_line(f"c{n}", Parameters={"n": n}) for n in numbers]
    records, report = _read_file(tmp_path, "\n".join(lines).encode())
    assert report.unreadable == 0
    assert [r.parameters["n"] for r in records] == numbers
    assert all(type(r.parameters["n"]) is int for r in records)


def test_invalid_utf8_is_replaced_as_a_text_file_reads_it(tmp_path):
    # A stray continuation byte, a truncated sequence, an encoded surrogate, overlong "/".
    bad = [b"\x80", b"\xe3\x81", b"\xed\xa0\x80", b"\xc0\xaf"]
    lines = [ORDINARY.encode()] * 600
    for at, raw in zip((0, 5, 300, 599), bad, strict=True):
        lines[at] = b'{"ContactId": "c%d", "Results": "x%sy"}' % (at, raw)
    data = b"\n".join(lines) + b"\n"
    records, report = _read_file(tmp_path, data)
    with (tmp_path / "log.jsonl").open(encoding="utf-8", errors="replace", newline="") as text:
        expected = _reference(text.read().split("\n")[:-1])
    assert records == expected and report.unreadable == 0
    assert records[5].results == "x\ufffdy"


def test_multibyte_characters_across_the_chunk_size_are_kept_whole(tmp_path):
    # Lines of 3-byte characters, so some fall across each _CHUNK bytes read.
    lines = [_line(f"c{n}", Results="日本語" * (n % 50)) for n in range(3 * _CHUNK // 100)]
    records, report = _read_file(tmp_path, "\n".join(lines).encode())
    assert records == _reference(lines) and report.unreadable == 0


def test_a_first_line_longer_than_a_chunk_of_bytes_is_still_read_as_json_lines(tmp_path):
    # More bytes than _CHUNK but fewer characters: the form is told from _CHUNK characters,
    # as a text file's first read gives them.
    first = _line("long", Results="é" * (_CHUNK // 2 + 10))
    lines = [first, ORDINARY]
    records, report = _read_file(tmp_path, "\n".join(lines).encode())
    assert records == _reference(lines) and report.unreadable == 0


def test_a_line_longer_than_many_chunks(tmp_path):
    lines = [ORDINARY, _line("long", Results="x" * (5 * _CHUNK)), ORDINARY]
    records, report = _read_file(tmp_path, "\n".join(lines).encode() + b"\n")
    assert records == _reference(lines) and report.unreadable == 0


def test_a_lone_surrogate_character_in_a_text_stream_is_read():
    line = '{"ContactId": "c", "Results": "a\ud800b"}'
    records, report = _read_text("\n".join(_among_ordinary([line], 3)))
    assert report.unreadable == 0
    assert records[3].results == "a\ud800b"


def test_nesting_deeper_than_json_can_read_is_an_unreadable_line_not_a_crash(tmp_path):
    deep = '{"ContactId": "c", "Parameters": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    lines = _among_ordinary([deep], 10)
    for records, report in (
        _read_file(tmp_path, "\n".join(lines).encode()),
        _read_text("\n".join(lines)),
    ):
        assert len(records) == report.entries == len(lines) - 1
        assert report.unreadable == 1
        assert report.examples[0].endswith("line 11: not JSON (nested too deep)")


def test_crlf_lines_blank_lines_and_a_last_line_without_a_break(tmp_path):
    lines = [ORDINARY, "", "  ", ORDINARY, "\r"]
    data = "\r\n".join(lines).encode() + _line("last").encode()
    records, report = _read_file(tmp_path, data)
    assert [r.contact_id for r in records] == ["ordinary", "ordinary", "last"]
    assert report.unreadable == 0


def test_a_byte_order_mark_reads_as_before(tmp_path):
    # A text file opened as "utf-8" keeps the mark: the first line is not JSON.
    records, report = _read_file(tmp_path, ("\ufeff" + ORDINARY + "\n" + ORDINARY).encode())
    assert len(records) == 1 and report.unreadable == 1
    assert report.examples[0].startswith(f"{tmp_path / 'log.jsonl'} line 1: not JSON")


_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False)
    | st.text()
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_json_values, _json_values, st.booleans()), min_size=1, max_size=30))
def test_any_json_values_read_as_json_reads_each_line(fields):
    lines = [
        _line(f"c{n}", Parameters={"v": value}, ExternalResults={"w": other}, Results=str(flag))
        if flag
        else json.dumps({"ContactId": f"c{n}", "Results": value, "Parameters": other})
        for n, (value, other, flag) in enumerate(fields)
    ]
    records, report = _read_text("\n".join(lines))
    assert records == _reference(lines)
    assert report.unreadable == 0
