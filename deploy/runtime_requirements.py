"""Print the runtime dependencies a deployed function needs, one per line, for pip -r.

They are pyproject.toml's [project].dependencies (the one list, so nothing is kept twice)
less what the Lambda Python runtime already provides: boto3 and botocore.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PROVIDED_BY_RUNTIME = frozenset({"boto3", "botocore"})
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def runtime_requirements(pyproject: Path) -> list[str]:
    """The project's dependencies, as written, without those the runtime provides."""
    with pyproject.open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    kept = []
    for requirement in dependencies:
        match = _NAME.match(requirement)
        name = match[1].lower().replace("_", "-") if match else ""
        if name not in PROVIDED_BY_RUNTIME:
            kept.append(requirement)
    return kept


def main(argv: list[str]) -> int:
    pyproject = Path(argv[1]) if len(argv) > 1 else Path("pyproject.toml")
    print("\n".join(runtime_requirements(pyproject)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
