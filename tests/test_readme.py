"""README.md stays true: its diagram of main_inbound is what `ivr render` draws today."""

from __future__ import annotations

import re
from pathlib import Path

from ivr.render import render
from models.flow import Flow

ROOT = Path(__file__).parents[1]


def test_readme_diagram_is_the_current_main_inbound() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```mermaid\n(.*?)\n```", readme, re.S)
    assert blocks, "README.md lost its main_inbound diagram"
    drawn = render(Flow.load(ROOT / "contact_flows" / "main_inbound.json"), "mermaid")
    assert blocks[0].strip() == drawn.strip(), (
        "README's diagram is stale: paste the output of "
        "`ivr render contact_flows/main_inbound.json --format mermaid`"
    )


def test_readme_shows_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "exec make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
