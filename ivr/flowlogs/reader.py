"""Reading flow logs in the forms an admin can get out of CloudWatch, one entry at a time.

    * JSON lines: one flow-log entry per line (what a log subscription or an export of the raw
      messages gives), or one wrapper object per line (`aws logs filter-log-events ... |
      jq -c '.events[]'`), whose "message" or "@message" holds the entry as text.
    * `aws logs filter-log-events --log-group-name /aws/connect/<instance>` output: the AWS CLI
      reference (docs.aws.amazon.com/cli/latest/reference/logs/filter-log-events.html) gives it
      as {"events": [{"logStreamName", "timestamp", "message", "ingestionTime", "eventId"}],
      "searchedLogStreams": [...], "nextToken"}, each "message" the entry as a JSON string.
    * CloudWatch Logs Insights results exported from the console ("Export results", download
      table as JSON or CSV): a JSON array of rows, or a CSV file with a header row, one column
      per query field; `fields @timestamp, @message` puts the entry in "@message", a query
      naming the fields (`fields ContactId, Identifier, ...`) gives them as columns.

Streaming: a JSON document (array or filter-log-events object) is decoded element by element
from a bounded buffer, CSV line by line and JSON lines a chunk of lines at a time, so memory
does not grow with the file. A line or element that is not a flow-log entry (not JSON, no
ContactId) is counted in `ReadReport` with its place and reason and skipped: one bad line never
stops a read.

JSON lines, the form a large log comes in, are decoded by orjson when it reads a chunk of lines
exactly as json would, else by json (the reference): orjson refuses what json accepts beyond
the JSON standard (NaN, Infinity, 1e400, lone surrogate escapes) and reads an integer past 64
bits as a float, so a chunk with any of those, or with 19 digits in a row anywhere (the shortest
such integer has 19), is json's. A file is read as bytes; text that is not UTF-8 is replaced
(U+FFFD) as a text file opened with errors="replace" would read it.
"""

from __future__ import annotations

import codecs
import csv
import json
import json.scanner
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TextIO

import orjson

from ivr.errors import ToolkitError
from ivr.flowlogs.records import (
    CONTACT_ID,
    EXTERNAL_RESULTS,
    FLOW_ID,
    FLOW_NAME,
    IDENTIFIER,
    MODULE_TYPE,
    PARAMETERS,
    RESULTS,
    TIMESTAMP,
    FlowLogRecord,
    record_from,
)

EXAMPLES_KEPT = 5  # unreadable places shown to the user; the rest are only counted
_CHUNK = 1 << 16
_BATCH_LINES = 256  # JSON lines decoded per call (_json_batch)
_decoder = json.JSONDecoder()
# typeshed types the scanner's context as a scanner; CPython reads the decoder's attributes.
_scanner = json.scanner.make_scanner(_decoder)  # type: ignore[arg-type]
_WRAPPER_MESSAGE = ("message", "@message")
# A run of 19 digits, told by mapping every digit to "0": the shortest integer orjson would
# read as a float (past 2**63 - 1 it is -2**63 - 1 or 2**64), wherever it is (a string too).
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGIT_RUN = b"0" * 19
_NOT_JSON = (ValueError, RecursionError)  # json's C scanner recurses for nested values
# The fields nearly every entry has, read in one call (record_from's defaults for the others).
_USUAL_FIELDS = itemgetter(CONTACT_ID, FLOW_ID, FLOW_NAME, MODULE_TYPE, IDENTIFIER, TIMESTAMP)
_new_record = tuple.__new__


class _Reader(Protocol):
    def read(self, size: int, /) -> str: ...


def _why_not_json(exc: ValueError | RecursionError) -> str:
    """The decoder's reason; not every ValueError it raises is a JSONDecodeError (a number
    past int's digit limit is a plain ValueError), and a value nested deeper than Python's
    recursion limit is a RecursionError."""
    if isinstance(exc, RecursionError):
        return "nested too deep"
    return exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)


