"""`ivr deploy`: lint, resolve placeholders, then create or update each flow in dependency order.

    deploy(env, client_factory)               to the instance (dry_run=True: read calls only)
    write_import_files(env, out_dir)          no AWS call: import-ready JSON for the console

Every write is recorded in deploy/state/<env>.json at once, so an interrupted deploy knows what
it did; a flow whose Content hash matches the record (and whose id is still on the instance) is
skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ivr.deploy.connect import ConnectFlows, RemoteFlow
from ivr.deploy.environment import ClientFactory, Environment, resolve
from ivr.deploy.errors import LintFailed, UnresolvedPlaceholders
from ivr.deploy.manifest import FlowEntry, Manifest, load_manifest
from ivr.deploy.normalize import content_sha256, content_text, normalize
from ivr.deploy.placeholders import flow_key, placeholders_in, restore, substitute
from ivr.deploy.plan import Plan, plan
from ivr.deploy.state import FlowRecord, load_state, save_state
from ivr.diff import diff_flows, format_changes
from ivr.errors import FlowError
from ivr.lint import lint_flow
from models.flow import FLOW_LANGUAGE_VERSION, Flow

Report = Callable[[str], None]


def _reserved_content(entry: FlowEntry) -> str:
    """Content for a flow created only to get an ARN (a cycle), replaced in the same run: no
    placeholder. SAVED flows aren't validated; modules can't be SAVED, so theirs must be valid."""
    terminal = "EndFlowModuleExecution" if entry.is_module else "DisconnectParticipant"
    action = {"Identifier": "reserved", "Type": terminal, "Parameters": {}, "Transitions": {}}
    return content_text(
        {"Version": FLOW_LANGUAGE_VERSION, "StartAction": "reserved", "Actions": [action]}
    )


@dataclass(frozen=True)
class Outcome:
    """What happened to one flow: created, updated, unchanged, reserved (SAVED draft for a
    cycle), would create, would update, no changes (dry run), written (--out)."""

    name: str
    action: str
    detail: str = ""


@dataclass(frozen=True)
class Flows:
    """The manifest and each flow's JSON as in the files (placeholders intact)."""

    manifest: Manifest
    documents: dict[str, dict[str, Any]]
    plan: Plan


def _utcnow() -> datetime:
    return datetime.now(UTC)


def load_flows(env: Environment, report: Report) -> Flows:
    """Read the manifest and its flows, lint them (errors raise LintFailed, warnings are
    reported), and plan the order."""
    manifest = load_manifest(env.flows_dir)
    documents = {e.name: manifest.read_document(e) for e in manifest.flows}
    findings = []
    for entry in manifest.flows:
        source = manifest.path_of(entry)
        try:
            flow = Flow.model_validate(documents[entry.name])
        except ValidationError as exc:
            raise FlowError(f"{source} is not a flow: {exc.errors()[0]['msg']}") from exc
        findings.extend(lint_flow(flow, raw=documents[entry.name], source=source))
    if any(f.severity == "error" for f in findings):
        raise LintFailed(findings)
    for finding in findings:
        report(str(finding))
    return Flows(manifest, documents, plan(manifest.flows, documents))


def _check_resolvable(flows: Flows, known: set[str]) -> None:
    """Every placeholder must be a value or a managed flow; else list what's missing, per flow."""
    managed = {flow_key(e.placeholder_kind, e.name) for e in flows.manifest.flows}
    missing = {
        name: unknown
        for name, document in flows.documents.items()
        if (unknown := placeholders_in(document) - known - managed)
    }
    if missing:
        raise UnresolvedPlaceholders(missing)


def _substituted(entry: FlowEntry, document: Any, values: Mapping[str, str]) -> Any:
    content, missing = substitute(document, values)
    if missing:
        raise UnresolvedPlaceholders({entry.name: sorted(missing)})
    return content


