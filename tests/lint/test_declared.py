"""Handler contracts read from source (ivr/lint/declared.py) agree with the handlers."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from ivr.lint.declared import declared_models
from ivr.template import functions_in

ROOT = Path(__file__).parents[2]
FUNCTIONS = sorted(functions_in((ROOT / "template.yaml").resolve()).values(), key=str)


@pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.logical_id)
def test_source_names_the_models_the_handler_carries(spec):
    handler = getattr(importlib.import_module(spec.module), spec.attribute)

    declared = declared_models(ROOT, spec.module, spec.attribute)

    # A handler not built on the runtime (a Step Functions task) has no contract either way.
    assert declared == getattr(handler, "contract", None)


@pytest.mark.parametrize(
    "source",
    [
        # a model defined in the handler's module
        "from functions.runtime import connect_handler\n"
        "from models.parameters import NoParameters\n"
        "class Local: ...\n"
        "@connect_handler\ndef handler(call: Invocation[NoParameters]) -> Local: ...\n",
        # another decorator as well
        "from functions.runtime import connect_handler\n"
        "from models.identify_caller import IdentifyCallerResponse\n"
        "from models.parameters import NoParameters\n"
        "@other\n@connect_handler\n"
        "def handler(call: Invocation[NoParameters]) -> IdentifyCallerResponse: ...\n",
        # the name rebound after the def
        "from functions.runtime import connect_handler\n"
        "from models.identify_caller import IdentifyCallerResponse\n"
        "from models.parameters import NoParameters\n"
        "@connect_handler\n"
        "def handler(call: Invocation[NoParameters]) -> IdentifyCallerResponse: ...\n"
        "handler = wrap(handler)\n",
        # the parameters not declared through Invocation[...]
        "from functions.runtime import connect_handler\n"
        "from models.identify_caller import IdentifyCallerResponse\n"
        "@connect_handler\ndef handler(call) -> IdentifyCallerResponse: ...\n",
        # not Python
        "def handler(:\n",
    ],
    ids=["local-model", "two-decorators", "rebound", "unannotated", "syntax-error"],
)
def test_anything_but_the_plain_form_is_left_to_an_import(tmp_path, source):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "fn.py").write_text(source, encoding="utf-8")

    assert declared_models(tmp_path, "pkg.fn", "handler") is None


def test_a_missing_file_is_left_to_an_import(tmp_path):
    assert declared_models(tmp_path, "pkg.nothing", "handler") is None


def test_the_plain_form_is_read_without_importing_the_handler(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "fn.py").write_text(
        "from functions.runtime import Invocation, connect_handler\n"
        "from models.verify_pin import VerifyPinParameters, VerifyPinResponse\n"
        "raise RuntimeError('imported')\n"
        "@connect_handler\n"
        "def handler(call: Invocation[VerifyPinParameters]) -> VerifyPinResponse: ...\n",
        encoding="utf-8",
    )

    declared = declared_models(tmp_path, "pkg.fn", "handler")

    assert declared is not None
    assert (declared.parameters.__name__, declared.response.__name__) == (
        "VerifyPinParameters",
        "VerifyPinResponse",
    )
