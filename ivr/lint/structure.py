"""Rules on the shape of a flow that Connect checks on import: version, size, Identifiers,
action types and transitions that name existing actions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ivr.flow_language import (
    ACTIONS,
    IDENTIFIER_FORBIDDEN,
    JS_RESERVED_NAMES,
    MAX_IDENTIFIER_CHARS,
)
from ivr.lint.context import LintContext
from ivr.lint.findings import Finding, error
from models.flow import FLOW_LANGUAGE_VERSION, MAX_ACTIONS, MAX_CONTENT_CHARS

# One regex scan per Identifier instead of building a set of its characters.
_FORBIDDEN = re.compile("[" + re.escape("".join(sorted(IDENTIFIER_FORBIDDEN))) + "]")


def check(ctx: LintContext) -> Iterator[Finding]:
    yield from _version(ctx)
    yield from _size(ctx)
    yield from _identifiers(ctx)
    yield from _types(ctx)
    yield from _transitions(ctx)


def _version(ctx: LintContext) -> Iterator[Finding]:
    if ctx.flow.version != FLOW_LANGUAGE_VERSION:
        yield error(
            "wrong-version",
            "",
            f"Version is {ctx.flow.version!r}; Connect only imports "
            f"{FLOW_LANGUAGE_VERSION!r} (a legacy console export has to be rebuilt)",
        )


def _size(ctx: LintContext) -> Iterator[Finding]:
    count = len(ctx.flow.actions)
    if count > MAX_ACTIONS:
        yield error(
            "too-many-actions",
            "",
            f"the flow has {count} actions; Connect accepts at most {MAX_ACTIONS}: "
            "move a part into a flow module or a second flow",
        )
    if ctx.size > MAX_CONTENT_CHARS:
        yield error(
            "content-too-large",
            "",
            f"the flow's content is {ctx.size:,} characters; Connect accepts at most "
            f"{MAX_CONTENT_CHARS:,}: split it into modules",
        )


def identifier_problem(identifier: str) -> str | None:
    """Why Connect would refuse `identifier`, or None."""
    if not identifier:
        return "is empty"
    if len(identifier) > MAX_IDENTIFIER_CHARS:
        return f"is {len(identifier)} characters long (at most {MAX_IDENTIFIER_CHARS})"
    if _FORBIDDEN.search(identifier):
        bad = sorted(set(identifier) & IDENTIFIER_FORBIDDEN)
        return f"contains {' '.join(bad)} (not allowed: % : ( \\ / ) = $ , ; [ ] {{ }})"
    if identifier in JS_RESERVED_NAMES:
        return "is a reserved JavaScript name"
    return None


def _identifiers(ctx: LintContext) -> Iterator[Finding]:
    counts = Counter(a.identifier for a in ctx.flow.actions)
    for identifier, count in counts.items():
        if count > 1:
            yield error(
                "duplicate-identifier",
                identifier,
                f"{count} actions share the Identifier {identifier!r}: give each its own",
            )
        problem = identifier_problem(identifier)
        if problem:
            yield error("invalid-identifier", identifier, f"Identifier {identifier!r} {problem}")


def _types(ctx: LintContext) -> Iterator[Finding]:
    for action in ctx.flow.actions:
        if action.type not in ACTIONS:
            yield error(
                "unknown-action-type",
                action.identifier,
                f"{action.identifier}: unknown action Type {action.type!r} (legacy console "
                "names such as SetQueue or SetVoice are not flow-language types)",
            )


def _transitions(ctx: LintContext) -> Iterator[Finding]:
    start = ctx.flow.start_action
    if start not in ctx.actions:
        yield error(
            "dangling-start-action",
            "",
            f"StartAction {start!r} names no action in the flow"
            if start
            else "the flow has no StartAction: name the first action's Identifier",
        )
    actions = ctx.actions
    for action, targets in zip(ctx.flow.actions, ctx.targets, strict=True):
        # Every target present (the usual case): skip formatting the branch labels.
        if all(target in actions for target in targets):
            continue
        for label, target in action.transitions.targets():
            if target not in ctx.actions:
                yield error(
                    "dangling-next-action",
                    action.identifier,
                    f"{action.identifier}: branch {label} goes to {target!r}, "
                    "which names no action in the flow",
                )
