"""Which numbers a callback may be booked to: an allow-list of countries and number types.

Callbacks are dialled automatically after the call, so a number the caller keys (or calls
from) is a number the contact center will pay to call. Premium-rate, shared-cost and
personal numbers, and many international ranges, pay part of that charge to whoever holds
the number: booking callbacks to them is international revenue share fraud (issue 9, item
2). The policy answers from phonenumbers' metadata only, never from the number's text:

    country   `region_code_for_number`, not the country calling code: +1 is shared by the
              US, Canada and 23 Caribbean countries (+1 268 is Antigua), and numbers of
              international networks (+881 satellite, +882/+883) have no country ("001")
    type      `number_type`

Default: the home country (IVR_DEFAULT_REGION) and its fixed-line and mobile numbers. Off
unless configured, with why:

    toll_free   not a person's line (another company's IVR), often unreachable from an
                outbound trunk, and in some countries charged to the dialler after all
    voip        debatable: real people use JP 050 numbers, but they are the cheapest to rent
                in bulk and their termination rates vary; an operator may add it
    uan, pager, voicemail
                not a person who asked to be called back
Never, whatever is configured (a ValueError names them):

    premium_rate, shared_cost, personal_number
                the called party is paid from the call: the fraud this module exists for
    unknown     a valid number phonenumbers can't classify can't be shown to be safe

`fixed_line_or_mobile` is what phonenumbers answers where the two can't be told apart (all
of the US and Canada): allowed when both fixed_line and mobile are, or when listed itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

__all__ = ["CallbackPolicy", "NumberType", "Verdict"]


class NumberType(StrEnum):
    """phonenumbers' number types, by the lower-case names the configuration uses."""

    FIXED_LINE = "fixed_line"
    MOBILE = "mobile"
    FIXED_LINE_OR_MOBILE = "fixed_line_or_mobile"
    TOLL_FREE = "toll_free"
    PREMIUM_RATE = "premium_rate"
    SHARED_COST = "shared_cost"
    VOIP = "voip"
    PERSONAL_NUMBER = "personal_number"
    PAGER = "pager"
    UAN = "uan"
    VOICEMAIL = "voicemail"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, code: int) -> NumberType:
        """The type of phonenumbers' `number_type` result (a plain int constant)."""
        return _BY_CODE.get(code, cls.UNKNOWN)


# PhoneNumberType's attributes are the same names in upper case.
_BY_CODE = {getattr(PhoneNumberType, t.name): t for t in NumberType}

NEVER_ALLOWED = frozenset(
    {
        NumberType.PREMIUM_RATE,
        NumberType.SHARED_COST,
        NumberType.PERSONAL_NUMBER,
        NumberType.UNKNOWN,
    }
)
DEFAULT_TYPES = frozenset({NumberType.FIXED_LINE, NumberType.MOBILE})


@dataclass(frozen=True)
class Verdict:
    """What the policy found for one number; `country` and `number_type` carry no personal
    data, so they may be logged."""

    allowed: bool
    country: str
    number_type: NumberType


@dataclass(frozen=True)
class CallbackPolicy:
    """Countries (ISO 3166 alpha-2, upper case) and number types a callback may go to."""

    countries: frozenset[str]
    number_types: frozenset[NumberType] = DEFAULT_TYPES

    def __post_init__(self) -> None:
        # Checked here, not only when parsing text, so that no way of building a policy can
        # let a revenue-share type through.
        forbidden = self.number_types & NEVER_ALLOWED
        if forbidden:
            raise ValueError(
                f"callback number types {sorted(forbidden)} can never be allowed: the called "
                "party is paid from the call (or the type is unknown)"
            )
        unknown = sorted(c for c in self.countries if c not in phonenumbers.SUPPORTED_REGIONS)
        if unknown:
            raise ValueError(
                f"callback countries {unknown} are not ISO 3166 alpha-2 codes phonenumbers "
                "knows (e.g. JP, US)"
            )
        if not self.countries or not self.number_types:
            raise ValueError("a callback policy needs at least one country and one type")

    @classmethod
    def parse(cls, countries: str, number_types: str, home_region: str) -> CallbackPolicy:
        """A policy from comma-separated settings; blank ones take the defaults (the home
        region; fixed_line and mobile). Raises ValueError naming what is wrong."""
        country_set = frozenset(_items(countries, upper=True)) or frozenset({home_region.upper()})
        names = _items(number_types, upper=False)
        known = {t.value for t in NumberType}
        wrong = sorted(set(names) - known)
        if wrong:
            raise ValueError(
                f"unknown callback number types {wrong}: use {sorted(known - NEVER_ALLOWED)}"
            )
        type_set = frozenset(NumberType(n) for n in names) or DEFAULT_TYPES
        return cls(countries=country_set, number_types=type_set)

    def allows_type(self, number_type: NumberType) -> bool:
        if number_type in self.number_types:
            return True
        # Either of the two, unknown which: safe when both are allowed.
        return (
            number_type is NumberType.FIXED_LINE_OR_MOBILE
            and {
                NumberType.FIXED_LINE,
                NumberType.MOBILE,
            }
            <= self.number_types
        )

    def verdict(self, e164: str) -> Verdict:
        """Whether a callback may go to `e164` (a number in E.164; anything unparsable or
        invalid is refused as unknown)."""
        try:
            number = phonenumbers.parse(e164, None)
        except NumberParseException:
            return Verdict(False, "", NumberType.UNKNOWN)
        if not phonenumbers.is_valid_number(number):
            return Verdict(False, "", NumberType.UNKNOWN)
        country = phonenumbers.region_code_for_number(number) or ""
        number_type = NumberType.of(phonenumbers.number_type(number))
        allowed = country in self.countries and self.allows_type(number_type)
        return Verdict(allowed, country, number_type)


def _items(text: str, *, upper: bool) -> list[str]:
    parts: Iterable[str] = (p.strip() for p in text.split(","))
    return [p.upper() if upper else p.lower() for p in parts if p]
