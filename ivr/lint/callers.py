"""Warnings for what Connect imports but callers suffer: actions nobody reaches, failures
with nowhere to go, keys lost during a prompt, and silence while Lambdas run back to back."""

from __future__ import annotations

from collections.abc import Iterator

from ivr.flow_language import ACTIONS, NO_MATCHING_ERROR
from ivr.lint.context import LintContext
from ivr.lint.findings import Finding, warning
from ivr.lint.parameters import is_store_mode
from models.flow import Action


def check(ctx: LintContext) -> Iterator[Finding]:
    yield from _unreachable(ctx)
    for action in ctx.flow.actions:
        unwired = _unwired_error(action)
        if unwired is not None:
            yield unwired
        if action.type == "MessageParticipant":
            yield from _prompt_before_store_input(ctx, action)
        if action.type == "InvokeLambdaFunction":
            yield from _chained_lambdas(ctx, action)


def _unreachable(ctx: LintContext) -> Iterator[Finding]:
    if ctx.flow.start_action not in ctx.actions:
        return  # every action would be reported; the missing StartAction is the error
    reached = ctx.reachable()
    for action in ctx.flow.actions:
        if action.identifier not in reached:
            yield warning(
                "unreachable-action",
                action.identifier,
                f"{action.identifier} ({action.type}): no path from StartAction reaches it; "
                "wire it in or delete it",
            )


def _unwired_error(action: Action) -> Finding | None:
    # A value, not a generator: this runs for every action.
    kind = ACTIONS.get(action.type)
    if kind is None or kind.errors is None or NO_MATCHING_ERROR not in kind.errors:
        return None
    if any(e.error_type == NO_MATCHING_ERROR for e in action.transitions.errors):
        return None
    return warning(
        "unwired-error",
        action.identifier,
        f"{action.identifier} ({action.type}) can fail with {NO_MATCHING_ERROR} but has no "
        "Errors entry for it: give it a branch that tells the caller something",
    )


def _prompt_before_store_input(ctx: LintContext, action: Action) -> Iterator[Finding]:
    if action.type != "MessageParticipant":
        return
    following = ctx.actions.get(action.transitions.next_action or "")
    if following is not None and is_store_mode(following):
        yield warning(
            "prompt-before-store-input",
            action.identifier,
            f"{action.identifier}: a prompt plays right before {following.identifier} "
            "stores the caller's input, and keys pressed during the prompt are lost; put "
            "the prompt text in the Store customer input block itself",
        )


def _chained_lambdas(ctx: LintContext, first: Action) -> Iterator[Finding]:
    """Lambdas reached from `first` through actions that play nothing."""
    seen: set[str] = set()
    pending = [t for _, t in ctx.successors(first)]
    while pending:
        identifier = pending.pop()
        if identifier in seen:
            continue
        seen.add(identifier)
        action = ctx.actions[identifier]
        kind = ACTIONS.get(action.type)
        if kind is not None and kind.speaks:
            continue
        if action.type == "InvokeLambdaFunction":
            if identifier != first.identifier:
                yield warning(
                    "chained-lambdas",
                    identifier,
                    f"{identifier}: invokes a Lambda right after {first.identifier} with no "
                    "prompt between, so the caller hears silence for both; merge the calls "
                    "or play something between them",
                )
            continue
        pending.extend(t for _, t in ctx.successors(action))
