"""Contacts put back together from flow-log entries: every entry with one ContactId, across the
flows, modules and transfers it passed, in time order.

CloudWatch interleaves contacts (and `filter-log-events` pages through log streams), so the
entries of one contact are collected before its order is known: memory grows with the entries
of the contacts read, not with the files' size beyond that. Connect delivers flow logs at
least once (contact-flow-logs.html), so an entry repeated exactly is kept once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter

from ivr.flowlogs.records import FlowLogRecord


@dataclass
class LoggedContact:
    contact_id: str
    entries: list[FlowLogRecord]

    @property
    def flows(self) -> list[str]:
        """The flows the contact passed, in order of first entry."""
        seen: dict[str, None] = {}
        for entry in self.entries:
            seen.setdefault(entry.flow_name or entry.flow_id, None)
        return list(seen)


_timestamp = attrgetter("timestamp")  # the sort key, called in C


def contacts(records: Iterable[FlowLogRecord]) -> Iterator[LoggedContact]:
    """Each contact of `records` with its entries in time order (stable: entries with the same
    timestamp keep the order they were read in), contacts in order of their first entry."""
    grouped: dict[str, list[FlowLogRecord]] = {}
    for record in records:
        entries = grouped.get(record.contact_id)
        if entries is None:
            grouped[record.contact_id] = [record]
        else:
            entries.append(record)
    for contact_id, entries in grouped.items():
        entries.sort(key=_timestamp)
        yield LoggedContact(contact_id, _without_repeats(entries))


def _without_repeats(entries: list[FlowLogRecord]) -> list[FlowLogRecord]:
    if len(set(map(_timestamp, entries))) == len(entries):
        return entries  # a repeat has its entry's timestamp: none here
    kept: list[FlowLogRecord] = []
    previous: FlowLogRecord | None = None
    for entry in entries:
        # A repeat has the same timestamp (compared first: that alone tells most apart).
        if (
            previous is not None
            and entry.timestamp == previous.timestamp
            and entry.identifier == previous.identifier
            and entry == previous
        ):
            continue  # delivered twice
        kept.append(entry)
        previous = entry
    return kept
