"""`ivr`: the admin and test toolkit's command line.

Each subcommand lives in `ivr/commands/<name>.py` with `register(subparsers)`, which adds its
parser and sets `run(args) -> int`. Commands parse arguments and call the library; the only
error caught here is the toolkit's own, printed as one line before exiting 2. Exit codes carry
results: 0 ok, 1 findings or differences (lint, diff, simulate, replay, coverage), 2 the
command could not run (bad option, unreadable file, no AWS region, ...).

Start-up is lazy: `ivr --help` lists the commands from `SUMMARIES` without importing any
command module, and `ivr COMMAND ...` imports only that command's module (and so only what it
uses: no boto3 for lint, diff, render, simulate or coverage).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import importlib
import os
import sys
import threading
import types
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from ivr.errors import ToolkitError

DISTRIBUTION = "connect-ivr"
PYDANTIC_PLUGINS_VARIABLE = "PYDANTIC_DISABLE_PLUGINS"
# The values with which pydantic's own get_plugins finds no plugin without looking
# (pydantic/plugin/_loader.py), and the module that would otherwise import importlib.metadata.
PLUGINS_OFF = ("__all__", "1", "true")
PYDANTIC_PLUGIN_LOADER = "pydantic.plugin._loader"

# Module names under ivr/commands, in the order of `ivr --help`; the command is the name with
# "-" for "_". A test checks each module registers the summary given here.
COMMANDS = (
    "simulate",
    "replay",
    "seed",
    "db",
    "lint",
    "diff",
    "render",
    "deploy",
    "export",
    "coverage",
    "connect_test",
    "logs",
    "whatif",
    "paths",
    "callbacks",
)

SUMMARIES = {
    "simulate": "run a call through a contact flow offline",
    "replay": "replay recorded Lambda events against the handlers and report differences",
    "seed": "write the sample customers to a store",
    "db": "create or upgrade the SQL database's tables (ivr db migrate)",
    "lint": "check flows for what Connect rejects and what hurts callers",
    "diff": "semantic diff of two flows (layout and action order ignored)",
    "render": "draw a flow as a Mermaid or Graphviz diagram",
    "deploy": "lint and deploy the flows of contact_flows/ to a Connect instance",
    "export": "pull flows from a Connect instance into contact_flows/",
    "coverage": "block coverage of flows by a file of scenarios",
    "connect_test": "run Amazon Connect test cases offline, or export scenarios as test cases",
    "logs": "summarize Amazon Connect flow logs: outcomes, branches, Lambda errors, time",
    "whatif": "replay logged contacts through a new flow version and report what changes",
    "paths": "every path through a flow, the inputs for each branch, and the dead branches",
    "callbacks": "list callbacks by state and redrive failed ones",
}


def command_name(module: str) -> str:
    return module.replace("_", "-")


def installed_version() -> str:
    """The installed distribution's version; "unknown" when run from a checkout not installed."""
    from importlib.metadata import PackageNotFoundError, version  # only for --version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown (connect-ivr is not installed)"


class _VersionAction(argparse.Action):
    """`--version`, reading the metadata only when asked (argparse's own action needs the
    string when the parser is built, which would cost every start-up an importlib.metadata)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **_: Any) -> None:
        super().__init__(
            option_strings, dest=argparse.SUPPRESS, nargs=0, help="print the version and exit"
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> NoReturn:
        print(f"ivr {installed_version()}")
        parser.exit()


class _SubcommandParser(argparse.ArgumentParser):
    """A subcommand's parser that rejects unknown options itself. argparse hands a
    subparser's leftovers back to the top parser, whose error then shows `ivr`'s usage
    instead of the subcommand's, which is the one that says what the options are."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of `ivr`; only `command` (a module name of COMMANDS) gets its real
    subparser, the others a placeholder that carries their summary for `ivr --help`."""
    parser = argparse.ArgumentParser(
        prog="ivr",
        description="Simulate, lint, diff, render and deploy Amazon Connect contact flows.",
        epilog="Exit status: 0 ok, 1 findings or differences, 2 the command could not run. "
        "`ivr COMMAND --help` documents each command.",
    )
    parser.add_argument("--version", action=_VersionAction)
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_SubcommandParser
    )
    for module in COMMANDS:
        if module == command:
            importlib.import_module(f"ivr.commands.{module}").register(subparsers)
        else:
            subparsers.add_parser(command_name(module), help=SUMMARIES[module], add_help=False)
    return parser


def chosen_command(argv: Sequence[str]) -> str | None:
    """The module of the command `argv` names: `ivr` takes no option with a value, so it is
    the first argument that isn't an option."""
    for argument in argv:
        if argument != "--" and not argument.startswith("-"):
            module = argument.replace("-", "_")
            return module if module in COMMANDS and argument == command_name(module) else None
    return None


