"""Placeholders in flow values: ours (`${IdentifyCallerFunctionArn}`, substituted by
`ivr deploy` from template.yaml) must name a function the template defines; anybody else's
templating (`${Q:sales:Q}`, `%QueueArn%`, `REPLACE_WITH_LAMBDA_ARN`) is left for its owner's
tooling and only warned about, since Connect would store the text as is."""

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
_FOREIGN_PLACEHOLDERS = (
    re.compile(r"\$\{[^}]*\}"),
    re.compile(r"%[A-Za-z_][A-Za-z0-9_]*%"),
    re.compile(r"\bREPLACE_WITH_[A-Za-z0-9_]+"),
    re.compile(r"\bENTER [A-Z][A-Z0-9 ]* HERE\b"),
)


def check(ctx: LintContext) -> Iterator[Finding]:
    for action in ctx.flow.actions:
        texts = list(strings_in(action.params))
        own = sorted({m["name"] for text in texts for m in OWN_PLACEHOLDER.finditer(text)})
        for name in own:
            problem = _undefined(name, ctx.template_path)
            if problem:
                yield error(
                    "unknown-function", action.identifier, f"{action.identifier}: {problem}"
                )
        foreign = sorted(
            {
                match.group(0)
                for text in texts
                for pattern in _FOREIGN_PLACEHOLDERS
                for match in pattern.finditer(text)
                if not OWN_PLACEHOLDER.fullmatch(match.group(0))
            }
        )
        if foreign:
            yield _unresolved(action, foreign)


def _undefined(name: str, template: Path | None) -> str | None:
    placeholder = "${" + name + "}"
    if template is None:
        return (
            f"{placeholder} needs the template.yaml that defines it, and none was found "
            "upward from the flow: pass --template"
        )
    if name[: -len("Arn")] in functions_in(template.resolve()) or name in _outputs(template):
        return None
    return (
        f"{placeholder} names no function in {template}: define the Lambda "
        f"{name[: -len('Arn')]} there or fix the name"
    )


@cache
def _outputs(template: Path) -> frozenset[str]:
    return frozenset((load_template(template).get("Outputs") or {}).keys())


def _unresolved(action: Action, placeholders: list[str]) -> Finding:
    shown = ", ".join(placeholders[:5]) + (" ..." if len(placeholders) > 5 else "")
    return warning(
        "unresolved-placeholder",
        action.identifier,
        f"{action.identifier}: unresolved placeholder {shown}; Connect stores the text as "
        "is, so substitute it before importing",
    )
