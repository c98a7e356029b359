"""A contact's timestamps read at once (timestamps_ms, what the summary calls) give exactly what
timestamp_ms gives for each, whatever the text, cached minutes or not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ivr.flowlogs.records import timestamp_ms, timestamps_ms

USUAL = "2021-04-13T00:14:31.581Z"
ODD = [
    "",
    "garbage",
    "2021-04-13T00:14:31.5x1Z",
    "2021-04-13T99:14:31.581Z",  # an hour that is not one: the minute is never cached
    "2021-04-13T00:14X31.581Z",  # a cached minute, then not ":"
    "2021-04-13T00:14:31,581Z",
    "2021-04-13T00:14:31.581Zextra",
    "2021-04-13T00:14:31.581",
    "2021-04-13 00:14:31.581",  # Logs Insights' @timestamp
    "2021-04-13T00:14:31.581+00:00",
    "2021-04-13T00:14:3\u00b2.581Z",  # a superscript two: a digit int() refuses
    "2021-04-13T00:14:\uff13\uff11.581Z",  # full-width digits, which int() reads
    "2021-04-13T00:14:31.58",
    "2021-04-13T00:14:99.999Z",
]


def test_the_usual_form_and_odd_ones_as_timestamp_ms_reads_each():
    assert timestamp_ms(USUAL) == 1618272871581
    for texts in ([USUAL] * 3, ODD, [USUAL, *ODD, USUAL], list(reversed(ODD))):
        assert timestamps_ms(texts) == [timestamp_ms(text) for text in texts]
    assert timestamps_ms([]) == []


def test_a_digit_int_cannot_read_is_an_unknown_time_not_a_crash():
    assert timestamp_ms("2021-04-13T00:14:3\u00b2.581Z") is None
    assert timestamps_ms([USUAL, "2021-04-13T00:14:3\u00b2.581Z"]) == [1618272871581, None]


_characters = st.sampled_from("0123456789:.-TZ +\u00b2\uff11x")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(_characters, max_size=30),
            st.builds(
                lambda prefix, tail: prefix + tail,
                st.sampled_from(["2021-04-13T00:14", "2021-12-31T23:59", "2024-02-29T12:00"]),
                st.text(_characters, max_size=10),
            ),
        ),
        max_size=12,
    )
)
def test_any_texts_read_as_timestamp_ms_reads_each(texts):
    assert timestamps_ms(texts) == [timestamp_ms(text) for text in texts]
