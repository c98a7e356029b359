"""The flow-to-function contract: what a flow passes a function and reads back from it.

For each InvokeLambdaFunction whose ARN is one of our `${<LogicalId>Arn}` placeholders, the
handler named in template.yaml is read for its contract (models/contract.py `HandlerContract`:
the models its signature declares, `handler.contract` once `functions.runtime.connect_handler`
has read them; ivr/lint/declared.py reads the same from the source). Every
`$.External.<key>` read on the paths after the call, up to the next call, must be a key the
function can answer; every required parameter must be passed; a Compare of `$.External.reason`
must compare with reasons the function declares (its response model's `reasons`).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ivr.flow_language import ACTIONS
from ivr.lint.context import LintContext
from ivr.lint.declared import declared_models
from ivr.lint.findings import Finding, error, warning
from ivr.lint.jsonpath import external_keys, strings_in
from ivr.lint.placeholders import OWN_PLACEHOLDER
from ivr.template import FunctionSpec, function_for_placeholder
from models.contract import HandlerContract
from models.flow import Action

# After these, `$.External` may hold another function's answer: stop following the path.
_REPLACES_EXTERNAL = frozenset(t for t, spec in ACTIONS.items() if spec.replaces_external)


@dataclass(frozen=True)
class Contract:
    function: str
    response_keys: frozenset[str]
    required: frozenset[str]
    accepted: frozenset[str]
    reasons: frozenset[str]


def check(ctx: LintContext) -> Iterator[Finding]:
    template = ctx.template_path
    if template is None:
        return  # the placeholder rule already says the template is missing
    for action in ctx.flow.actions:
        if action.type != "InvokeLambdaFunction":
            continue
        arn = action.params.get("LambdaFunctionARN")
        if not isinstance(arn, str) or not OWN_PLACEHOLDER.fullmatch(arn.strip()):
            continue
        spec = function_for_placeholder(arn, template)
        if spec is None:
            continue  # not a function of the template: reported by the placeholder rule
        contract = load_contract(spec, template)
        if isinstance(contract, Finding):
            yield _about(contract, action)
            continue
        yield from _parameters(action, contract)
        yield from _reads_after(ctx, action, contract)


def load_contract(spec: FunctionSpec, template: Path) -> Contract | Finding:
    """The handler's declared contract, or the finding that says why it can't be read.

    Read from the handler's source when it names its models plainly (ivr/lint/declared.py:
    importing every handler was ~40 % of a lint run); else the handler is imported."""
    declared = declared_models(
        template.resolve().parent, spec.module, spec.attribute, lambda m: _import(m, template)
    )
    if declared is not None:
        return _contract(spec.logical_id, declared)
    try:
        handler = getattr(_import(spec.module, template), spec.attribute)
    except Exception as exc:  # a module failing at import is as broken for Lambda as for us
        return error(
            "handler-import",
            "",
            f"cannot import {spec.handler} (the Handler of {spec.logical_id} in {template}): {exc}",
        )
    declared_contract = getattr(handler, "contract", None)
    if not isinstance(declared_contract, HandlerContract):
        return warning(
            "no-contract",
            "",
            f"{spec.handler} is not built with functions.runtime.connect_handler, so its "
            "keys and parameters can't be checked",
        )
    return _contract(spec.logical_id, declared_contract)


def _contract(function: str, declared: HandlerContract[Any, Any]) -> Contract:
    return Contract(
        function,
        frozenset(declared.response.keys()),
        frozenset(declared.parameters.required()),
        frozenset(declared.parameters.accepted()),
        frozenset(str(reason) for reason in declared.response.reasons),
    )


def _import(module: str, template: Path) -> Any:
    """Import `module` as Lambda would: from the template's folder (the CodeUri `.`)."""
    root = str(template.resolve().parent)
    added = root not in sys.path
    if added:
        sys.path.insert(0, root)
    try:
        return importlib.import_module(module)
    finally:
        if added:
            sys.path.remove(root)


def _about(finding: Finding, action: Action) -> Finding:
    return Finding(
        finding.severity, finding.code, action.identifier, f"{action.identifier}: {finding.message}"
    )


def _parameters(action: Action, contract: Contract) -> Iterator[Finding]:
    passed = action.params.get("LambdaInvocationAttributes") or {}
    if not isinstance(passed, dict):
        return
    for name in sorted(contract.required - passed.keys()):
        yield error(
            "missing-parameter",
            action.identifier,
            f"{action.identifier}: {contract.function} requires the parameter {name!r}; add it "
            "to LambdaInvocationAttributes",
        )
    for name in sorted(passed.keys() - contract.accepted):
        yield warning(
            "unaccepted-parameter",
            action.identifier,
            f"{action.identifier}: passes {name!r}, which {contract.function} does not accept "
            f"(it takes {', '.join(sorted(contract.accepted))})",
        )


def _reads_after(ctx: LintContext, call: Action, contract: Contract) -> Iterator[Finding]:
    # The error branch of the call itself leaves no answer to read; follow success paths.
    pending = [t for label, t in ctx.successors(call) if not label.startswith("error:")]
    seen: set[str] = set()
    while pending:
        identifier = pending.pop()
        if identifier in seen:
            continue
        seen.add(identifier)
        action = ctx.actions[identifier]
        keys = sorted(
            {k for text in strings_in(action.params) for k in external_keys(text)}
            - contract.response_keys
        )
        for key in keys:
            yield error(
                "unknown-external-key",
                identifier,
                f"{identifier}: reads $.External.{key}, but {contract.function} "
                f"(called in {call.identifier}) never answers {key!r}; it answers "
                f"{', '.join(sorted(contract.response_keys))}",
            )
        yield from _reasons_compared(action, call, contract)
        if action.type in _REPLACES_EXTERNAL:
            continue
        pending.extend(t for _, t in ctx.successors(action))


def _reasons_compared(action: Action, call: Action, contract: Contract) -> Iterator[Finding]:
    """A Compare of `$.External.reason` whose operand the function never answers: a branch no
    call can take (a renamed or mistyped reason)."""
    if action.type != "Compare" or action.params.get("ComparisonValue") != "$.External.reason":
        return
    for transition in action.transitions.conditions:
        for operand in transition.condition.operands:
            if isinstance(operand, str) and operand not in contract.reasons:
                yield error(
                    "unknown-reason",
                    action.identifier,
                    f"{action.identifier}: compares $.External.reason with {operand!r}, but "
                    f"{contract.function} (called in {call.identifier}) never answers that "
                    f"reason; it answers {', '.join(sorted(r for r in contract.reasons if r))}",
                )
