"""The callback number policy over phonenumbers' real metadata: the numbers issue 9 booked
callbacks to, and the home country's ordinary numbers it must keep accepting."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from functions.callback_policy import NEVER_ALLOWED, CallbackPolicy, NumberType
from functions.keypad import Accepted, keyed_phone

DEFAULT = CallbackPolicy.parse("", "", "JP")


def e164(text: str, region: str = "JP") -> str:
    number = phonenumbers.parse(text, region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@pytest.mark.parametrize(
    ("number", "country", "number_type"),
    [
        ("+19005550123", "US", NumberType.PREMIUM_RATE),  # keyed as 01019005550123
        (e164("01019005550123"), "US", NumberType.PREMIUM_RATE),
        (e164("0990123456"), "JP", NumberType.PREMIUM_RATE),  # Dial Q2
        ("+442079460000", "GB", NumberType.FIXED_LINE),  # international
        ("+12684601234", "AG", NumberType.FIXED_LINE),  # Antigua behind +1
        (e164("0120123456"), "JP", NumberType.TOLL_FREE),
        (e164("05012345678"), "JP", NumberType.VOIP),
        (e164("0570012345"), "JP", NumberType.UAN),  # Navi Dial: shared cost in all but name
        (e164("02012345678"), "JP", NumberType.PAGER),
        ("+881612345678", "", NumberType.MOBILE),  # satellite: no country ("001")
    ],
)
def test_the_default_refuses(number: str, country: str, number_type: NumberType) -> None:
    verdict = DEFAULT.verdict(number)
    assert not verdict.allowed
    assert verdict.number_type is number_type
    assert verdict.country in (country, "001")


@pytest.mark.parametrize(
    ("number", "number_type"),
    [
        (e164("09012345678"), NumberType.MOBILE),
        (e164("08012345678"), NumberType.MOBILE),
        (e164("0312345678"), NumberType.FIXED_LINE),
        (e164("0612345678"), NumberType.FIXED_LINE),
    ],
)
def test_the_default_allows_home_landlines_and_mobiles(
    number: str, number_type: NumberType
) -> None:
    verdict = DEFAULT.verdict(number)
    assert (verdict.allowed, verdict.country, verdict.number_type) == (True, "JP", number_type)


def test_the_default_country_is_the_home_region() -> None:
    us = CallbackPolicy.parse("", "", "us")
    assert us.countries == {"US"}
    # US numbers are fixed_line_or_mobile: allowed because both halves are.
    assert us.verdict("+12025550123").allowed
    assert not us.verdict("+19005550123").allowed
    assert not us.verdict(e164("0312345678")).allowed


def test_a_configured_country_is_judged_by_region_not_calling_code() -> None:
    policy = CallbackPolicy.parse("JP, us", "fixed_line,mobile", "JP")
    assert policy.verdict("+12025550123").allowed
    assert policy.verdict(e164("09012345678")).allowed
    for number in ("+12684601234", "+18765550123", "+19005550123", "+442079460000"):
        assert not policy.verdict(number).allowed, number


def test_fixed_line_or_mobile_needs_both_halves_or_its_own_name() -> None:
    fixed_only = CallbackPolicy.parse("US", "fixed_line", "JP")
    assert not fixed_only.verdict("+12025550123").allowed
    named = CallbackPolicy.parse("US", "fixed_line_or_mobile", "JP")
    assert named.verdict("+12025550123").allowed


def test_configured_types_widen_and_narrow_the_default() -> None:
    policy = CallbackPolicy.parse("", "mobile,toll_free,voip", "JP")
    assert policy.verdict(e164("09012345678")).allowed
    assert policy.verdict(e164("0120123456")).allowed
    assert policy.verdict(e164("05012345678")).allowed
    assert not policy.verdict(e164("0312345678")).allowed  # fixed_line no longer listed
    assert not policy.verdict(e164("0990123456")).allowed


@pytest.mark.parametrize("forbidden", sorted(NEVER_ALLOWED))
def test_revenue_share_types_can_never_be_configured(forbidden: NumberType) -> None:
    with pytest.raises(ValueError, match="can never be allowed"):
        CallbackPolicy.parse("JP", f"mobile,{forbidden}", "JP")
    with pytest.raises(ValueError, match="can never be allowed"):
        CallbackPolicy(countries=frozenset({"JP"}), number_types=frozenset({forbidden}))


@pytest.mark.parametrize(
    ("countries", "number_types", "message"),
    [
        ("JP,XX", "", "not ISO 3166"),
        ("JPN", "", "not ISO 3166"),
        ("001", "", "not ISO 3166"),  # international networks are not a country
        ("", "mobile,landline", "unknown callback number types"),
    ],
)
def test_a_wrong_setting_is_refused_by_name(countries: str, number_types: str, message: str):
    with pytest.raises(ValueError, match=message):
        CallbackPolicy.parse(countries, number_types, "JP")


@pytest.mark.parametrize("text", ["", "+", "not a number", "+8112", "+999123456789"])
def test_an_unparsable_or_invalid_number_is_refused(text: str) -> None:
    verdict = DEFAULT.verdict(text)
    assert (verdict.allowed, verdict.number_type) == (False, NumberType.UNKNOWN)


def test_every_phonenumbers_type_has_a_name() -> None:
    codes = {v for k, v in vars(phonenumbers.PhoneNumberType).items() if k.isupper()}
    assert {NumberType.of(code) for code in codes} == set(NumberType)


POLICIES = [
    DEFAULT,
    CallbackPolicy.parse("JP,US", "fixed_line,mobile", "JP"),
    CallbackPolicy.parse("JP", "mobile,toll_free,voip,uan", "JP"),
]


@given(
    keyed=st.one_of(
        st.text(alphabet="0123456789", min_size=1, max_size=20),
        # International (010 + country code) and Japan's special prefixes, where the issue
        # found premium-rate and foreign numbers.
        st.tuples(
            st.sampled_from(["010", "0990", "0120", "0570", "050", "020", "0", "00"]),
            st.text(alphabet="0123456789", min_size=4, max_size=14),
        ).map("".join),
    ),
    policy=st.sampled_from(POLICIES),
)
def test_any_keyed_digits_are_refused_or_in_the_allow_list(
    keyed: str, policy: CallbackPolicy
) -> None:
    parsed = keyed_phone(keyed, "JP")
    if not isinstance(parsed, Accepted):
        return  # invalid_input with the keypad's reason
    verdict = policy.verdict(parsed.value)
    number = phonenumbers.parse(parsed.value, None)
    if verdict.allowed:
        assert phonenumbers.region_code_for_number(number) in policy.countries
        kind = NumberType.of(phonenumbers.number_type(number))
        assert kind not in NEVER_ALLOWED
        assert kind in policy.number_types or (
            kind is NumberType.FIXED_LINE_OR_MOBILE
            and {NumberType.FIXED_LINE, NumberType.MOBILE} <= policy.number_types
        )
