"""ivr/template.py's cache of parsed templates: the same document as a parse, never a stale one.

Each test points XDG_CACHE_HOME at its own folder, so none reads what another (or a real
`ivr lint`) wrote.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ivr.template
from ivr.errors import ToolkitError
from ivr.template import cache_folder, functions_in, load_template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_TEXT = """\
Resources:
  OneFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: functions.one.handler
      Role: !GetAtt OneRole.Arn
Outputs:
  OneFunctionArn:
    Value: !Ref OneFunction
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return cache_folder()


def _template(folder: Path, text: str = TEMPLATE_TEXT) -> Path:
    path = folder / "template.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any) -> Any:
        raise AssertionError("parsed the YAML although the cache holds these bytes")

    monkeypatch.setattr(ivr.template, "_parse", refuse)


def test_a_second_load_reads_the_cache_and_gets_the_same_document(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _template(tmp_path)
    parsed = load_template(path)
    assert parsed["Resources"]["OneFunction"]["Properties"]["Role"] == {"Fn::GetAtt": "OneRole.Arn"}
    assert len(list(cache.glob("template-*.json"))) == 1
    _no_parse(monkeypatch)
    assert load_template(path) == parsed


def test_each_load_gives_a_document_of_its_own(cache: Path, tmp_path: Path) -> None:
    path = _template(tmp_path)
    load_template(path)["Resources"].clear()
    assert load_template(path)["Resources"]
    load_template(path)["Resources"].clear()
    assert load_template(path)["Resources"]


def test_a_changed_template_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    path = _template(tmp_path)
    load_template(path)
    _template(tmp_path, TEMPLATE_TEXT.replace("functions.one.handler", "functions.two.handler"))
    handler = load_template(path)["Resources"]["OneFunction"]["Properties"]["Handler"]
    assert handler == "functions.two.handler"
    assert len(list(cache.glob("template-*.json"))) == 1  # one entry per template, replaced


def test_a_document_json_cannot_carry_is_not_cached(cache: Path, tmp_path: Path) -> None:
    path = _template(tmp_path, TEMPLATE_TEXT + "Metadata:\n  Since: 2012-10-17\n  7: seven\n")
    for _ in range(2):
        document = load_template(path)
        assert document["Metadata"] == {"Since": datetime.date(2012, 10, 17), 7: "seven"}
    assert not list(cache.glob("template-*.json"))


def test_a_corrupt_entry_is_parsed_over(cache: Path, tmp_path: Path) -> None:
    path = _template(tmp_path)
    expected = load_template(path)
    (entry,) = cache.glob("template-*.json")
    entry.write_text('{"format": 1, "sha256": "', encoding="utf-8")
    assert load_template(path) == expected
    assert load_template(path) == expected


def test_an_unwritable_cache_folder_only_costs_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = _template(tmp_path)
    assert functions_in(path.resolve())["OneFunction"].handler == "functions.one.handler"
    assert load_template(path) == load_template(path)


def test_errors_are_the_parse_errors_and_are_not_cached(cache: Path, tmp_path: Path) -> None:
    path = _template(tmp_path, "A: [1\nB: 2\n")
    for _ in range(2):
        with pytest.raises(ToolkitError, match=f'(?s)is not valid YAML.*in "{path}", line 1'):
            load_template(path)
    with pytest.raises(ToolkitError, match="cannot read template"):
        load_template(tmp_path / "missing.yaml")
    assert not list(cache.glob("template-*.json"))


def test_newlines_read_as_a_file_opened_in_text_mode(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_bytes(b'Block: |\r\n  x\r\n  y\rQuoted: "a\r\n b"\r\n')
    assert load_template(path) == {"Block": "x\ny\n", "Quoted": "a b"}


def test_lint_with_a_cached_template_does_not_import_pyyaml(cache: Path) -> None:
    script = (
        "import sys\n"
        "from ivr.lint import lint_paths\n"
        "from pathlib import Path\n"
        "lint_paths([Path('contact_flows')])\n"
        "print('yaml' in sys.modules)\n"
    )
    env = {"XDG_CACHE_HOME": str(cache.parent), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs == [["True"], ["False"]]
