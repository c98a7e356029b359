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
    for action, error_types in zip(ctx.flow.actions, ctx.error_types, strict=True):
        if action.type in _NEEDS_NO_MATCHING_ERROR and NO_MATCHING_ERROR not in error_types:
            yield _unwired_error(action)
        if action.type == "MessageParticipant":
            lost = _prompt_before_store_input(ctx, action)
            if lost is not None:
                yield lost
        elif action.type == "InvokeLambdaFunction":
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


# The types that can fail with NoMatchingError (the Flow language description says which).
_NEEDS_NO_MATCHING_ERROR = frozenset(
    name
    for name, kind in ACTIONS.items()
    if kind.errors is not None and NO_MATCHING_ERROR in kind.errors
)


def _unwired_error(action: Action) -> Finding:
    return warning(
        "unwired-error",
        action.identifier,
        f"{action.identifier} ({action.type}) can fail with {NO_MATCHING_ERROR} but has no "
        "Errors entry for it: give it a branch that tells the caller something",
    )


def _prompt_before_store_input(ctx: LintContext, action: Action) -> Finding | None:
    # A value, not a generator: this runs for every prompt.
    following = ctx.actions.get(action.transitions.next_action or "")
    if following is None or not is_store_mode(following):
        return None
    return warning(
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
