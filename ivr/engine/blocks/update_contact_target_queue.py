"""UpdateContactTargetQueue (Set working queue): QueueId (or AgentId) becomes `$.Queue`.

The flow names a queue by ARN or deploy-time placeholder; its display name is read from that
text (`${GoldQueueArn}` -> Gold, `.../queue/<id>` -> id, `${Q:sales:Q}` -> sales), which is what
a test can say it expects."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block, text
from ivr.engine.steps import PROCEED, Fail, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run

_PLACEHOLDER = re.compile(r"^\$\{(?P<name>\w+?)(?:Queue)?(?:Arn|Id)?\}$")
_TOKEN = re.compile(r"\$\{Q:(?P<name>[^:}]+):Q\}")
_PERCENT = re.compile(r"^%(?P<name>[^%]+?)(?:Queue)?(?:Arn|Id)?%$")


def queue_name(reference: str) -> str:
    for pattern in (_PLACEHOLDER, _PERCENT):
        match = pattern.match(reference.strip())
        if match:
            return match["name"]
    token = _TOKEN.search(reference)
    if token:
        return token["name"]
    if reference.startswith("arn:") and "/" in reference:
        return reference.rsplit("/", 1)[1]
    return reference


def run(action: CompiledAction, call: Run) -> Step:
    reference = text(action.params, "QueueId", call) or text(action.params, "AgentId", call)
    if not reference:
        return Fail("NoMatchingError", "no queue: QueueId resolved to nothing")
    call.contact.queue_arn = reference
    call.contact.queue_name = queue_name(reference)
    return PROCEED


BLOCK = Block("UpdateContactTargetQueue", run)
