"""Generate functions/stores/dynamodb/endpoints.json: botocore's endpoints file, DynamoDB only.

Every botocore client reads the legacy endpoints file (botocore/data/endpoints.json, 1.2 MB,
every service of every partition) when it is created, whatever endpoint it is given: ~45 ms
and ~8 MiB of a Lambda cold start (bench/README.md). The functions create DynamoDB clients
only, so functions/stores/dynamodb/client.py hands botocore this file instead: every
partition as botocore has it (names, regions, region patterns, defaults), and the DynamoDB
entries only. The endpoint rule sets, which pick the URL, are botocore's own and untouched.

    .venv/bin/python -m ivr.endpoints_table            # rewrite the file
    .venv/bin/python -m ivr.endpoints_table --check    # exit 1 if botocore's data differs

tests/test_dynamodb_endpoints.py fails when the file and the installed botocore disagree.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

SERVICES = ("dynamodb",)
TARGET = (
    Path(__file__).resolve().parent.parent / "functions" / "stores" / "dynamodb" / "endpoints.json"
)


def botocore_endpoints() -> dict[str, Any]:
    """botocore's own endpoints data, as its loader reads it."""
    from botocore.loaders import Loader

    data: dict[str, Any] = Loader().load_data("endpoints")
    return data


def slim(endpoints: dict[str, Any], services: tuple[str, ...] = SERVICES) -> dict[str, Any]:
    """`endpoints` with each partition's services reduced to `services`."""
    partitions = [
        {
            **{key: value for key, value in partition.items() if key != "services"},
            "services": {
                name: entry
                for name, entry in partition.get("services", {}).items()
                if name in services
            },
        }
        for partition in endpoints["partitions"]
    ]
    return {**{k: v for k, v in endpoints.items() if k != "partitions"}, "partitions": partitions}


def render() -> str:
    import botocore

    document = {
        "_generated": (
            f"by python -m ivr.endpoints_table from botocore {botocore.__version__}'s "
            "endpoints.json: do not edit"
        ),
        **slim(botocore_endpoints()),
    }
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    options.add_argument("--check", action="store_true", help="compare, don't write")
    args = options.parse_args(argv)
    if args.check:
        current = json.loads(TARGET.read_text(encoding="utf-8")) if TARGET.exists() else {}
        current.pop("_generated", None)
        if current != slim(botocore_endpoints()):
            print(f"{TARGET} differs from botocore's data: run python -m ivr.endpoints_table")
            return 1
        return 0
    TARGET.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
