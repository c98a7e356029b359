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

    assert declared == (handler.response_model, handler.parameters_model)


@pytest.mark.parametrize(
    "source",
    [
        # a model defined in the handler's module
        "from functions.runtime import connect_handler\n"
        "class Local: ...\n"
        "@connect_handler(response=Local)\ndef handler(call): ...\n",
        # another decorator as well
        "from functions.runtime import connect_handler\n"
        "from models.identify_caller import IdentifyCallerResponse\n"
        "@other\n@connect_handler(response=IdentifyCallerResponse)\ndef handler(call): ...\n",
        # the name rebound after the def
        "from functions.runtime import connect_handler\n"
        "from models.identify_caller import IdentifyCallerResponse\n"
        "@connect_handler(response=IdentifyCallerResponse)\ndef handler(call): ...\n"
        "handler = wrap(handler)\n",
        # not Python
        "def handler(:\n",
    ],
    ids=["local-model", "two-decorators", "rebound", "syntax-error"],
)
def test_anything_but_the_plain_form_is_left_to_an_import(tmp_path, source):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "fn.py").write_text(source, encoding="utf-8")

    assert declared_models(tmp_path, "pkg.fn", "handler") is None


def test_a_missing_file_is_left_to_an_import(tmp_path):
    assert declared_models(tmp_path, "pkg.nothing", "handler") is None
