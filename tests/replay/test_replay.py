"""`ivr replay`: recordings of identify_caller replayed on the real handler and store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivr.cli import main
from ivr.replay import Difference, compare, find_recordings, replay
from tests.replay.conftest import RECORDINGS

IDENTIFY_CALLER = RECORDINGS / "identify_caller"
CASES = ("known_caller", "unknown_caller", "withheld_caller", "national_format_caller",
         "task_no_endpoint")  # fmt: skip


def _recording(name: str) -> dict:
    return json.loads((IDENTIFY_CALLER / f"{name}.json").read_text(encoding="utf-8"))


def _write(folder: Path, name: str, document: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_recordings_cover_every_identify_caller_case():
    found = {p.stem for p in find_recordings([RECORDINGS])}
    assert set(CASES) <= found


@pytest.mark.usefixtures("seeded_store")
def test_every_recording_matches_in_process():
    results = replay(find_recordings([RECORDINGS]), jobs=1)
    assert [r.error for r in results] == [None] * len(results)
    assert all(r.matched for r in results), [r.differences for r in results]
    known = next(r for r in results if r.recording.endswith("known_caller.json"))
    assert known.response is not None and known.response["customerId"] == "cust-0001"


@pytest.mark.usefixtures("seeded_store")
@pytest.mark.slow  # starts worker processes: left out of make test-fast
def test_cli_replays_on_two_worker_processes_and_reports_json(capsys):
    code = main(["replay", str(RECORDINGS), "--jobs", "2", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["recordings"] == len(find_recordings([RECORDINGS]))
    assert report["differed"] == 0
    assert {Path(r["recording"]).stem for r in report["results"]} >= set(CASES)


@pytest.mark.usefixtures("seeded_store")
def test_a_differing_recording_is_reported_key_by_key(tmp_path, capsys):
    document = _recording("known_caller")
    document["response"]["tier"] = "platinum"  # changed
    document["response"]["legacyFlag"] = "1"  # only in the recording: removed
    del document["response"]["firstName"]  # only in the replay: added
    _write(tmp_path, "stale_known_caller", document)
    _write(tmp_path / "nested", "unknown_caller", _recording("unknown_caller"))

    code = main(["replay", str(tmp_path), "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 1
    assert "DIFF  " in out and "stale_known_caller.json" in out
    assert "changed tier: 'platinum' -> 'gold'" in out
    assert "removed legacyFlag: was '1'" in out
    assert "added   firstName: 'Taro'" in out
    assert "ok    " in out and "nested/unknown_caller.json" in out
    assert "2 recordings: 1 matched, 1 differed" in out


@pytest.mark.usefixtures("seeded_store")
@pytest.mark.slow  # starts worker processes: left out of make test-fast
def test_a_differing_recording_fails_on_worker_processes_too(tmp_path, capsys):
    document = _recording("withheld_caller")
    document["response"]["callerIdStatus"] = "valid"
    _write(tmp_path, "a", document)
    _write(tmp_path, "b", _recording("known_caller"))
    code = main(["replay", str(tmp_path), "--jobs", "2", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    (differing,) = [r for r in report["results"] if not r["matched"]]
    assert differing["differences"] == [
        {"key": "callerIdStatus", "kind": "changed", "recorded": "valid", "replayed": "withheld"}
    ]


def test_a_handler_that_raises_is_a_difference(tmp_path, capsys):
    document = _recording("known_caller")
    document["function"] = "tests.engine.handlers:raises"
    _write(tmp_path, "raises", document)
    assert main(["replay", str(tmp_path), "--jobs", "1"]) == 1
    assert "error: handler raised" in capsys.readouterr().out


def test_an_unknown_function_is_a_toolkit_error(tmp_path, capsys):
    document = _recording("known_caller")
    document["function"] = "NoSuchFunction"
    _write(tmp_path, "unknown", document)
    assert main(["replay", str(tmp_path), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "NoSuchFunction is not a function of" in err and "IdentifyCallerFunction" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not valid JSON"),
        ('{"function": "IdentifyCallerFunction", "event": {}}', "has no response"),
        ('{"function": "", "event": {}, "response": {}}', "function must name a handler"),
    ],
)
def test_an_unreadable_recording_is_a_toolkit_error(tmp_path, capsys, content, message):
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    assert main(["replay", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err


def test_an_empty_folder_is_a_toolkit_error(tmp_path, capsys):
    assert main(["replay", str(tmp_path)]) == 2
    assert "no recordings found" in capsys.readouterr().err


def test_compare_names_added_removed_and_changed_keys():
    assert compare({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"}) == (
        Difference("b", "changed", "2", "9"),
        Difference("c", "removed", recorded="3"),
        Difference("d", "added", replayed="4"),
    )
