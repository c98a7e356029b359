"""Build one function's Lambda artifact: exactly what `sam build` ships for it.

    python3 deploy/build_artifact.py IdentifyCallerFunction OUT_DIR          # what sam build runs
    python3 deploy/build_artifact.py IdentifyCallerFunction OUT_DIR --platform host
    python3 deploy/build_artifact.py IdentifyCallerFunction --plan           # distributions only
    python3 deploy/build_artifact.py --runtime OUT_DIR --platform host       # the runtime's boto3

deploy/Makefile's `build-<LogicalId>` targets call the first form with SAM's ARTIFACTS_DIR. An
artifact holds:

1. `functions/` and `models/`, nothing else of the project (never `ivr/` or `tests/`);
2. the distributions deploy/artifacts.toml lists for the function, with the version ranges of
   pyproject.toml, and what they depend on, less what the Lambda runtime provides (boto3 and
   its dependencies): resolved once by pip for the target (`--dry-run --report`), then
   installed as wheels for that interpreter and CPU with `--no-deps`, so the plan and the
   artifact can't differ;
3. bytecode compiled by the target Python itself (3.12): `/var/task` is read-only, so without
   it every cold start compiles every module it imports. Invalidation is by unchecked hash
   (zip keeps mtimes to 2 s only, which would make a timestamp `.pyc` look stale). A build
   that can't find the target Python fails: an artifact without bytecode is not shipped.

`--platform lambda` (the default) targets template.yaml's python3.12 on arm64; `host` targets
this machine's CPU with the same Python and steps, which is what tests/deploy/test_artifacts.py
runs (an aarch64 wheel can't be imported on x86_64). The plan for both platforms must hold the
same distributions (the test checks it).

Runs on the build machine's own python3 (3.11+, standard library only), as SAM calls make.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
ARTIFACTS = ROOT / "deploy" / "artifacts.toml"
# What ships of the project itself: the packages the handlers import.
PACKAGES = ("functions", "models")
# Must match template.yaml's Globals Runtime and Architectures (tests/test_template.py).
LAMBDA_PYTHON = "3.12"
LAMBDA_CPU = "aarch64"
# Amazon Linux 2023 has glibc 2.34: manylinux2014 (glibc 2.17) and manylinux_2_28 wheels run.
# https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
_MANYLINUX = ("manylinux2014", "manylinux_2_28")
# The Lambda Python runtime ships boto3, botocore and their dependencies on its own path.
# https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html
RUNTIME_PROVIDED = frozenset(
    {"boto3", "botocore", "jmespath", "s3transfer", "urllib3", "python-dateutil", "six"}
)
# Where the deployed files lie in Lambda: tracebacks name /var/task/functions/..., not the
# build machine's folder.
LAMBDA_TASK_ROOT = "/var/task"
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


class BuildError(Exception):
    """The artifact can't be built as it must ship; the message says what to do."""


@dataclass(frozen=True)
class Target:
    """An interpreter and CPU to build for."""

    python: str
    cpu: str

    @property
    def pip_platforms(self) -> list[str]:
        return [f"{tag}_{self.cpu}" for tag in _MANYLINUX]

    @classmethod
    def named(cls, name: str) -> Target:
        if name == "lambda":
            return cls(LAMBDA_PYTHON, LAMBDA_CPU)
        if name == "host":
            return cls(LAMBDA_PYTHON, platform.machine())
        raise BuildError(f"unknown platform {name!r}: use lambda or host")


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = _NAME.match(requirement)
    if not match:
        raise BuildError(f"pyproject.toml: can't read a name in {requirement!r}")
    return normalize(match[1])


