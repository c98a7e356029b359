"""One flow-log entry: what Amazon Connect writes to CloudWatch for each block a contact passes.

The fields, as the Amazon Connect Administrator Guide documents them ("Data in flow logs stored
in an Amazon CloudWatch log group", docs.aws.amazon.com/connect/latest/adminguide/
contact-flow-log-data.html): "Log entries for flows include details about the block associated
with the log entry, the contact ID, and the action taken after the steps in the block were
completed". Its example entry, a Set working queue block of an inbound flow:

    {"ContactId": "11111111-2222-3333-4444-555555555555",
     "ContactFlowId": "arn:aws:connect:us-west-2:0123456789012:instance/nnnnnnnnnnn-3333-4444-
                       5555-111111111111/contact-flow/123456789000-aaaa-bbbbbbbbb-cccccccccccc",
     "ContactFlowModuleType": "SetQueue",
     "Timestamp": "2021-04-13T00:14:31.581Z",
     "Parameters": {"Queue": "arn:aws:connect:us-west-2:0123456789012:instance/.../queue/..."}}

Entries also carry `ContactFlowName`, the block's `Identifier`, `Results` (what the block
answered: the key pressed, "True"/"False" of a hours check, an error) and, after an AWS Lambda
or Amazon Lex block, `ExternalResults` (the guide: "If you use Amazon Lex or AWS Lambda in
your contact flows, the logs show the entry and exit of the flow going to them and include any
information about the interaction that was sent or received during entry or exit"). The same
guide warns that Connect delivers flow logs "at least once" (contact-flow-logs.html), so an
entry can repeat.

Connect omits fields a block has nothing for and may add new ones: every field but ContactId
is optional here and unknown fields are ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from operator import add, itemgetter
from typing import Any, NamedTuple

CONTACT_ID = "ContactId"
FLOW_ID = "ContactFlowId"
FLOW_NAME = "ContactFlowName"
MODULE_TYPE = "ContactFlowModuleType"
IDENTIFIER = "Identifier"
TIMESTAMP = "Timestamp"
PARAMETERS = "Parameters"
RESULTS = "Results"
EXTERNAL_RESULTS = "ExternalResults"


class FlowLogRecord(NamedTuple):
    """One entry. A tuple (built by `record_from` without a Python-level __init__): reading a
    large log builds one per line."""

    contact_id: str
    flow_id: str = ""
    flow_name: str = ""
    module_type: str = ""
    identifier: str = ""
    timestamp: str = ""  # as logged: ISO 8601 in UTC ("2021-04-13T00:14:31.581Z")
    parameters: dict[str, Any] | None = None
    results: str | None = None
    external_results: dict[str, Any] | None = None

    @property
    def milliseconds(self) -> int | None:
        """The timestamp as milliseconds since the epoch; None when absent or unreadable."""
        return timestamp_ms(self.timestamp)

    def to_dict(self) -> dict[str, Any]:
        """The entry as Connect writes it (fields with nothing to say left out)."""
        entry: dict[str, Any] = {CONTACT_ID: self.contact_id}
        for key, value in (
            (FLOW_ID, self.flow_id),
            (FLOW_NAME, self.flow_name),
            (MODULE_TYPE, self.module_type),
            (IDENTIFIER, self.identifier),
            (TIMESTAMP, self.timestamp),
            (PARAMETERS, self.parameters),
            (RESULTS, self.results),
            (EXTERNAL_RESULTS, self.external_results),
        ):
            if value:
                entry[key] = value
        return entry


_new_record = tuple.__new__


_minutes: dict[str, int] = {}  # "2021-04-13T00:14" -> ms at its start (a day is 1,440)
# ":31.581Z" -> 31,581: the rest of the usual form, filled as met (at most 100,000 of them).
_within_minute: dict[str, int] = {}
_MINUTE = itemgetter(slice(0, 16))
_WITHIN_MINUTE = itemgetter(slice(16, 24))


def timestamp_ms(text: str) -> int | None:
    # The usual form, "2021-04-13T00:14:31.581Z": its minute looked up (cached once read),
    # then seconds and milliseconds read as one number ("31" "581": 31,581 ms).
    minute = _minutes.get(text[:16])
    if minute is not None and len(text) == 24 and text[19] == "." and text[23] == "Z":
        milliseconds = text[17:19] + text[20:23]
        if milliseconds.isdecimal():  # not isdigit(): int() refuses a superscript digit
            return minute + int(milliseconds)
    if not text:
        return None
    if len(text) == 24 and text[-1] == "Z" and text[16] == ":" and text[19] == ".":
        start = _parsed_ms(text[:16] + ":00Z")
        if start is not None:  # an unparsable minute is not cached: the text is odd
            _minutes[text[:16]] = start
            seconds, millis = text[17:19], text[20:23]
            if seconds.isdecimal() and millis.isdecimal():
                return start + int(seconds) * 1000 + int(millis)
    return _parsed_ms(text)


def timestamps_ms(texts: Sequence[str]) -> list[int | None]:
    """timestamp_ms of each text (a contact's, by the summary, for every log line). The usual
    form is read in C loops from two caches, its minute and the rest (":31.581Z"), each filled
    by the first text that has it; a text either misses is read by timestamp_ms."""
    minutes = list(map(_minutes.get, map(_MINUTE, texts)))
    within = list(map(_within_minute.get, map(_WITHIN_MINUTE, texts)))
    # A cached rest is 8 characters: a text it was found for is 24 long, or longer.
    if max(map(len, texts), default=0) <= 24:
        try:
            return list(map(add, minutes, within))  # a miss is a None: a TypeError
        except TypeError:
            within = [
                _within(text) if w is None else w for w, text in zip(within, texts, strict=True)
            ]
            try:
                return list(map(add, minutes, within))
            except TypeError:
                pass
    return list(map(timestamp_ms, texts))


def _within(text: str) -> int | None:
    """The ms since its minute began of a text of the usual form (":ss.mmmZ" from character
    16: what timestamp_ms adds to the minute), cached; None for any other text."""
    rest = text[16:24]
    if len(rest) == 8 and rest[0] == ":" and rest[3] == "." and rest[7] == "Z":
        digits = rest[1:3] + rest[4:7]
        if digits.isascii() and digits.isdecimal():
            milliseconds = _within_minute[rest] = int(digits)
            return milliseconds
    return None


def _parsed_ms(text: str) -> int | None:
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        # Logs Insights shows @timestamp without a zone ("2021-04-13 00:14:31.581"): UTC.
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def record_from(entry: dict[str, Any]) -> FlowLogRecord | None:
    """The record an entry's object holds; None when it has no ContactId (not a flow log)."""
    get = entry.get
    contact_id = get(CONTACT_ID)
    if type(contact_id) is not str or not contact_id:
        return None
    fields = (
        contact_id,
        get(FLOW_ID, ""),
        get(FLOW_NAME, ""),
        get(MODULE_TYPE, ""),
        get(IDENTIFIER, ""),
        get(TIMESTAMP, ""),
        get(PARAMETERS),
        get(RESULTS),
        get(EXTERNAL_RESULTS),
    )
    if (
        type(fields[1]) is str
        and type(fields[2]) is str
        and type(fields[3]) is str
        and type(fields[4]) is str
        and type(fields[5]) is str
        and (fields[6] is None or type(fields[6]) is dict)
        and (fields[7] is None or type(fields[7]) is str)
        and (fields[8] is None or type(fields[8]) is dict)
    ):
        return _new_record(FlowLogRecord, fields)  # as Connect writes them: the usual case
    # Otherwise: a field meant as text is made text (a number in Results), one meant as an
    # object that isn't one is dropped.
    return _new_record(
        FlowLogRecord,
        (
            contact_id,
            *(_text(value) for value in fields[1:6]),
            fields[6] if type(fields[6]) is dict else None,
            None if fields[7] is None else _text(fields[7]),
            fields[8] if type(fields[8]) is dict else None,
        ),
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)
