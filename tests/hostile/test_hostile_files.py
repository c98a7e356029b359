"""Corrupted flow files through lint, simulate, render and diff: an exit code of 0, 1 or 2,
at most one line on stderr when it is 2, and never a traceback."""

from __future__ import annotations

import shutil

import pytest

from ivr.cli import main
from tests.hostile.corpus import MUTATIONS, SOURCES, corpus
from tests.sample_store import empty_sqlite_url

# Left out of the fast tier (make test-fast): a corpus of corrupted files through every command.
pytestmark = pytest.mark.slow

PER_MUTATION = 20  # 7 kinds: 140 files, 4 commands each


def _commands(path: str, original: str) -> dict[str, list[str]]:
    return {
        "lint": ["lint", path],
        "render": ["render", path],
        "diff": ["diff", original, path],
        "simulate": ["simulate", path, "--input", "1", "--input", "1234#", "--max-steps", "200"],
    }


@pytest.fixture(autouse=True)
def _own_store(tmp_path, monkeypatch):
    monkeypatch.setenv("IVR_DATABASE_URL", empty_sqlite_url(tmp_path / "store"))
    monkeypatch.setenv("IVR_FIXED_NOW", "2026-12-01T10:30:00+09:00")


@pytest.mark.parametrize(("name", "source", "data"), list(corpus(PER_MUTATION)), ids=lambda v: "")
def test_a_corrupted_flow_never_gives_a_traceback(tmp_path, capsys, name, source, data):
    # The file beside the flows it may reference, as a corrupted copy in the project would be.
    folder = tmp_path / "contact_flows"
    shutil.copytree(source.parent, folder, dirs_exist_ok=True)
    path = folder / f"corrupted-{name}.json"
    path.write_bytes(data)
    for command, argv in _commands(str(path), str(source)).items():
        code = main(argv)
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), (name, command, code)
        assert "Traceback" not in out + err, (name, command)
        if code == 2:
            assert err.count("\n") <= 1 and len(err) < 2_000, (name, command, err[:500])


def test_the_corpus_covers_every_mutation_and_source():
    names = [name for name, _, _ in corpus(PER_MUTATION)]
    assert {name.split("-")[0] for name in names} == set(MUTATIONS)
    assert len(SOURCES) >= 4