def main(argv: Sequence[str] | None = None, *, started: Callable[[], None] | None = None) -> int:
    """Run `ivr ARGV...`; `started` is called once the command's module is imported."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(chosen_command(arguments))
    if started is not None:
        started()
    args = parser.parse_args(arguments)
    try:
        return int(args.run(args))
    except ToolkitError as exc:
        print(f"ivr {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def entry() -> NoReturn:
    """The `ivr` console script: `main`, then exit without the interpreter's tear-down.

    Tearing down a process that built pydantic's schemas and imported a few hundred modules
    costs ~50 ms (module by module deallocation and a last full garbage collection), about
    15 % of `ivr lint contact_flows/`, for memory the OS takes back anyway. When `main` has
    returned and no other thread or child process is left, nothing is pending but the atexit
    handlers (logging.shutdown, ...) and the standard streams, run and flushed here. Otherwise
    (a simulated Lambda still running on its worker thread, say) the usual exit waits for it.
    """
    # pydantic searches every installed distribution's entry points for plugins when it
    # builds its first model (~15-20 ms in the dev venv); the toolkit uses none. A value set
    # by the user wins. Here and not in `main`, which tests call: no change to their process.
    os.environ.setdefault(PYDANTIC_PLUGINS_VARIABLE, "__all__")
    # With them off, nor is its loader (and importlib.metadata with it) worth importing.
    _skip_plugin_loader()
    # Start-up allocates what lives until exit (modules, classes, pydantic's schemas), and
    # the collections it triggers free nothing (~5 % of lint): collect again only once the
    # command's module is imported, and never traverse what start-up made.
    gc.disable()
    code = main(started=_resume_collection)
    if threading.active_count() > 1 or _child_processes():
        sys.exit(code)
    gc.freeze()  # should an atexit handler collect, it has no need to traverse the rest
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            # A closed pipe (`ivr lint | head`) has nobody left to read the rest.
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    os._exit(code)


def _skip_plugin_loader() -> None:
    """Stand in for pydantic's plugin loader while plugins are off.

    The loader imports importlib.metadata at its top (email, zipfile, csv, ...: ~30 ms of CPU,
    ~0.7x of `python -c pass`, bench/README.md) to scan entry points, which it then skips when
    PYDANTIC_DISABLE_PLUGINS is set as above. The stand-in answers `get_plugins()` as the
    loader does then (no plugin); anything else (the variable changed meanwhile, a name a
    later pydantic asks for) imports the real loader and hands over to it for good.
    """
    if os.environ.get(PYDANTIC_PLUGINS_VARIABLE) not in PLUGINS_OFF:
        return
    if PYDANTIC_PLUGIN_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(PYDANTIC_PLUGIN_LOADER, _skip_plugin_loader.__doc__)
    # A module's namespace is its __dict__; filling it needs no attribute ModuleType declares.
    vars(stand_in).update(get_plugins=_no_plugins, __getattr__=_real_loader_attribute)
    sys.modules[PYDANTIC_PLUGIN_LOADER] = stand_in


def _no_plugins(*args: Any, **kwargs: Any) -> Any:
    if os.environ.get(PYDANTIC_PLUGINS_VARIABLE) in PLUGINS_OFF and not args and not kwargs:
        return ()
    return _real_loader().get_plugins(*args, **kwargs)


def _real_loader_attribute(name: str) -> Any:
    if name.startswith("__"):  # the import system probing (`__path__`: is it a package?)
        raise AttributeError(f"module {PYDANTIC_PLUGIN_LOADER!r} has no attribute {name!r}")
    return getattr(_real_loader(), name)


def _real_loader() -> types.ModuleType:
    """pydantic's own loader, imported in place of the stand-in (which pydantic looks up again
    on each model it builds, so the next model gets the real one)."""
    stand_in = sys.modules.pop(PYDANTIC_PLUGIN_LOADER, None)
    try:
        return importlib.import_module(PYDANTIC_PLUGIN_LOADER)
    except BaseException:
        if stand_in is not None:
            sys.modules[PYDANTIC_PLUGIN_LOADER] = stand_in
        raise


def _resume_collection() -> None:
    gc.freeze()
    gc.enable()


def _child_processes() -> bool:
    multiprocessing = sys.modules.get("multiprocessing")
    return multiprocessing is not None and bool(multiprocessing.active_children())


if __name__ == "__main__":
    entry()
