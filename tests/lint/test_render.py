"""Diagrams: every action and every branch label appears, labels are escaped."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivr.lint import read_flow
from ivr.render import _mermaid_text, edges, render, short_identifier
from models.flow import Flow
from tests.lint.conftest import VALID_FLOW, action_in, public_flows

FLOWS = [VALID_FLOW, *public_flows()]


def mermaid_unescaped(text: str) -> str:
    return html.unescape(re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text))


def dot_unescaped(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\")


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.name)
def test_mermaid_has_every_action_and_edge_label(path):
    flow = read_flow(path)
    text = render(flow, "mermaid")
    assert text.startswith("flowchart TD\n")
    plain = mermaid_unescaped(text)
    for action in flow.actions:
        assert short_identifier(action.identifier) in plain
        assert action.type in plain
    arrows = [line for line in text.splitlines() if "-->|" in line]
    assert len(arrows) == len(list(edges(flow)))
    for edge in edges(flow):
        assert f'|"{edge.label}"|' in mermaid_unescaped("\n".join(arrows))


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.name)
def test_dot_has_every_action_and_edge_label(path):
    flow = read_flow(path)
    text = render(flow, "dot")
    assert text.startswith("digraph flow {") and text.rstrip().endswith("}")
    plain = dot_unescaped(text)
    for action in flow.actions:
        assert short_identifier(action.identifier) in plain
    labelled = [line for line in text.splitlines() if " -> n" in line and "label=" in line]
    assert len(labelled) == len(list(edges(flow)))
    for edge in edges(flow):
        assert f'label="{edge.label}"' in dot_unescaped("\n".join(labelled))


def test_branch_labels_read_as_the_designer_names_them():
    labels = {(e.source, e.label) for e in edges(read_flow(VALID_FLOW))}
    assert {("menu", "= 1"), ("menu", "next"), ("menu", "NoMatchingError")} <= labels
    assert ("hours", "= True") in labels


def test_uuid_identifiers_are_shortened():
    assert short_identifier("f975c9af-7dff-4e34-9eda-53ad09aecb2a") == "f975c9af"
    assert short_identifier("Set Agent Whisper") == "Set Agent Whisper"


def test_summary_shows_prompt_text_and_compared_value():
    text = render(read_flow(VALID_FLOW), "dot")
    assert "Welcome to the test line." in text
    assert "$.External.status" in text


def test_labels_with_quotes_and_markup_are_escaped(doc):
    action_in(doc, "welcome")["Parameters"]["Text"] = 'Say "hi" <b>|</b> [now]'
    flow = Flow.model_validate(doc)
    mermaid = render(flow, "mermaid")
    node = next(line for line in mermaid.splitlines() if line.strip().startswith("n0["))
    inner = node.split('["', 1)[1].rsplit('"]', 1)[0]
    lines = inner.split("<br/>")
    assert not set("".join(lines)) & set('"<>|[]')
    assert mermaid_unescaped(lines[-1]) == 'Say "hi" <b>|</b> [now]'
    dot = render(flow, "dot")
    assert 'Say \\"hi\\" <b>|</b> [now]' in dot


def test_branch_to_a_missing_action_still_renders(doc):
    action_in(doc, "welcome")["Transitions"]["NextAction"] = "nowhere"
    text = render(Flow.model_validate(doc), "mermaid")
    assert "nowhere<br/>missing" in text


def test_unknown_format():
    with pytest.raises(ValueError, match="mermaid"):
        render(read_flow(VALID_FLOW), "svg")  # type: ignore[arg-type]


@given(st.text())
def test_a_label_keeps_letters_digits_and_plain_punctuation_and_encodes_the_rest(text):
    # What every label goes through (ivr/render.py): a character kept is a letter or digit
    # of any script, "_", a space or harmless punctuation; any other is its entity code.
    escaped = _mermaid_text([text])
    expected = "".join(
        char if (char.isalnum() or char in " .,:;_-+*/=?!'@()") else f"#{ord(char)};"
        for char in " ".join(text.split())
    )
    assert escaped == expected
