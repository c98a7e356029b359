"""UpdateContactTextToSpeechVoice (Set voice): sets `$.TextToSpeechVoiceId` and, when the block
gives one (or the voice has a single language), `$.LanguageCode`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block, text
from ivr.engine.steps import PROCEED, Step

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run

# Polly voices with one language, the ones IVRs here use most.
VOICE_LANGUAGES = {
    "Joanna": "en-US", "Matthew": "en-US", "Salli": "en-US", "Kendra": "en-US",
    "Amy": "en-GB", "Brian": "en-GB", "Emma": "en-GB", "Olivia": "en-AU",
    "Mizuki": "ja-JP", "Takumi": "ja-JP", "Kazuha": "ja-JP", "Tomoko": "ja-JP",
    "Lea": "fr-FR", "Vicki": "de-DE", "Lucia": "es-ES", "Lupe": "es-US",
}  # fmt: skip


def run(action: CompiledAction, call: Run) -> Step:
    contact = call.contact
    voice = text(action.params, "TextToSpeechVoice", call)
    if voice:
        contact.voice = voice
    contact.voice_engine = text(action.params, "TextToSpeechEngine", call) or contact.voice_engine
    language = text(action.params, "LanguageCode", call) or VOICE_LANGUAGES.get(voice, "")
    if language:
        contact.language_code = language
    return PROCEED


BLOCK = Block("UpdateContactTextToSpeechVoice", run)