@dataclass
class ReadReport:
    """What a read found: entries read, and where and why the others could not be."""

    entries: int = 0
    unreadable: int = 0
    examples: list[str] = field(default_factory=list)

    def skip(self, where: str, why: str) -> None:
        self.unreadable += 1
        if len(self.examples) < EXAMPLES_KEPT:
            self.examples.append(f"{where}: {why}")

    def describe(self) -> str:
        if not self.unreadable:
            return f"{self.entries} flow-log entries read"
        shown = "; ".join(self.examples)
        more = "" if self.unreadable <= len(self.examples) else " ..."
        return (
            f"{self.entries} flow-log entries read, {self.unreadable} unreadable skipped "
            f"({shown}{more})"
        )


def read_flow_logs(paths: Iterable[str | Path], report: ReadReport) -> Iterator[FlowLogRecord]:
    """Every flow-log entry in the files, in file order; `report` counts what was skipped."""
    return chain.from_iterable(read_flow_log_chunks(paths, report))


def read_flow_log_chunks(
    paths: Iterable[str | Path], report: ReadReport
) -> Iterator[list[FlowLogRecord]]:
    """The same entries a list at a time (a chunk of lines, in a JSON-lines file): what reads
    a large log without a generator step per entry (`ivr logs summary`)."""
    for path in paths:
        try:
            source = open(path, "rb")  # noqa: SIM115
        except OSError as exc:
            raise ToolkitError(f"cannot read flow log {path}: {exc.strerror}") from exc
        with source:
            yield from _binary_stream(source, str(path), report)


def read_stream(source: TextIO, name: str, report: ReadReport) -> Iterator[FlowLogRecord]:
    """The entries of one open text file, whatever its form (told from its first characters)."""
    return chain.from_iterable(_text_stream(source, name, report))


def _text_stream(source: TextIO, name: str, report: ReadReport) -> Iterator[list[FlowLogRecord]]:
    head = source.read(_CHUNK)
    form = _form(head)
    if form == "lines":
        # Encoded back for orjson; a lone surrogate (a str can hold one) goes through as the
        # bytes that surrogatepass decodes back to it, which orjson refuses: json reads it.
        def more() -> bytes:
            return source.read(_CHUNK).encode("utf-8", "surrogatepass")

        yield from _json_lines(
            head.encode("utf-8", "surrogatepass"), more, name, report, "surrogatepass"
        )
    else:
        yield from _text_forms(form, head, source, name, report)


def _binary_stream(
    source: BinaryIO, name: str, report: ReadReport
) -> Iterator[list[FlowLogRecord]]:
    """A file's entries: its form told from its first _CHUNK characters, as for a text file."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    read: list[bytes] = [source.read(_CHUNK)]
    head = decoder.decode(read[0], final=not read[0])
    while len(head) < _CHUNK and read[-1]:  # fewer characters than bytes: not all ASCII
        read.append(source.read(_CHUNK))
        head += decoder.decode(read[-1], final=not read[-1])
    form = _form(head[:_CHUNK])
    if form == "lines":

        def more() -> bytes:
            return source.read(_CHUNK)

        yield from _json_lines(b"".join(read), more, name, report, "replace")
    else:
        yield from _text_forms(form, head, _Decoded(source, decoder), name, report)


class _Decoded:
    """The rest of a binary file as text, read as `open(..., errors="replace")` reads it."""

    def __init__(self, source: BinaryIO, decoder: codecs.IncrementalDecoder) -> None:
        self.source, self.decoder = source, decoder

    def read(self, size: int, /) -> str:
        while True:
            data = self.source.read(size)
            text = self.decoder.decode(data, final=not data)
            if text or not data:
                return text


def _form(head: str) -> str | None:
    """The file's form: "lines", "array", "document" (a filter-log-events object) or "csv";
    None for an empty file."""
    start = head.lstrip("\ufeff \t\r\n")
    if not start:
        return None
    if start[0] == "[":
        return "array"
    if start[0] == "{":
        first_line = start.split("\n", 1)[0].strip()
        return "lines" if _is_object(first_line) else "document"
    return "csv"


def _text_forms(
    form: str | None, head: str, source: _Reader, name: str, report: ReadReport
) -> Iterator[list[FlowLogRecord]]:
    if form is None:
        return
    if form == "csv":
        records = _csv(head, source, name, report)
    else:
        records = _document(head, source, name, report, array=form == "array")
    for record in records:
        yield [record]


def _is_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except _NOT_JSON:
        return False


def _lines(head: str, source: _Reader) -> Iterator[str]:
    """The file's lines, the first chunk already read included."""
    pending = ""
    chunk = head
    while chunk:
        lines = (pending + chunk).split("\n")
        pending = lines.pop()
        yield from lines
        chunk = source.read(_CHUNK)
    if pending:
        yield pending


