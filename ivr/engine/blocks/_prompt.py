"""Playing a prompt: shared by every block that speaks (Text, SSML or a prompt recording)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ivr.engine.events import PromptFormat, PromptPlayed
from ivr.engine.paths import Static, Value

if TYPE_CHECKING:
    from ivr.engine.run import Run


@dataclass(frozen=True, slots=True)
class Prompt:
    """The prompt one action speaks, chosen when the flow is compiled. A prompt without a
    JSONPath in it is the same event on every call, so it is built once."""

    identifier: str
    value: Value
    format: PromptFormat
    fixed: PromptPlayed | None

    def play(self, run: Run) -> None:
        if self.fixed is not None:
            run.emit(self.fixed)
        else:
            run.emit(PromptPlayed(self.identifier, self.value.text_in(run.contact), self.format))


def prompt_in(identifier: str, params: dict[str, Any]) -> Prompt | None:
    """The prompt compiled parameters describe (Text, else SSML, else PromptId, else a Media
    Uri); None when they describe none."""
    media = params.get("Media")
    candidates: tuple[tuple[Value | None, PromptFormat], ...] = (
        (params.get("Text"), "text"),
        (params.get("SSML"), "ssml"),
        (params.get("PromptId"), "prompt"),
        (media.get("Uri") if isinstance(media, dict) else None, "prompt"),
    )
    for value, fmt in candidates:
        if value is not None:
            fixed = PromptPlayed(identifier, value.text, fmt) if type(value) is Static else None
            return Prompt(identifier, value, fmt, fixed)
    return None


def play(identifier: str, params: dict[str, Any], run: Run) -> None:
    """Emit the prompt the parameters describe; nothing when they describe none."""
    prompt = prompt_in(identifier, params)
    if prompt is not None:
        prompt.play(run)
