"""How a logged contact ended and which branch each logged action took: what the flow logs say,
read the way the engine labels them (models.flow.Transitions.targets), so a summary of logs of
simulated calls and the engine's own counts can be compared one for one.

A log has no "call ended" entry: a contact left the flows at its first queue transfer,
disconnect or transfer to a phone number (later entries are its queue and whisper flows), else
at its last entry. A transfer, disconnect or end block there says how; any other entry means
the contact stopped in the middle of the flow, an error when the entry reports one (its
Results), else the caller hung up there.

The branch an action took is the transition leading to the contact's next entry in the same
flow. When several transitions lead there, Results decides: a condition whose operand is the
result, an error whose ErrorType it is ("Timeout" is the menu's InputTimeLimitExceeded), else
NoMatchingCondition for a result no condition took, NoMatchingError for a failure, "next" for
an action that reported nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter

from ivr.flowlogs.records import FlowLogRecord

QUEUE, DISCONNECT, TRANSFER, END_FLOW, ERROR, CALLER_HUNG_UP = (
    "queue",
    "disconnect",
    "transfer",
    "end_flow",
    "error",
    "caller_hung_up",
)
OUTCOMES = (QUEUE, TRANSFER, DISCONNECT, END_FLOW, ERROR, CALLER_HUNG_UP)
# Engine outcome type -> the outcome a log shows (a log cannot tell a step limit from an error).
ENGINE_OUTCOMES = {
    "queue": QUEUE,
    "disconnect": DISCONNECT,
    "transfer_to_flow": TRANSFER,
    "third_party": TRANSFER,
    "end_flow": END_FLOW,
    "error": ERROR,
    "step_limit": ERROR,
}
_ENDING_TYPES = {
    "TransferContactToQueue": QUEUE,
    "DisconnectParticipant": DISCONNECT,
    "TransferToFlow": TRANSFER,
    "TransferParticipantToThirdParty": TRANSFER,
    "EndFlowExecution": END_FLOW,
    "EndFlowModuleExecution": END_FLOW,
    # Names Connect's own entries use for these blocks (the guide's example names SetQueue).
    "Transfer": QUEUE,
    "Disconnect": DISCONNECT,
}
_LEAVING_TYPES = frozenset(
    t for t, kind in _ENDING_TYPES.items() if kind in (QUEUE, DISCONNECT)
) | {"TransferParticipantToThirdParty"}
_FAILED_QUEUE = frozenset({"QueueAtCapacity", "NoMatchingError", "Error"})
_TIMED_OUT = re.compile(r"time ?limit|timed? ?out", re.IGNORECASE)
TIMEOUT_RESULT = "Timeout"
_module_type = attrgetter("module_type")


@dataclass(frozen=True)
class Ending:
    outcome: str  # one of OUTCOMES
    detail: str = ""  # the queue's name, the transfer's destination


def final_index(entries: list[FlowLogRecord]) -> int:
    """Where the contact left the flows: the first entry that put it in a queue, hung it up
    or sent it to a phone number (what Connect logs after that is the customer queue or
    whisper flows of a contact waiting for, or talking to, an agent), else the last entry."""
    leaving = list(map(_LEAVING_TYPES.__contains__, map(_module_type, entries)))  # C loops
    index = -1
    while True:
        try:
            index = leaving.index(True, index + 1)
        except ValueError:
            return len(entries) - 1
        entry = entries[index]
        if _ENDING_TYPES.get(entry.module_type) != QUEUE or entry.results not in _FAILED_QUEUE:
            return index


def ending(last: FlowLogRecord) -> Ending:
    kind = _ENDING_TYPES.get(last.module_type)
    parameters = last.parameters or {}
    if kind == QUEUE and last.results not in _FAILED_QUEUE:
        return Ending(QUEUE, str(parameters.get("QueueName") or parameters.get("Queue") or ""))
    if kind == TRANSFER:
        return Ending(TRANSFER, str(parameters.get("Destination") or ""))
    if kind is not None and kind != QUEUE:
        return Ending(kind)
    return Ending(ERROR if last.results else CALLER_HUNG_UP)


def lambda_failure(entry: FlowLogRecord) -> str | None:
    """ "timeout" or "error" for a Lambda entry that failed, None for one that answered."""
    if entry.external_results is not None or not entry.results:
        return None
    return "timeout" if _TIMED_OUT.search(entry.results) else "error"


def branch_taken(branches: list[tuple[str, str]], target: str, results: str | None) -> str | None:
    """The label among `branches` ((label, target) in the flow's order) that led to `target`."""
    candidates = [label for label, to in branches if to == target]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    if results is not None:
        for label in candidates:
            if label.startswith("condition:") and label.partition(" ")[2] == results:
                return label
        for label in candidates:
            if label == f"error:{results}":
                return label
        if results == TIMEOUT_RESULT and "error:InputTimeLimitExceeded" in candidates:
            return "error:InputTimeLimitExceeded"
        for fallback in ("error:NoMatchingCondition", "error:NoMatchingError"):
            if fallback in candidates:
                return fallback
    if "next" in candidates:
        return "next"
    return candidates[0]