def _json_lines(
    head: bytes, more: Callable[[], bytes], name: str, report: ReadReport, errors: str
) -> Iterator[list[FlowLogRecord]]:
    """The entries of a JSON-lines file, a list per chunk of whole lines. `errors`: how text
    that is not UTF-8 is decoded for json (the file's or the text stream's own handler)."""
    number = 1  # the line number of the next block's first line
    begun: list[bytes] = []  # a line longer than the chunks read so far
    chunk = head
    while chunk:
        cut = chunk.rfind(b"\n")
        if cut < 0:
            begun.append(chunk)
        else:
            block = chunk[:cut]
            if begun:
                begun.append(block)
                block = b"".join(begun)
                begun = []
            if cut + 1 < len(chunk):
                begun.append(chunk[cut + 1 :])
            records, lines = _json_block(block, number, name, report, errors)
            number += lines
            if records:
                yield records
        chunk = more()
    if begun:
        records, _ = _json_block(b"".join(begun), number, name, report, errors)
        if records:
            yield records


def _json_block(
    block: bytes, first: int, name: str, report: ReadReport, errors: str
) -> tuple[list[FlowLogRecord], int]:
    """The entries of whole lines (`block`: without its last line break) and how many lines
    they are. Decoded by orjson as one JSON array, the lines joined by their line breaks as in
    _json_batch, when that gives one value a line and nothing orjson reads otherwise than json
    can be in them; else by json (_json_batch), which reports each bad line."""
    joined = block.replace(b"\n", b"\n,")
    lines = len(joined) - len(block) + 1
    if _LONG_DIGIT_RUN not in block.translate(_DIGITS_AS_ZERO):
        try:
            values = orjson.loads(b"[" + joined + b"]")
        except orjson.JSONDecodeError:
            pass
        else:
            if len(values) == lines:
                return _entries(values, first, name, report), lines
    text = block.decode("utf-8", errors).split("\n")
    records: list[FlowLogRecord] = []
    for start in range(0, len(text), _BATCH_LINES):
        batch = text[start : start + _BATCH_LINES]
        records.extend(_json_batch(batch, first + start, name, report))
    return records, lines


