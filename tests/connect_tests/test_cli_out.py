"""`ivr connect-test export --out` onto a file: one line, exit 2, the file untouched."""

from __future__ import annotations

import json
from pathlib import Path

from ivr.cli import main


def test_out_onto_a_file_is_one_line(line_flow: Path, tmp_path: Path, capsys) -> None:
    scenarios = tmp_path / "scenarios.json"
    scenarios.write_text(
        json.dumps([{"name": "closed", "hours": "closed", "expect_prompts": ["We are closed"]}]),
        encoding="utf-8",
    )
    taken = tmp_path / "taken.txt"
    taken.write_text("mine", encoding="utf-8")

    argv = ["connect-test", "export", str(line_flow), "--scenarios", str(scenarios)]
    code = main([*argv, "--out", str(taken)])

    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err == f"ivr connect-test: --out {taken} is a file; give a folder (created if missing)"
    assert taken.read_text(encoding="utf-8") == "mine"
