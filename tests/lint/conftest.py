"""Shared fixtures: the fixture project's valid flow as a fresh dict, and a linter bound to the
fixture project's template."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ivr.lint import Finding, lint_flow
from models.flow import Flow

HERE = Path(__file__).parent
FIXTURE_PROJECT = HERE / "fixture_project"
TEMPLATE = FIXTURE_PROJECT / "template.yaml"
VALID_FLOW = FIXTURE_PROJECT / "contact_flows" / "valid.json"
REPO = HERE.parent.parent
PUBLIC_FLOWS = REPO.parent / "shared" / "fixtures" / "public-flows"

_VALID = json.loads(VALID_FLOW.read_text(encoding="utf-8"))


@pytest.fixture
def doc() -> dict[str, Any]:
    """A fresh copy of the valid flow to break."""
    return copy.deepcopy(_VALID)


def action_in(doc: dict[str, Any], identifier: str) -> dict[str, Any]:
    return next(a for a in doc["Actions"] if a["Identifier"] == identifier)


@pytest.fixture
def lint() -> Callable[[dict[str, Any]], list[Finding]]:
    def run(document: dict[str, Any]) -> list[Finding]:
        return lint_flow(Flow.model_validate(document), raw=document, template=TEMPLATE)

    return run


def public_flows() -> list[Path]:
    return sorted(PUBLIC_FLOWS.glob("*.json")) if PUBLIC_FLOWS.is_dir() else []