def _entries(values: list[Any], first: int, name: str, report: ReadReport) -> list[FlowLogRecord]:
    """The entries of the values of lines `first`, `first` + 1, ... (_line_record's, the usual
    entry read inline: this loop runs once per line of a large log). The usual entry has the
    six fields of _USUAL_FIELDS, read in one call, each of the type record_from wants as is."""
    records: list[FlowLogRecord] = []
    append = records.append
    odd = 0
    usual = True  # every entry so far had the six fields (else record_from reads the rest)
    last_contact = last_flow_id = last_flow = ""
    for number, value in enumerate(values, first):
        if type(value) is dict:
            if usual:
                try:
                    contact_id, flow_id, flow, module_type, identifier, stamp = _USUAL_FIELDS(value)
                except KeyError:
                    usual = False
                else:
                    get = value.get
                    parameters, results, external = (
                        get(PARAMETERS),
                        get(RESULTS),
                        get(EXTERNAL_RESULTS),
                    )
                    if (
                        type(contact_id) is str
                        and contact_id
                        and type(flow_id) is str
                        and type(flow) is str
                        and type(module_type) is str
                        and type(identifier) is str
                        and type(stamp) is str
                        and (parameters is None or type(parameters) is dict)
                        and (results is None or type(results) is str)
                        and (external is None or type(external) is dict)
                    ):
                        # Text equal to the line before's is kept once: a contact's lines
                        # share it, and a large log's pages faulted in cost as much as the
                        # comparisons save.
                        if contact_id == last_contact:
                            contact_id = last_contact
                        else:
                            last_contact = contact_id
                        if flow_id == last_flow_id:
                            flow_id = last_flow_id
                        else:
                            last_flow_id = flow_id
                        if flow == last_flow:
                            flow = last_flow
                        else:
                            last_flow = flow
                        append(
                            _new_record(
                                FlowLogRecord,
                                (
                                    contact_id,
                                    flow_id,
                                    flow,
                                    module_type,
                                    identifier,
                                    stamp,
                                    parameters,
                                    results,
                                    external,
                                ),
                            )
                        )
                        continue
            record = record_from(value)
            if record is not None:
                append(record)
                continue
        record = _record(value, f"{name} line {number}", report)  # counted there
        if record is not None:
            append(record)
            odd += 1
    report.entries += len(records) - odd
    return records


def _json_batch(
    batch: list[str], first: int, name: str, report: ReadReport
) -> Iterator[FlowLogRecord]:
    """The entries of a run of lines, decoded as one JSON array: json's scanner keeps each key
    it has read for the rest of a call, so a batch makes each key once, not once a line (about
    a quarter of the decoding time). It stands for its lines when it parses to the end with as
    many values as lines (an empty line, a line of two values or one closing the array break
    that); the lines stay apart by their line breaks, which the strict scanner allows in no
    string, so no value joins two lines' text (only lines crafted to balance each other's
    brackets could). Otherwise the lines are read one by one, each bad one reported."""
    text = "[" + "\n,".join(batch) + "]"
    try:
        values, end = _scanner(text, 0)
    except (StopIteration, *_NOT_JSON):
        values, end = None, -1
    if end != len(text) or len(values) != len(batch):
        yield from _json_lines_one_by_one(batch, first, name, report)
        return
    for number, value in enumerate(values, first):
        record = _line_record(value, name, number, report)
        if record is not None:
            yield record


def _json_lines_one_by_one(
    batch: list[str], first: int, name: str, report: ReadReport
) -> Iterator[FlowLogRecord]:
    scan = _scanner  # json's C scanner: json.loads without its Python-level wrapping
    for number, line in enumerate(batch, first):
        try:
            value, end = scan(line, 0)
        except StopIteration:
            if not line or line.isspace():
                continue
            value, end = None, -1
        except _NOT_JSON:
            value, end = None, -1
        if end != len(line) and line[end:].strip():
            try:
                value = json.loads(line)
            except _NOT_JSON as exc:
                report.skip(f"{name} line {number}", f"not JSON ({_why_not_json(exc)})")
                continue
        record = _line_record(value, name, number, report)
        if record is not None:
            yield record


def _line_record(value: Any, name: str, number: int, report: ReadReport) -> FlowLogRecord | None:
    """The entry one JSON line holds (the usual line first, its place formatted only for
    the others), or None; counted in `report` either way."""
    if type(value) is dict and CONTACT_ID in value:
        record = record_from(value)
        if record is not None:
            report.entries += 1
            return record
    return _record(value, f"{name} line {number}", report)


