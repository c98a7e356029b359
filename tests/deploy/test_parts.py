"""The pure parts: placeholders both ways, dependency order, normalization, manifest checks."""

from __future__ import annotations

import json

import pytest

from ivr.deploy.environment import instance_id_of
from ivr.deploy.errors import ManifestError, ValuesError
from ivr.deploy.manifest import FlowEntry, load_manifest
from ivr.deploy.normalize import content_text, normalize
from ivr.deploy.placeholders import flow_references, placeholders_in, restore, substitute
from ivr.deploy.plan import plan
from tests.deploy.project import INSTANCE_ARN, INSTANCE_ID, QUEUE_ARN, Project, transfer_flow


def test_substitute_and_restore_are_inverse_for_arns():
    values = {"CustomerQueueArn": QUEUE_ARN, "InstanceArn": INSTANCE_ARN, "Flow:a b": "arn:x/f"}
    document = {
        "k": ["${CustomerQueueArn}", {"n": "to ${Flow:a b} now", "i": 3}],
        "whole": "${InstanceArn}",
    }

    filled, missing = substitute(document, values)

    assert missing == set()
    assert filled == {"k": [QUEUE_ARN, {"n": "to arn:x/f now", "i": 3}], "whole": INSTANCE_ARN}
    assert restore(filled, values) == document


def test_restore_keeps_longer_arns_whole_and_prefers_flows():
    values = {"InstanceArn": INSTANCE_ARN, "A": "arn:x/f", "Flow:b": "arn:x/f", "Text": "hello"}

    restored = restore({"q": QUEUE_ARN, "f": "arn:x/f", "t": "hello"}, values)

    assert restored == {"q": QUEUE_ARN, "f": "${Flow:b}", "t": "hello"}


def test_placeholders_found_and_missing_reported():
    document = {"a": "${X}${Module:m}", "b": ["${Flow:f}", "$.Attributes.x", "${not valid}"]}

    assert placeholders_in(document) == {"X", "Module:m", "Flow:f"}
    assert flow_references(document) == {("Module", "m"), ("Flow", "f")}
    assert substitute(document, {"X": "1"})[1] == {"Module:m", "Flow:f"}


def _entries(*names: str) -> list[FlowEntry]:
    return [FlowEntry(name=n, type="CONTACT_FLOW", file=f"{n}.json") for n in names]


def test_plan_orders_targets_first_keeping_manifest_order_otherwise():
    documents = {
        "a": transfer_flow("${Flow:c}"),
        "b": transfer_flow("arn:unmanaged"),
        "c": transfer_flow("${Flow:d}"),
        "d": transfer_flow("${Flow:unmanaged}"),
    }

    result = plan(_entries("a", "b", "c", "d"), documents)

    assert [e.name for e in result.order] == ["b", "d", "c", "a"]
    assert result.cycles == []


def test_plan_finds_cycles_and_self_loops():
    documents = {
        "a": transfer_flow("${Flow:b}"),
        "b": transfer_flow("${Flow:c}"),
        "c": transfer_flow("${Flow:a}"),
        "self": transfer_flow("${Flow:self}"),
        "after": transfer_flow("${Flow:c}"),
    }

    result = plan(_entries("after", "a", "b", "c", "self"), documents)

    assert result.cycles == [["a", "b", "c"], ["self"]]
    assert [e.name for e in result.order] == ["a", "b", "c", "after", "self"]


def test_plan_rejects_the_wrong_kind_of_reference():
    entries = [*_entries("a"), FlowEntry(name="m", type="MODULE", file="m.json")]

    with pytest.raises(ManifestError, match=r"write \$\{Module:m\}"):
        plan(entries, {"a": transfer_flow("${Flow:m}"), "m": transfer_flow("x")})


def test_normalize_is_stable_and_content_compact():
    document = {"b": [{"z": 1, "a": "é"}], "a": {}}

    assert (
        normalize(document)
        == '{\n  "a": {},\n  "b": [\n    {\n      "a": "é",\n      "z": 1\n    }\n  ]\n}\n'
    )
    assert normalize(json.loads(normalize(document))) == normalize(document)
    assert content_text(document) == '{"a":{},"b":[{"a":"é","z":1}]}'


def test_manifest_errors_name_the_problem(project: Project):
    with pytest.raises(ManifestError, match="--flows"):
        load_manifest(project.root / "nowhere")
    (project.flows_dir / "manifest.json").write_text(
        json.dumps({"flows": [{"name": "a", "type": "IVR", "file": "a.json"}]})
    )
    with pytest.raises(ManifestError, match="type 'IVR'"):
        load_manifest(project.flows_dir)
    project.add("a", "CONTACT_FLOW", transfer_flow("x"))
    (project.flows_dir / "a.json").unlink()
    manifest = load_manifest(project.flows_dir)
    with pytest.raises(ManifestError, match="cannot read"):
        manifest.read_document(manifest.entry("a"))


def test_instance_arn_gives_its_id():
    assert instance_id_of(INSTANCE_ARN) == INSTANCE_ID
    assert instance_id_of(INSTANCE_ID) == INSTANCE_ID
    with pytest.raises(ValuesError):
        instance_id_of("arn:aws:connect:us-east-1:1:queue/x")


def test_public_surface_is_what_we_mean():
    import ivr.deploy

    assert sorted(ivr.deploy.__all__) == [
        "ClientFactory",
        "Environment",
        "Exported",
        "Outcome",
        "deploy",
        "export",
        "normalize",
        "write_import_files",
    ]
    assert all(hasattr(ivr.deploy, name) for name in ivr.deploy.__all__)
