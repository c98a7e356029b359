"""identify_number: national, international, full-width, URI, withheld and invalid forms."""
# ruff: noqa: RUF001  (full-width characters are the point of these cases)

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from functions.caller_id import CallerId, CallerIdStatus, identify_number, parse_number

VALID = CallerIdStatus.VALID


@pytest.mark.parametrize(
    ("address", "region", "e164", "country", "line_type"),
    [
        ("+81312345678", "JP", "+81312345678", "JP", "fixed_line"),
        ("0312345678", "JP", "+81312345678", "JP", "fixed_line"),
        ("03-1234-5678", "JP", "+81312345678", "JP", "fixed_line"),
        ("090-1234-5678", "JP", "+819012345678", "JP", "mobile"),
        ("09012345678", "JP", "+819012345678", "JP", "mobile"),
        ("0120-123-456", "JP", "+81120123456", "JP", "toll_free"),
        ("050-1234-5678", "JP", "+815012345678", "JP", "voip"),
        ("0570-123-456", "JP", "+81570123456", "JP", "uan"),
        ("+81 3-1234-5678", "JP", "+81312345678", "JP", "fixed_line"),
        ("(03) 1234 5678", "JP", "+81312345678", "JP", "fixed_line"),
        # full-width digits, plus and hyphens (NFKC) and the katakana long-vowel mark
        ("０３１２３４５６７８", "JP", "+81312345678", "JP", "fixed_line"),
        ("＋８１　３－１２３４－５６７８", "JP", "+81312345678", "JP", "fixed_line"),
        ("090ー1234ー5678", "JP", "+819012345678", "JP", "mobile"),
        ("  +81312345678 \n", "JP", "+81312345678", "JP", "fixed_line"),
        # international numbers keep their own country whatever the default region
        ("+14155550123", "JP", "+14155550123", "US", "fixed_line_or_mobile"),
        ("+442079460958", "JP", "+442079460958", "GB", "fixed_line"),
        # Japan's international prefix 010 dialled from a JP line
        ("010 1 415 555 0123", "JP", "+14155550123", "US", "fixed_line_or_mobile"),
        # the default region decides how a national form is read
        ("(415) 555-0123", "US", "+14155550123", "US", "fixed_line_or_mobile"),
        ("020 7946 0958", "GB", "+442079460958", "GB", "fixed_line"),
        ("0312345678", "jp", "+81312345678", "JP", "fixed_line"),
        # SIP and tel URIs, as a SIP trunk may pass them
        ("tel:+81312345678", "JP", "+81312345678", "JP", "fixed_line"),
        ("TEL:+81-3-1234-5678;phone-context=example.com", "JP", "+81312345678", "JP", "fixed_line"),
        ("sip:+81312345678@sbc.example.com", "JP", "+81312345678", "JP", "fixed_line"),
        ("sip:+819012345678@10.0.0.1;user=phone", "JP", "+819012345678", "JP", "mobile"),
        ("sips:0312345678@host", "JP", "+81312345678", "JP", "fixed_line"),
    ],
)
def test_valid_numbers_normalize(
    address: str, region: str, e164: str, country: str, line_type: str
) -> None:
    assert identify_number(address, region) == CallerId(VALID, e164, country, line_type)


def test_default_region_is_japan() -> None:
    assert identify_number("0312345678").e164 == "+81312345678"


@pytest.mark.parametrize(
    "address",
    [
        None,
        "",
        "   ",
        "\t\n",
        "anonymous",
        "Anonymous",
        "ANONYMOUS",
        "Restricted",
        "private",
        "Private",
        "unavailable",
        "Unavailable",
        "unknown",
        "UNKNOWN",
        "withheld",
        " anonymous ",
        "ａｎｏｎｙｍｏｕｓ",  # full-width letters fold to ASCII
        "sip:anonymous@anonymous.invalid",  # RFC 3323's anonymous SIP URI
        "tel:",
    ],
)
def test_withheld_variants(address: str | None) -> None:
    assert identify_number(address) == CallerId(CallerIdStatus.WITHHELD)


@pytest.mark.parametrize(
    "address",
    [
        "12345",  # too short
        "0",
        "+",
        "+81",
        "03-1234-567",  # one digit short
        "0312345678901234567890",  # far too long
        "1-800-FLOWERS",  # letters (phonenumbers would take it as a vanity number)
        "abc",
        "03-1234-567８a",
        "+999123456789",  # no such country code
        "1' OR '1'='1",
        "<speak>0312345678</speak>",
        "sip:alice@example.com",
        "0312345678; DROP TABLE callers",
        "٠٣١٢٣٤٥٦٧٨",  # Arabic-Indic digits are not keyed by any Connect caller
        "0312345678" * 50,
    ],
)
def test_invalid_numbers(address: str) -> None:
    assert identify_number(address) == CallerId(CallerIdStatus.INVALID)


def test_unknown_default_region_makes_national_forms_invalid() -> None:
    assert identify_number("0312345678", "XX").status is CallerIdStatus.INVALID
    # an international number does not need the region
    assert identify_number("+81312345678", "XX").e164 == "+81312345678"


def test_every_line_type_name_is_a_phonenumbers_type() -> None:
    names = {n.lower() for n in vars(phonenumbers.PhoneNumberType) if n.isupper()}
    result = identify_number("+81312345678")
    assert result.line_type in names
    assert {"mobile", "fixed_line", "toll_free", "voip", "uan", "unknown"} <= names


def test_parse_number_returns_the_number_or_none() -> None:
    number = parse_number("03-1234-5678", "JP")
    assert number is not None
    assert number.country_code == 81
    assert parse_number("0312", "JP") is None


@given(st.one_of(st.none(), st.text()), st.sampled_from(["JP", "US", "GB", "XX", ""]))
def test_never_raises_and_is_consistent(address: str | None, region: str) -> None:
    result = identify_number(address, region)
    assert isinstance(result.status, CallerIdStatus)
    if result.status is VALID:
        assert result.e164.startswith("+")
        assert result.e164[1:].isdigit()
        # E.164 is a fixed point: normalizing it again changes nothing
        assert identify_number(result.e164, region) == result
    else:
        assert (result.e164, result.country, result.line_type) == ("", "", "")


@given(st.from_regex(r"0[1-9][0-9]{8,9}", fullmatch=True))
def test_national_jp_and_e164_forms_agree(national: str) -> None:
    result = identify_number(national, "JP")
    if result.status is VALID:
        assert result.e164 == "+81" + national[1:]
        assert identify_number(result.e164, "US") == result
