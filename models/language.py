"""The language a flow asks a function to answer in, read tolerantly.

Flows pass `ja`, `en`, or Connect's `$.LanguageCode` (`ja-JP`, `en-US`); anything else, a
typo included, falls back on Japanese rather than failing the call: the caller still hears
the answer, in the line's main language.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from models.customer import Language

DEFAULT_LANGUAGE = Language.JA


def language_of(value: Any) -> Language:
    """`ja`/`en` from a language tag ("en-US" -> en); the default for anything else."""
    if not isinstance(value, str):
        return DEFAULT_LANGUAGE
    primary = value.strip().replace("_", "-").split("-", 1)[0].casefold()
    try:
        return Language(primary)
    except ValueError:
        return DEFAULT_LANGUAGE


# A parameter field of this type never fails validation.
SpokenLanguage = Annotated[Language, BeforeValidator(language_of)]