def deploy(
    env: Environment,
    client_factory: ClientFactory,
    *,
    dry_run: bool = False,
    report: Report = print,
    clock: Callable[[], datetime] = _utcnow,
) -> list[Outcome]:
    """Deploy the manifest's flows to the environment's instance; see the module docstring."""
    flows = load_flows(env, report)
    settings = resolve(env, client_factory)
    connect = ConnectFlows(
        client_factory("connect", settings.region), settings.require_instance(env)
    )
    remote = connect.list_managed(flows.manifest)
    values = dict(settings.values)
    for entry in flows.manifest.flows:
        if entry.name in remote:
            values[flow_key(entry.placeholder_kind, entry.name)] = remote[entry.name].arn
    _check_resolvable(flows, set(values))
    if dry_run:
        return _preview(flows, connect, remote, values, report)

    state = load_state(env.state_path)

    def record(entry: FlowEntry, flow: RemoteFlow, sha256: str, connect_sha: str | None) -> None:
        state.flows[entry.name] = FlowRecord(
            id=flow.id,
            arn=flow.arn,
            version=entry.version,
            sha256=sha256,
            flow_content_sha256=connect_sha,
            deployed_at=clock(),
        )
        save_state(env.state_path, state)

    outcomes: list[Outcome] = []
    for group in flows.plan.cycles:
        for name in group:
            if name in remote:
                continue
            entry = flows.manifest.entry(name)
            created = connect.create(entry, _reserved_content(entry), saved=True)
            remote[name] = created.flow
            values[flow_key(entry.placeholder_kind, name)] = created.flow.arn
            detail = "cycle " + " -> ".join(group)
            report(f"[-] {name}: reserved as a SAVED draft ({detail})")
            outcomes.append(Outcome(name, "reserved", detail))

    total = len(flows.plan.order)
    for position, entry in enumerate(flows.plan.order, start=1):
        content = content_text(_substituted(entry, flows.documents[entry.name], values))
        sha256 = content_sha256(content)
        previous = state.flows.get(entry.name)
        existing = remote.get(entry.name)
        if existing is None:
            created = connect.create(entry, content)
            remote[entry.name] = created.flow
            values[flow_key(entry.placeholder_kind, entry.name)] = created.flow.arn
            record(entry, created.flow, sha256, created.flow_content_sha256)
            action = "created"
        elif previous is not None and previous.sha256 == sha256 and previous.id == existing.id:
            action = "unchanged"
        else:
            connect.update(existing, content)
            record(entry, existing, sha256, None)
            action = "updated"
        report(f"[{position}/{total}] {entry.name}: {action}")
        outcomes.append(Outcome(entry.name, action))
    return outcomes


def _preview(
    flows: Flows,
    connect: ConnectFlows,
    remote: dict[str, RemoteFlow],
    values: Mapping[str, str],
    report: Report,
) -> list[Outcome]:
    """Dry run: each flow against what the instance runs, ARNs turned back into placeholders
    so only real changes show. Read calls only."""
    outcomes: list[Outcome] = []
    total = len(flows.plan.order)
    for position, entry in enumerate(flows.plan.order, start=1):
        local = flows.documents[entry.name]
        existing = remote.get(entry.name)
        if existing is None:
            cycle = flows.plan.in_cycle(entry.name)
            detail = f"as a SAVED draft first (cycle {' -> '.join(cycle)})" if cycle else ""
            outcome = Outcome(entry.name, "would create", detail)
        else:
            running = restore(connect.content(existing), values)
            changes = diff_flows(Flow.model_validate(running), Flow.model_validate(local))
            if changes:
                outcome = Outcome(entry.name, "would update", format_changes(changes))
            else:
                outcome = Outcome(entry.name, "no changes")
        line = f"[{position}/{total}] {entry.name}: {outcome.action}"
        if outcome.action == "would create" and outcome.detail:
            line += f" {outcome.detail}"
        report(line)
        if outcome.action == "would update":
            report(_indent(outcome.detail))
        outcomes.append(outcome)
    return outcomes


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip("\n").splitlines())


def write_import_files(env: Environment, out_dir: Path, *, report: Report = print) -> list[Outcome]:
    """`deploy --out`: each flow substituted from the values file alone (no AWS call), linted,
    normalized, written to `<out_dir>/<file>` for import in the Connect console. References to
    other flows need their ARNs in the values file (`"Flow:<name>": "arn:..."`)."""
    flows = load_flows(env, report)
    settings = resolve(env, None)
    missing = {
        name: unknown
        for name, document in flows.documents.items()
        if (unknown := placeholders_in(document) - set(settings.values))
    }
    if missing:
        raise UnresolvedPlaceholders(missing)
    outcomes = []
    total = len(flows.plan.order)
    for position, entry in enumerate(flows.plan.order, start=1):
        content = _substituted(entry, flows.documents[entry.name], settings.values)
        target = out_dir / entry.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(normalize(content), encoding="utf-8")
        report(f"[{position}/{total}] {entry.name}: written to {target}")
        outcomes.append(Outcome(entry.name, "written", str(target)))
    return outcomes
