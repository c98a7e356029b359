"""`ivr coverage --json PATH` where PATH can't be written: one line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from ivr.cli import main


def test_unwritable_report_path_is_one_line(menu_flow: Path, tmp_path: Path, capsys) -> None:
    scenarios = tmp_path / "scenarios.json"
    scenarios.write_text(json.dumps([{"name": "sales", "inputs": ["1"]}]), encoding="utf-8")
    report = tmp_path / "no-such-folder" / "coverage.json"

    code = main(["coverage", str(menu_flow), "--scenarios", str(scenarios), "--json", str(report)])

    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"ivr coverage: --json {report}: cannot write: No such file or directory"]
