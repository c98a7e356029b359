"""`ivr export`: pull flows from the instance back into contact_flows/, as deploy read them.

The content is described, its known ARNs (the environment's values and the managed flows) are
turned back into placeholders, and it is written with the same `normalize` deploy uses, so an
export right after a deploy leaves the files byte for byte as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ivr.deploy.connect import ConnectFlows
from ivr.deploy.environment import ClientFactory, Environment, resolve
from ivr.deploy.manifest import load_manifest
from ivr.deploy.normalize import normalize
from ivr.deploy.placeholders import flow_key, restore
from ivr.errors import DeployError


@dataclass(frozen=True)
class Exported:
    name: str
    path: Path
    changed: bool  # False: the file already held exactly this


def export(
    env: Environment,
    names: Sequence[str],
    client_factory: ClientFactory,
    *,
    report: Callable[[str], None] = print,
) -> list[Exported]:
    """Export the named flows (all the manifest's when `names` is empty)."""
    manifest = load_manifest(env.flows_dir)
    entries = [manifest.entry(n) for n in names] if names else list(manifest.flows)
    settings = resolve(env, client_factory)
    connect = ConnectFlows(
        client_factory("connect", settings.region), settings.require_instance(env)
    )
    remote = connect.list_managed(manifest)
    values = dict(settings.values)
    for entry in manifest.flows:
        if entry.name in remote:
            values[flow_key(entry.placeholder_kind, entry.name)] = remote[entry.name].arn
    absent = [e.name for e in entries if e.name not in remote]
    if absent:
        raise DeployError(
            f"not on instance {settings.instance_id}: {', '.join(absent)}; deploy them first, "
            "or check --env / --instance-id"
        )
    exported = []
    for entry in entries:
        text = normalize(restore(connect.content(remote[entry.name]), values))
        path = manifest.path_of(entry)
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        if changed:
            path.write_text(text, encoding="utf-8")
        report(f"{entry.name}: {'written to' if changed else 'unchanged'} {path}")
        exported.append(Exported(entry.name, path, changed))
    return exported
