"""Placeholders in flow values.

Ours are substituted by `ivr deploy`: `${Name}` from the stack's outputs or the environment's
values file, `${Flow:<name>}` / `${Module:<name>}` from the flows it deploys. Deploy reports any
it cannot fill, so lint only insists that a `${<LogicalId>Arn}` in LambdaFunctionARN names a
function of template.yaml (the contract check needs it). Anybody else's templating
(`${Q:sales:Q}`, `%QueueArn%`, `REPLACE_WITH_LAMBDA_ARN`) is left for its owner's tooling and
only warned about, since Connect would store the text as is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from ivr.lint.context import LintContext
from ivr.lint.findings import Finding, error, warning
from ivr.lint.jsonpath import strings_in
from ivr.template import functions_in, load_template
from models.flow import Action

OWN_PLACEHOLDER = re.compile(r"\$\{(?P<name>[A-Za-z0-9]+Arn)\}")
# What ivr deploy substitutes (ivr/deploy/placeholders.py): not a finding here.
DEPLOY_PLACEHOLDER = re.compile(r"\$\{(?:[A-Za-z0-9]+|(?:Flow|Module):[^{}:]+)\}")
_FOREIGN_PLACEHOLDERS = (
    re.compile(r"\$\{[^}]*\}"),
    re.compile(r"%[A-Za-z_][A-Za-z0-9_]*%"),
    re.compile(r"\bREPLACE_WITH_[A-Za-z0-9_]+"),
    re.compile(r"\bENTER [A-Z][A-Z0-9 ]* HERE\b"),
)


def check(ctx: LintContext) -> Iterator[Finding]:
    for action in ctx.flow.actions:
        foreign: set[str] = set()
        for text in strings_in(action.params):
            if _may_hold_placeholder(text):
                for pattern in _FOREIGN_PLACEHOLDERS:
                    foreign.update(m.group(0) for m in pattern.finditer(text))
        if not foreign:
            continue  # the rest only looks at what was found
        function_arn = action.params.get("LambdaFunctionARN")
        for placeholder in sorted(p for p in foreign if OWN_PLACEHOLDER.fullmatch(p)):
            foreign.discard(placeholder)
            problem = _undefined(placeholder, ctx.template_path)
            if problem is None:
                continue
            if isinstance(function_arn, str) and function_arn.strip() == placeholder:
                yield error(
                    "unknown-function", action.identifier, f"{action.identifier}: {problem}"
                )
        foreign = {p for p in foreign if not DEPLOY_PLACEHOLDER.fullmatch(p)}
        if foreign:
            yield _unresolved(action, sorted(foreign))


def _may_hold_placeholder(text: str) -> bool:
    """False when no pattern of _FOREIGN_PLACEHOLDERS can match `text`: each needs one of
    these substrings, and four `in` tests cost less than four regex scans (per action)."""
    return "${" in text or "%" in text or "REPLACE_WITH_" in text or "ENTER " in text


def _undefined(placeholder: str, template: Path | None) -> str | None:
    """Why `${NameArn}` can't be substituted from the template, or None when it can."""
    name = placeholder[2:-1]
    if template is None:
        return (
            f"{placeholder} needs the template.yaml that defines it, and none was found "
            "upward from the flow: pass --template"
        )
    if name[: -len("Arn")] in functions_in(template.resolve()) or name in _defined(template):
        return None
    return (
        f"{placeholder} names no function in {template}: define the Lambda "
        f"{name[: -len('Arn')]} there or fix the name"
    )


@cache
def _defined(template: Path) -> frozenset[str]:
    """Names deploy can substitute besides functions: the template's Outputs and Parameters."""
    document = load_template(template)
    return frozenset(document.get("Outputs") or {}) | frozenset(document.get("Parameters") or {})


def _unresolved(action: Action, placeholders: list[str]) -> Finding:
    shown = ", ".join(placeholders[:5]) + (" ..." if len(placeholders) > 5 else "")
    return warning(
        "unresolved-placeholder",
        action.identifier,
        f"{action.identifier}: unresolved placeholder {shown}; Connect stores the text as "
        "is, so substitute it before importing",
    )
