"""`ivr` itself: lazy start-up, --version, the summaries, usage errors and the console script.

What a command imports is checked in a fresh interpreter (this one has imported everything).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ivr import cli

# Left out of the fast tier (make test-fast): tests run `ivr` in new Python processes.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]

# Runs main(argv) in a fresh interpreter and prints the modules it left imported.
IMPORTED = """
import json, sys
from ivr.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def imported_by(*argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORTED, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def under(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if m.split(".", 1)[0] in packages)


def test_help_lists_the_commands_without_importing_them():
    modules = imported_by("--help")

    assert under(modules, "boto3", "botocore", "pydantic", "yaml", "functions", "models") == []
    assert [m for m in modules if m.startswith("ivr.commands.")] == []


def test_lint_imports_no_aws_and_no_handler():
    modules = imported_by("lint", "contact_flows/")

    assert under(modules, "boto3", "botocore", "functions", "aws_lambda_powertools") == []
    assert [m for m in modules if m.startswith("ivr.commands.")] == ["ivr.commands.lint"]


def test_a_command_imports_only_its_own_module():
    modules = imported_by("render", "--help")

    assert [m for m in modules if m.startswith("ivr.commands.")] == ["ivr.commands.render"]


def test_help_shows_every_command_and_the_exit_codes(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])

    assert exited.value.code == 0
    out = capsys.readouterr().out
    for module, summary in cli.SUMMARIES.items():
        assert cli.command_name(module) in out
        assert summary.split()[0] in out
    assert "0 ok, 1 findings or differences, 2 the command could not run" in out


@pytest.mark.parametrize("module", cli.COMMANDS)
def test_each_summary_is_what_its_module_registers(module):
    parser = cli.build_parser(module)
    [subparsers] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    helps = {choice.dest: choice.help for choice in subparsers._choices_actions}

    assert helps[cli.command_name(module)] == cli.SUMMARIES[module]
    assert set(cli.SUMMARIES) == set(cli.COMMANDS)


def test_version_is_the_installed_distribution(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])

    assert exited.value.code == 0
    assert capsys.readouterr().out == f"ivr {importlib.metadata.version('connect-ivr')}\n"


def test_version_without_an_installed_distribution(capsys, monkeypatch):
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    with pytest.raises(SystemExit):
        cli.main(["--version"])

    assert capsys.readouterr().out.startswith("ivr unknown")


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["lint", "contact_flows", "--bogus"], "usage: ivr lint "),
        (["deploy", "--env", "dev", "--bogus"], "usage: ivr deploy "),
        (
            ["connect-test", "export", "f.json", "--scenarios", "s", "--bogus"],
            "usage: ivr connect-test export ",
        ),
    ],
)
def test_an_unknown_option_shows_that_commands_usage(capsys, argv, usage):
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)

    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage)
    assert err.rstrip().endswith("unrecognized arguments: --bogus")


def test_an_unknown_command_shows_ivrs_usage(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["lnit"])

    assert exited.value.code == 2
    assert "invalid choice: 'lnit'" in capsys.readouterr().err


def run_entry(*argv: str) -> subprocess.CompletedProcess[str]:
    """The console script's function, as `ivr ARGV...` runs it."""
    code = f"import sys; sys.argv = ['ivr', *{list(argv)!r}]; from ivr.cli import entry; entry()"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_console_script_keeps_exit_code_and_output():
    linted = run_entry("lint", "contact_flows/")
    assert (linted.returncode, linted.stdout.splitlines()[-1]) == (0, "0 error(s), 0 warning(s)")

    flows = ROOT / "contact_flows"
    differ = run_entry("diff", str(flows / "main_inbound.json"), str(flows / "customer_queue.json"))
    assert differ.returncode == 1 and differ.stdout.strip()

    missing = run_entry("render", "no-such-flow.json")
    assert missing.returncode == 2
    assert len(missing.stderr.strip().splitlines()) == 1


# The console script's set-up (entry() up to main), then lint, then what was imported and what
# stands where pydantic's plugin loader would be.
PLUGIN_PROBE = """
import json, os, sys
from ivr import cli
os.environ.setdefault(cli.PYDANTIC_PLUGINS_VARIABLE, "__all__")
cli._skip_plugin_loader()
stood_in = cli.PYDANTIC_PLUGIN_LOADER in sys.modules
code = cli.main(["lint", "contact_flows/"])
real = hasattr(sys.modules.get(cli.PYDANTIC_PLUGIN_LOADER), "__file__")
print(json.dumps([code, stood_in, "importlib.metadata" in sys.modules, real]))
"""


def probe_plugins(**variables: str) -> list[object]:
    env = {k: v for k, v in os.environ.items() if k != cli.PYDANTIC_PLUGINS_VARIABLE}
    done = subprocess.run(
        [sys.executable, "-c", PLUGIN_PROBE],
        cwd=ROOT,
        env={**env, **variables},
        capture_output=True,
        text=True,
        check=True,
    )
    result: list[object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_console_script_lint_never_imports_pydantic_s_plugin_loader():
    # [exit code, stand-in installed, importlib.metadata imported, real loader imported]
    assert probe_plugins() == [0, True, False, False]


def test_plugins_the_user_turns_on_are_loaded_by_pydantic_itself():
    assert probe_plugins(PYDANTIC_DISABLE_PLUGINS="some_plugin") == [0, False, True, True]


@pytest.mark.parametrize("value", cli.PLUGINS_OFF)
def test_the_stand_in_answers_as_pydantic_s_loader_does(monkeypatch, value):
    from pydantic.plugin import _loader

    monkeypatch.setenv(cli.PYDANTIC_PLUGINS_VARIABLE, value)
    assert tuple(cli._no_plugins()) == tuple(_loader.get_plugins()) == ()


def test_the_stand_in_hands_anything_else_to_the_real_loader():
    code = (
        "import os, sys\n"
        "from ivr import cli\n"
        "os.environ[cli.PYDANTIC_PLUGINS_VARIABLE] = '__all__'\n"
        "cli._skip_plugin_loader()\n"
        "stand_in = sys.modules[cli.PYDANTIC_PLUGIN_LOADER]\n"
        "print(stand_in.PYDANTIC_ENTRY_POINT_GROUP)\n"
        "print(hasattr(sys.modules[cli.PYDANTIC_PLUGIN_LOADER], '__file__'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["pydantic", "True"]
