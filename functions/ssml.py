"""SSML fragments for Amazon Polly prompts: digits, phone numbers and dates read back.

Functions answer strings a flow plays with a Play prompt block set to SSML. Each helper
returns a fragment; `speak` wraps fragments into the document Polly takes. Plain text goes
through `text` (XML-escaped), so caller data can never close a tag or open a new one.

The say-as values used here (`digits`, `date` with a `format`) are the ones Amazon Polly
documents in "Controlling how special types of words are spoken":
https://docs.aws.amazon.com/polly/latest/dg/say-as-tag.html
"""

from __future__ import annotations

import datetime
from typing import Literal

# saxutils imports urllib.request (~40 ms alone); botocore has loaded it already in every
# deployed function, so here it costs about 1 ms.
from xml.sax.saxutils import escape

import phonenumbers

from functions.caller_id import parse_number

__all__ = ["pause", "say_date", "say_digits", "say_telephone", "speak", "text"]

Language = Literal["ja", "en"]

# The pause between digit groups of a phone number: long enough to hear the grouping,
# short enough not to sound like the end of the number.
GROUP_PAUSE_MS = 300

# Written order of a date in each language. The format attribute tells Polly how to read
# the fields; giving each language its own conventional order keeps the SSML readable to
# whoever reviews that language's prompts.
# (str.format, not strftime: glibc's %Y does not pad years below 1000.)
_DATE_FORMATS: dict[str, tuple[str, str]] = {
    "ja": ("ymd", "{0.year:04d}-{0.month:02d}-{0.day:02d}"),
    "en": ("mdy", "{0.month:02d}-{0.day:02d}-{0.year:04d}"),
}


def text(plain: str) -> str:
    """Plain text, escaped for SSML."""
    return escape(plain)


def pause(milliseconds: int = GROUP_PAUSE_MS) -> str:
    """A silence of the given length (Polly's <break time>)."""
    if not 0 <= milliseconds <= 10_000:
        # Polly refuses breaks longer than 10 s.
        raise ValueError(f"a pause is 0-10000 ms, got {milliseconds}")
    return f'<break time="{milliseconds}ms"/>'


def say_digits(digits: str) -> str:
    """Read each character on its own: "1234" as one-two-three-four, not a number."""
    return f'<say-as interpret-as="digits">{escape(digits)}</say-as>'


def say_telephone(e164: str, region: str = "JP") -> str:
    """Read a phone number back digit by digit, in the groups it is written in.

    A number of `region` is read in its national form (+81312345678 -> 03 / 1234 / 5678),
    any other in its international form without the plus (+14155550123 -> 1 / 415 / 555 /
    0123), with a short pause between groups.

    Why not say-as "telephone": Polly documents it for 7- and 10-digit numbers, the North
    American plan; a Japanese mobile number has 11 digits. And a plain digits run of 11
    digits is hard to follow and write down; the pauses give the caller the grouping they
    see on paper, and read the same in every voice.
    """
    number = parse_number(e164, region)
    if number is None:
        raise ValueError(
            f"say_telephone needs a valid phone number (E.164 such as +81312345678), "
            f"got {len(e164)} characters that are not one"
        )
    own_country = phonenumbers.region_code_for_number(number) == region.upper()
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if own_country
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    written = phonenumbers.format_number(number, style)
    groups = "".join(c if c.isdigit() else " " for c in written).split()
    return pause().join(say_digits(group) for group in groups)


def say_date(d: datetime.date, language: Language) -> str:
    """A calendar date, read as a date in the voice's language ("3 December 2026")."""
    try:
        date_format, pattern = _DATE_FORMATS[language]
    except KeyError:
        raise ValueError(
            f"say_date speaks {sorted(_DATE_FORMATS)}, got language={language!r}"
        ) from None
    return f'<say-as interpret-as="date" format="{date_format}">{pattern.format(d)}</say-as>'


def speak(*parts: str) -> str:
    """The SSML document Polly takes: fragments joined inside <speak>.

    Parts are SSML already (from the helpers here); wrap plain text with `text` first.
    """
    return f"<speak>{''.join(parts)}</speak>"