def declared_requirements(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """Every runtime requirement pyproject.toml declares (dependencies and extras but `dev`),
    by normalized name."""
    with pyproject.open("rb") as handle:
        project = tomllib.load(handle)["project"]
    requirements = list(project["dependencies"])
    for extra, listed in project.get("optional-dependencies", {}).items():
        if extra != "dev":
            requirements += listed
    return {requirement_name(r): r for r in requirements}


def function_requirements(logical_id: str, artifacts: Path = ARTIFACTS) -> list[str]:
    """The requirement strings of `logical_id`'s artifact, versions as pyproject.toml has them."""
    functions = artifact_table(artifacts)
    if logical_id not in functions:
        raise BuildError(
            f"{logical_id} has no table in {artifacts.relative_to(ROOT)}; add "
            f"[functions.{logical_id}] with requires = [...] and backends = [...]"
        )
    declared = declared_requirements()
    wanted = [normalize(name) for name in functions[logical_id]["requires"]]
    missing = [name for name in wanted if name not in declared]
    if missing:
        raise BuildError(f"{logical_id}: {missing} not declared in pyproject.toml")
    return [declared[name] for name in wanted]


def artifact_table(artifacts: Path = ARTIFACTS) -> dict[str, dict[str, Any]]:
    with artifacts.open("rb") as handle:
        functions: dict[str, dict[str, Any]] = tomllib.load(handle)["functions"]
    return functions


def pruned_paths(artifacts: Path = ARTIFACTS) -> list[str]:
    """Paths inside an artifact (package/entry) that deploy/artifacts.toml leaves out."""
    with artifacts.open("rb") as handle:
        prune: dict[str, list[str]] = tomllib.load(handle).get("prune", {})
    return [f"{package}/{entry}" for package, entries in prune.items() for entry in entries]


def prune(destination: Path) -> None:
    for relative in pruned_paths():
        path = destination / relative
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def _pip(*arguments: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"pip {arguments[0]} failed:\n{done.stderr.strip()}")


def _target_options(target: Target) -> list[str]:
    options = ["--only-binary=:all:", "--implementation", "cp", "--python-version", target.python]
    for tag in target.pip_platforms:
        options += ["--platform", tag]
    return options


def plan(requirements: list[str], target: Target) -> dict[str, str]:
    """Distribution -> version pip resolves `requirements` to for `target`, less the runtime's.

    One resolution per build: what it names is what gets installed, one wheel each.
    """
    resolved = _resolve(requirements, target)
    return {name: v for name, v in resolved.items() if name not in RUNTIME_PROVIDED}


def _resolve(requirements: list[str], target: Target) -> dict[str, str]:
    """pip's resolution of `requirements` for `target`, installing nothing."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        # --target: older pips accept platform options only with it, even for a dry run.
        _pip(
            "install",
            "--dry-run",
            "--ignore-installed",
            "--report",
            str(report),
            "--target",
            str(Path(scratch) / "target"),
            *_target_options(target),
            *requirements,
        )
        installs = json.loads(report.read_text())["install"]
    return {
        normalize(item["metadata"]["name"]): item["metadata"]["version"]
        for item in sorted(installs, key=lambda item: normalize(item["metadata"]["name"]))
    }


def install(pins: dict[str, str], destination: Path, target: Target) -> None:
    if pins:
        wanted = [f"{name}=={version}" for name, version in pins.items()]
        _pip(
            "install",
            "--no-deps",
            "--no-compile",
            "--target",
            str(destination),
            *_target_options(target),
            *wanted,
        )


def target_python(version: str = LAMBDA_PYTHON) -> str:
    """The path of a Python `version` that runs here: $LAMBDA_PYTHON_EXE, python3.X on PATH,
    or a pyenv installation of it."""
    candidates = [os.environ.get("LAMBDA_PYTHON_EXE", ""), f"python{version}"]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(
        (str(p) for p in pyenv_root.glob(f"versions/{version}.*/bin/python{version}")),
        reverse=True,
    )
    for candidate in filter(None, candidates):
        executable = shutil.which(candidate) or candidate
        try:
            done = subprocess.run(
                [executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except OSError:
            continue
        if done.returncode == 0 and done.stdout.strip() == version:
            return executable
    raise BuildError(
        f"no Python {version} found to compile the artifact's bytecode (tried "
        f"$LAMBDA_PYTHON_EXE, python{version} on PATH, pyenv versions): install it "
        f"(pyenv install {version}, apt-get install python{version}, ...) or set "
        f"LAMBDA_PYTHON_EXE to its path"
    )


def compile_bytecode(destination: Path, python: str) -> None:
    done = subprocess.run(
        [
            python,
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "--invalidation-mode",
            "unchecked-hash",
            "-s",
            str(destination),
            "-p",
            LAMBDA_TASK_ROOT,
            str(destination),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BuildError(f"compileall failed:\n{done.stdout}{done.stderr}".strip())
    missing = uncompiled(destination, python_tag(python))
    if missing:
        raise BuildError(f"{len(missing)} module(s) without bytecode, e.g. {missing[0]}")


def python_tag(python: str) -> str:
    done = subprocess.run(
        [python, "-c", "import sys; print(sys.implementation.cache_tag)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def uncompiled(destination: Path, cache_tag: str) -> list[Path]:
    """Modules of the artifact with no `.pyc` of `cache_tag` (cpython-312) beside them."""
    return [
        source
        for source in sorted(destination.rglob("*.py"))
        if not (source.parent / "__pycache__" / f"{source.stem}.{cache_tag}.pyc").is_file()
    ]


def copy_packages(destination: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, destination / package, ignore=ignore, dirs_exist_ok=True)


def build_artifact(logical_id: str, out_dir: Path, *, platform: str = "lambda") -> Path:
    """Build `logical_id`'s artifact into `out_dir` (emptied first) and return it."""
    target = Target.named(platform)
    python = target_python(target.python)  # before anything slow: fail early
    pins = plan(function_requirements(logical_id), target)
    _empty(out_dir)
    copy_packages(out_dir)
    install(pins, out_dir, target)
    prune(out_dir)
    # Console scripts (holidays-ics) are for a shell; nothing in Lambda runs them.
    shutil.rmtree(out_dir / "bin", ignore_errors=True)
    for cache in out_dir.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    compile_bytecode(out_dir, python)
    return out_dir


def build_runtime(out_dir: Path, *, platform: str = "lambda") -> Path:
    """What the Lambda runtime puts on the path besides the artifact: boto3 and its
    dependencies. Only tests and benchmarks use it (Lambda brings its own)."""
    target = Target.named(platform)
    python = target_python(target.python)
    pins = _resolve(["boto3"], target)
    _empty(out_dir)
    install(pins, out_dir, target)
    compile_bytecode(out_dir, python)
    return out_dir


def _empty(folder: Path) -> None:
    """SAM hands over an existing ARTIFACTS_DIR; a rebuild must not keep a stale file."""
    folder.mkdir(parents=True, exist_ok=True)
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("function", nargs="?", help="logical id of the function in template.yaml")
    parser.add_argument("out", nargs="?", type=Path, help="the artifact's folder (emptied)")
    parser.add_argument("--platform", choices=("lambda", "host"), default="lambda")
    parser.add_argument("--plan", action="store_true", help="print the distributions only")
    parser.add_argument("--runtime", type=Path, metavar="DIR", help="build the runtime's boto3")
    args = parser.parse_args(argv)
    try:
        if args.runtime is not None:
            build_runtime(args.runtime, platform=args.platform)
        elif args.function and args.plan:
            pins = plan(function_requirements(args.function), Target.named(args.platform))
            print("\n".join(f"{name}=={version}" for name, version in pins.items()))
        elif args.function and args.out is not None:
            build_artifact(args.function, args.out, platform=args.platform)
        else:
            parser.error("give FUNCTION OUT, FUNCTION --plan, or --runtime DIR")
    except BuildError as exc:
        print(f"build_artifact: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