def _record(value: Any, where: str, report: ReadReport) -> FlowLogRecord | None:
    """The entry `value` is or wraps (a filter-log-events event, an Insights row)."""
    if not isinstance(value, dict):
        report.skip(where, f"a JSON {type(value).__name__}, not an object")
        return None
    if CONTACT_ID not in value:
        for key in _WRAPPER_MESSAGE:
            inner = message = value.get(key)
            if isinstance(message, str):
                try:
                    inner = json.loads(message)
                except _NOT_JSON:
                    report.skip(where, f"{key} is not a JSON flow-log entry")
                    return None
            if message is not None:
                if isinstance(inner, dict):
                    if TIMESTAMP not in inner:
                        _timestamp_from_wrapper(inner, value)
                    value = inner
                break
    record = record_from(value)
    if record is None:
        report.skip(where, "no ContactId (not an Amazon Connect flow-log entry)")
        return None
    report.entries += 1
    return record


def _timestamp_from_wrapper(entry: dict[str, Any], wrapper: dict[str, Any]) -> None:
    """An entry without its own Timestamp takes the log event's (ms since the epoch, or
    Insights' "@timestamp" text)."""
    from datetime import UTC, datetime

    stamp = wrapper.get("@timestamp") or wrapper.get("timestamp")
    if isinstance(stamp, int | float):
        moment = datetime.fromtimestamp(stamp / 1000, UTC)
        entry[TIMESTAMP] = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    elif isinstance(stamp, str):
        entry[TIMESTAMP] = stamp


def _document(
    head: str, source: _Reader, name: str, report: ReadReport, *, array: bool
) -> Iterator[FlowLogRecord]:
    """The elements of a JSON array (array=True) or of the "events" array of a
    filter-log-events object, decoded one at a time."""
    buffer = head
    position = 0

    def more() -> bool:
        nonlocal buffer, position
        chunk = source.read(_CHUNK)
        if not chunk:
            return False
        buffer = buffer[position:] + chunk
        position = 0
        return True

    # Find the array: the top-level "[" of an array file, the "events" key's "[" otherwise.
    marker = "[" if array else '"events"'
    while True:
        found = buffer.find(marker, position)
        if found >= 0:
            position = found + len(marker)
            break
        position = max(0, len(buffer) - len(marker))
        if not more():
            report.skip(name, 'a JSON object without an "events" list (not flow logs)')
            return
    if not array:
        while True:
            found = buffer.find("[", position)
            if found >= 0:
                position = found + 1
                break
            position = len(buffer)
            if not more():
                return
    index = 0
    while True:
        # Skip separators; stop at the array's end.
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                position += 1
            if position < len(buffer):
                break
            if not more():
                return
        if buffer[position] == "]":
            return
        index += 1
        while True:
            try:
                value, end = _decoder.raw_decode(buffer, position)
            except _NOT_JSON as exc:
                if more():
                    continue
                why = _why_not_json(exc)
                report.skip(f"{name} element {index}", f"not JSON ({why}); rest skipped")
                return
            break
        position = end
        record = _record(value, f"{name} element {index}", report)
        if record is not None:
            yield record


def _csv(head: str, source: _Reader, name: str, report: ReadReport) -> Iterator[FlowLogRecord]:
    rows = csv.reader(_lines(head, source))
    header = next(rows, None)
    if header is None:
        return
    header = [column.strip().lstrip("\ufeff") for column in header]
    if CONTACT_ID not in header and not any(k in header for k in _WRAPPER_MESSAGE):
        report.skip(name, "a CSV file without a ContactId or @message column (not flow logs)")
        return
    for number, row in enumerate(rows, 2):
        if not row:
            continue
        value: dict[str, Any] = {}
        for column, cell in zip(header, row, strict=False):
            if cell == "":
                continue
            if cell[:1] in "{[":
                try:
                    value[column] = json.loads(cell)
                    continue
                except _NOT_JSON:
                    pass
            value[column] = cell
        record = _record(value, f"{name} row {number}", report)
        if record is not None:
            yield record
