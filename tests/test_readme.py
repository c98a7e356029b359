"""README.md stays true: its diagram of main_inbound is what `ivr render` draws today."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ivr import cli
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


# The showcase of a generated day (README "A day of calls through main_inbound"): its summary
# block and the committed traffic pictures are what the seeded commands give today.
DAY_CALLS, DAY_SEED = 1000, 0
TRAFFIC_PICTURES = {
    "svg": "docs/main_inbound_traffic.svg",
    "html": "docs/main_inbound_traffic.html",
}


@pytest.fixture(scope="module")
def generated_day(tmp_path_factory) -> Path:
    from ivr.flowlogs.generate import a_day_of_calls
    from ivr.flowlogs.writer import records_for, write_records

    day = tmp_path_factory.mktemp("readme") / "day.jsonl"
    flow = ROOT / "contact_flows" / "main_inbound.json"
    with day.open("w", encoding="utf-8") as out:
        for call in a_day_of_calls(flow, DAY_CALLS, seed=DAY_SEED):
            write_records(records_for(call.result, call.contact_id, start=call.start), out)
    return day


def test_readme_summary_block_is_what_the_generated_day_gives(generated_day, capsys) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```text\n(Contacts: .*?)```", readme, re.S)
    assert blocks, "README.md lost the summary of a generated day"
    assert f"--calls {DAY_CALLS} --seed {DAY_SEED}" in readme
    flow = ROOT / "contact_flows" / "main_inbound.json"
    assert cli.main(["logs", "summary", str(generated_day), "--flow", str(flow)]) == 0
    output = iter(capsys.readouterr().out.splitlines())
    # The block is the output trimmed: its lines, in order, "…" where some were left out.
    for line in blocks[0].splitlines():
        if line != "…":
            assert line in output, (
                f"README's summary line {line!r} is not (or not in this order) in today's "
                "`ivr logs summary` of the generated day: paste it again (README shows how)"
            )


@pytest.mark.parametrize("fmt", sorted(TRAFFIC_PICTURES))
def test_committed_traffic_picture_is_reproducible(generated_day, tmp_path, fmt) -> None:
    drawn = tmp_path / f"picture.{fmt}"
    flow = ROOT / "contact_flows" / "main_inbound.json"
    argv = ["render", str(flow), "--traffic", str(generated_day), "--format", fmt, "-o", str(drawn)]
    assert cli.main(argv) == 0
    committed = ROOT / TRAFFIC_PICTURES[fmt]
    assert drawn.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
        f"{committed.relative_to(ROOT)} is stale: regenerate it with the commands in README.md "
        "(A day of calls through main_inbound)"
    )
    assert TRAFFIC_PICTURES[fmt] in (ROOT / "README.md").read_text(encoding="utf-8")
