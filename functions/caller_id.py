"""Who is calling: Connect's `CustomerEndpoint.Address` normalized to E.164.

Connect hands the caller's number over as it came from the carrier: usually E.164, but a
SIP trunk may pass a national form, a `sip:`/`tel:` URI, full-width digits or a word such
as "anonymous" when the caller withheld the number. `identify_number` turns all of those
into one `CallerId` with a status the flow can branch on:

    valid     a number phonenumbers considers valid: `e164`, `country`, `line_type` set
    withheld  no number (None, blank, or a privacy word such as "anonymous")
    invalid   anything else: letters, too short, not a number of any plan

`parse_number` is the shared parser: keyed numbers (functions.keypad) go through it too.

Costs: phonenumbers loads a region's metadata on first use, not at import; nothing here is
built at import beyond two small constant tables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType

__all__ = ["CallerId", "CallerIdStatus", "identify_number", "parse_number"]


class CallerIdStatus(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    WITHHELD = "withheld"


@dataclass(frozen=True)
class CallerId:
    """The caller's number as the flow sees it; empty strings unless `status` is valid."""

    status: CallerIdStatus
    e164: str = ""
    country: str = ""
    line_type: str = ""


# Words carriers and SIP trunks put where a withheld number would be (RFC 3323 uses
# "anonymous"; "Restricted"/"Private"/"Unavailable" come from North American CNAM practice).
_WITHHELD_WORDS = frozenset(
    {"anonymous", "restricted", "private", "unavailable", "unknown", "withheld", "blocked"}
)
# What a written phone number may contain once NFKC has folded full-width forms: digits, a
# leading plus, and separators. Letters are refused on purpose: phonenumbers would read
# "1-800-FLOWERS" as a vanity number, but no carrier sends one as caller ID.
# The dashes include U+2010..U+2015, the minus sign and "ー" (the katakana long-vowel mark a
# Japanese IME often puts in a typed number).
_NUMBER_TEXT = re.compile(r"\+?[0-9 ()\-.\u2010-\u2015\u2212\u30fc]+")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc", "-"))
# The longest E.164 number has 15 digits; leave room for separators and an IDD prefix.
_MAX_NUMBER_TEXT = 40
_URI_SCHEMES = ("tel:", "sip:", "sips:")
# phonenumbers' PhoneNumberType holds plain int constants; map them back to their names.
_LINE_TYPES = {
    value: name.lower()
    for name, value in vars(PhoneNumberType).items()
    if name.isupper() and isinstance(value, int)
}


def identify_number(address: str | None, default_region: str = "JP") -> CallerId:
    """Normalize a caller address; national forms are read as numbers of `default_region`.

    `default_region` is an ISO 3166 alpha-2 code (pass `RuntimeSettings.default_region`).
    Never raises for any `address`.
    """
    text = _number_text(address)
    if not text or text.casefold() in _WITHHELD_WORDS:
        return CallerId(CallerIdStatus.WITHHELD)
    number = parse_number(text, default_region)
    if number is None:
        return CallerId(CallerIdStatus.INVALID)
    return CallerId(
        CallerIdStatus.VALID,
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        country=phonenumbers.region_code_for_number(number) or "",
        line_type=_LINE_TYPES.get(phonenumbers.number_type(number), "unknown"),
    )


def parse_number(text: str, region: str) -> PhoneNumber | None:
    """A valid number written in `text` (national forms of `region`), else None."""
    text = unicodedata.normalize("NFKC", text).strip()
    if len(text) > _MAX_NUMBER_TEXT or not _NUMBER_TEXT.fullmatch(text):
        return None
    try:
        number = phonenumbers.parse(text.translate(_DASHES), region.upper())
    except NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _number_text(address: str | None) -> str:
    """The part of an address that holds the number: NFKC-folded, URI scheme and host gone."""
    if address is None:
        return ""
    text = unicodedata.normalize("NFKC", address).strip()
    lowered = text.lower()
    for scheme in _URI_SCHEMES:
        if lowered.startswith(scheme):
            # sip:+81312345678@host;user=phone -> +81312345678; tel:+81...;ext=1 -> +81...
            text = text[len(scheme) :].split("@", 1)[0].split(";", 1)[0].strip()
            break
    return text
