"""SSML helpers: well-formed fragments, escaped text, phone numbers read in groups."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from functions import ssml


def parse(fragment: str) -> ET.Element:
    """The fragment as XML: fails the test if it is not well-formed."""
    return ET.fromstring(ssml.speak(fragment))


def say_as_texts(fragment: str) -> list[tuple[str, str]]:
    return [(e.get("interpret-as", ""), e.text or "") for e in parse(fragment).iter("say-as")]


# XML 1.0 forbids most control characters whatever the escaping; prompts never hold them.
xml_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
)


def test_say_digits() -> None:
    assert ssml.say_digits("1234") == '<say-as interpret-as="digits">1234</say-as>'


@given(xml_text)
def test_say_digits_escapes_anything(value: str) -> None:
    assert say_as_texts(ssml.say_digits(value)) == [("digits", value)]


@pytest.mark.parametrize("hostile", ["</say-as><speak>", "1' OR '1'='1", "a & b", '"><x/>'])
def test_text_and_digits_cannot_inject_markup(hostile: str) -> None:
    root = parse(ssml.text(hostile) + ssml.say_digits(hostile))
    assert [child.tag for child in root] == ["say-as"]
    assert root.text == hostile
    assert root[0].text == hostile


@pytest.mark.parametrize(
    ("number", "region", "groups"),
    [
        ("+81312345678", "JP", ["03", "1234", "5678"]),
        ("+819012345678", "JP", ["090", "1234", "5678"]),
        ("+81120123456", "JP", ["0120", "123", "456"]),
        ("0312345678", "JP", ["03", "1234", "5678"]),  # national input is accepted too
        ("+14155550123", "US", ["415", "555", "0123"]),
        # a number of another country: international grouping, country code first
        ("+14155550123", "JP", ["1", "415", "555", "0123"]),
        ("+81312345678", "US", ["81", "3", "1234", "5678"]),
        ("+81312345678", "jp", ["03", "1234", "5678"]),
    ],
)
def test_say_telephone_reads_digit_groups_with_pauses(
    number: str, region: str, groups: list[str]
) -> None:
    fragment = ssml.say_telephone(number, region)
    assert say_as_texts(fragment) == [("digits", g) for g in groups]
    root = parse(fragment)
    breaks = [e for e in root if e.tag == "break"]
    assert len(breaks) == len(groups) - 1
    assert {b.get("time") for b in breaks} == {f"{ssml.GROUP_PAUSE_MS}ms"}
    # groups and pauses alternate, starting and ending with a group
    assert [e.tag for e in root] == ["say-as", "break"] * (len(groups) - 1) + ["say-as"]


def test_say_telephone_default_region_is_japan() -> None:
    assert ssml.say_telephone("+81312345678") == ssml.say_telephone("+81312345678", "JP")


@pytest.mark.parametrize("bad", ["", "12345", "anonymous", "<speak>", "+999123456789"])
def test_say_telephone_refuses_what_is_not_a_number(bad: str) -> None:
    with pytest.raises(ValueError, match=r"E\.164"):
        ssml.say_telephone(bad)


def test_say_telephone_error_does_not_repeat_the_value() -> None:
    # the value may be a caller's number, and error messages end up in logs
    with pytest.raises(ValueError) as caught:
        ssml.say_telephone("+999123456789")
    assert "999123456789" not in str(caught.value)


@given(st.from_regex(r"0[1-9][0-9]{8,9}", fullmatch=True))
def test_say_telephone_national_groups_spell_the_national_number(national: str) -> None:
    try:
        fragment = ssml.say_telephone("+81" + national[1:], "JP")
    except ValueError:
        return  # not a valid JP number: nothing to read
    assert "".join(text for _, text in say_as_texts(fragment)) == national


@pytest.mark.parametrize(
    ("day", "language", "expected"),
    [
        (
            datetime.date(2026, 12, 3),
            "ja",
            '<say-as interpret-as="date" format="ymd">2026-12-03</say-as>',
        ),
        (
            datetime.date(2026, 12, 3),
            "en",
            '<say-as interpret-as="date" format="mdy">12-03-2026</say-as>',
        ),
        (
            datetime.date(5, 1, 2),
            "ja",
            '<say-as interpret-as="date" format="ymd">0005-01-02</say-as>',
        ),
    ],
)
def test_say_date(day: datetime.date, language: ssml.Language, expected: str) -> None:
    assert ssml.say_date(day, language) == expected


@given(st.dates(), st.sampled_from(["ja", "en"]))
def test_say_date_round_trips(day: datetime.date, language: ssml.Language) -> None:
    ((kind, written),) = say_as_texts(ssml.say_date(day, language))
    assert kind == "date"
    pattern = {"ja": "%Y-%m-%d", "en": "%m-%d-%Y"}[language]
    # strptime pads nothing on input, so it reads back what str.format zero-padded
    assert datetime.datetime.strptime(written, pattern).date() == day


def test_say_date_refuses_other_languages() -> None:
    with pytest.raises(ValueError, match="language='fr'"):
        ssml.say_date(datetime.date(2026, 1, 1), "fr")  # type: ignore[arg-type]


def test_speak_wraps_and_joins_in_order() -> None:
    document = ssml.speak(ssml.text("番号は"), ssml.say_digits("12"), ssml.pause(500))
    assert document.startswith("<speak>")
    assert document.endswith("</speak>")
    root = ET.fromstring(document)
    assert root.tag == "speak"
    assert root.text == "番号は"
    assert [e.tag for e in root] == ["say-as", "break"]
    assert root[1].get("time") == "500ms"


def test_speak_of_nothing_is_an_empty_document() -> None:
    assert ET.fromstring(ssml.speak()).tag == "speak"


@pytest.mark.parametrize("milliseconds", [-1, 10_001])
def test_pause_refuses_what_polly_refuses(milliseconds: int) -> None:
    with pytest.raises(ValueError, match="0-10000"):
        ssml.pause(milliseconds)
