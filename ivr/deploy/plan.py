"""Deploy order: a flow goes after the flows and modules it refers to (`${Flow:x}`,
`${Module:x}`), so their ARNs exist when its content is sent.

Flows that refer to each other (a cycle, or a flow transferring to itself) can't be ordered;
`cycles` names them, and deploy first creates the missing ones as SAVED drafts to get ARNs.
Ties keep the manifest's order, so the plan is stable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ivr.deploy.errors import ManifestError
from ivr.deploy.manifest import FlowEntry
from ivr.deploy.placeholders import flow_references


@dataclass(frozen=True)
class Plan:
    order: list[FlowEntry]
    dependencies: dict[str, set[str]]  # flow name -> managed flow names it refers to
    cycles: list[list[str]]  # each a group of flows that refer to each other, manifest order

    def in_cycle(self, name: str) -> list[str] | None:
        return next((group for group in self.cycles if name in group), None)


def dependencies_of(
    entries: Sequence[FlowEntry], documents: Mapping[str, Any]
) -> dict[str, set[str]]:
    """Managed flows each flow refers to. A reference to an unmanaged name is a plain value
    (the values file may give it); a reference with the wrong kind is a manifest error."""
    by_name = {e.name: e for e in entries}
    found: dict[str, set[str]] = {}
    for entry in entries:
        found[entry.name] = set()
        for kind, name in flow_references(documents[entry.name]):
            target = by_name.get(name)
            if target is None:
                continue
            if kind != target.placeholder_kind:
                raise ManifestError(
                    f"{entry.name} refers to ${{{kind}:{name}}}, but {name} is a "
                    f"{target.type}; write ${{{target.placeholder_kind}:{name}}}"
                )
            found[entry.name].add(name)
    return found


def _strongly_connected(names: Sequence[str], edges: Mapping[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm; the flow graph is small, recursion is fine."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for name in names:
        if name not in index:
            visit(name)
    return groups


def plan(entries: Sequence[FlowEntry], documents: Mapping[str, Any]) -> Plan:
    names = [e.name for e in entries]
    position = {name: i for i, name in enumerate(names)}
    edges = dependencies_of(entries, documents)
    groups = _strongly_connected(names, edges)
    group_of = {name: i for i, group in enumerate(groups) for name in group}
    cycles = [
        sorted(group, key=position.__getitem__)
        for group in groups
        if len(group) > 1 or any(name in edges[name] for name in group)
    ]
    placed: set[str] = set()
    order: list[str] = []
    while len(order) < len(names):
        # The first group (in manifest order) whose outside dependencies are all placed.
        for name in names:
            if name in placed:
                continue
            group = groups[group_of[name]]
            outside = set().union(*(edges[m] for m in group)) - group
            if outside <= placed:
                members = sorted(group, key=position.__getitem__)
                order.extend(members)
                placed.update(members)
                break
    by_name = {e.name: e for e in entries}
    return Plan([by_name[n] for n in order], edges, cycles)
