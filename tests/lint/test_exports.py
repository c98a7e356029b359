"""The public surface `ivr deploy` and others build on."""

from __future__ import annotations

import dataclasses

import ivr.diff
import ivr.lint
import ivr.render


def test_lint_exports():
    assert set(ivr.lint.__all__) == {
        "Finding",
        "FlowFileError",
        "Severity",
        "is_flow_document",
        "lint_flow",
        "lint_paths",
        "read_flow",
    }
    fields = [f.name for f in dataclasses.fields(ivr.lint.Finding)]
    assert fields == ["severity", "code", "identifier", "message", "path"]
    assert ivr.lint.Finding.__dataclass_params__.frozen


def test_diff_exports():
    assert set(ivr.diff.__all__) == {"Change", "ChangeKind", "diff_flows", "format_changes"}
    assert [f.name for f in dataclasses.fields(ivr.diff.Change)] == ["kind", "identifier", "detail"]


def test_render_exports():
    assert set(ivr.render.__all__) == {
        "FORMATS",
        "Format",
        "edges",
        "node_label",
        "render",
        "short_identifier",
    }
