"""StartVoiceIdStream: Voice ID listens in the background; nothing to simulate but NextAction."""

from __future__ import annotations

from typing import Any

from ivr.engine.blocks.base import Block, proceed_after


def _nothing(params: dict[str, Any], call: Any) -> None:
    return None


BLOCK = Block("StartVoiceIdStream", proceed_after(_nothing))
