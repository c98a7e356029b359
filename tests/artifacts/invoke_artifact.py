"""Runs in an isolated interpreter, as Lambda would: invoke one handler of a built artifact.

    python3.12 -I -S invoke_artifact.py ARTIFACT RUNTIME MODULE EVENT_JSON

`-I -S`: no PYTHON* variables, no user or site packages, not even this script's folder on the
path; only the standard library, then the artifact (/var/task) and the runtime's boto3
(/var/runtime) put first here. Prints one JSON line: the answer, the environment variables
the code read, the distributions it imported, and modules imported without shipped bytecode.
Uses the standard library only (it runs outside the dev venv).
"""

import importlib
import importlib.metadata
import importlib.util
import json
import os
import sys
import zoneinfo

artifact, runtime, module_name, event_json = sys.argv[1:5]
sys.path[:0] = [artifact, runtime]
# A module imported without its .pyc would be compiled at every cold start in Lambda
# (/var/task is read-only); never write one here either, so the check below sees the artifact.
sys.dont_write_bytecode = True
# No system time zone files, so zoneinfo must find them in the artifact (the tzdata package):
# the artifact may not rely on what an image happens to carry.
zoneinfo.reset_tzpath(to=[])

read: set[str] = set()
Environ = type(os.environ)


class RecordingEnviron(Environ):  # type: ignore[misc, valid-type]
    """os.environ that remembers every name looked up (os.getenv and .get go through it)."""

    def __getitem__(self, key: str) -> str:
        read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        read.add(str(key))
        return super().__contains__(key)


recording = RecordingEnviron.__new__(RecordingEnviron)
recording.__dict__.update(os.environ.__dict__)
os.environ = recording  # noqa: B003  (os.getenv reads the module global this replaces)

handler = importlib.import_module(module_name).handler
try:
    answer = handler(json.loads(event_json), None)
except Exception as exc:  # answered as Lambda's Python runtime answers it
    # A Step Functions task raises by name for the state machine's Retry and Catch.
    answer = {"errorType": type(exc).__name__, "errorMessage": str(exc)}

roots = {
    module.split(".", 1)[0]
    for module, loaded in list(sys.modules.items())
    if str(getattr(loaded, "__file__", "") or "").startswith((artifact, runtime))
}
owners = importlib.metadata.packages_distributions()
distributions = sorted({dist for root in roots for dist in owners.get(root, [])})
without_bytecode = sorted(
    name
    for name, loaded in list(sys.modules.items())
    if (path := str(getattr(loaded, "__file__", "") or "")).startswith(artifact)
    and path.endswith(".py")
    and not os.path.isfile(importlib.util.cache_from_source(path))
)
print(
    json.dumps(
        {
            "answer": answer,
            "read": sorted(read),
            "distributions": distributions,
            "without_bytecode": without_bytecode,
            "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
        }
    )
)
