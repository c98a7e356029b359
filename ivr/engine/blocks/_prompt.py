"""Playing a prompt: shared by every block that speaks (Text, SSML or a prompt recording)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ivr.engine.events import PromptPlayed

if TYPE_CHECKING:
    from ivr.engine.run import Run


def play(identifier: str, params: dict[str, Any], run: Run) -> None:
    """Emit the prompt the parameters describe; nothing when they describe none."""
    for key, fmt in (("Text", "text"), ("SSML", "ssml"), ("PromptId", "prompt")):
        value = params.get(key)
        if value is not None:
            run.emit(PromptPlayed(identifier, value.text_in(run.contact), fmt))
            return
    media = params.get("Media")
    if isinstance(media, dict) and media.get("Uri") is not None:
        run.emit(PromptPlayed(identifier, media["Uri"].text_in(run.contact), "prompt"))
