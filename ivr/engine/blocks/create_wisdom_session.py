"""CreateWisdomSession (Amazon Q in Connect): the session is a side effect for agents; the
simulator goes on to NextAction."""

from __future__ import annotations

from typing import Any

from ivr.engine.blocks.base import Block, proceed_after


def _nothing(params: dict[str, Any], call: Any) -> None:
    return None


BLOCK = Block("CreateWisdomSession", proceed_after(_nothing))
