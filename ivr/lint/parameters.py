"""Rules on what each action passes and branches on: the parameters the reference requires,
string-only parameter values (except where Connect takes any JSON), the Lambda time limit,
store- vs menu-mode input, fixed conditions, operators and JSONPath namespaces."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ivr.flow_language import (
    ACTIONS,
    CONDITION_OPERATORS,
    FIXED_CONDITIONS,
    JSONPATH_NAMESPACES,
    LAMBDA_TIME_LIMIT_S,
    MENU_KEYS,
)
from ivr.lint.context import LintContext
from ivr.lint.findings import Finding, error
from ivr.lint.jsonpath import namespaces, strings_in
from models.flow import Action

_LEX_PARAMETERS = frozenset({"LexV2Bot", "LexBot"})


# Types with a required parameter: most have none, so the common action skips the rule here.
_REQUIRED = {t: spec.required for t, spec in ACTIONS.items() if spec.required}


def check(ctx: LintContext) -> Iterator[Finding]:
    for action in ctx.flow.actions:
        # The common case (only text values, no JSONPath, no Conditions) is settled here in
        # one pass over the values: a generator per rule and action cost ~2 s on 100,000.
        params = action.params
        plain = True
        for value in params.values():
            if type(value) is not str or "$" in value:
                plain = False
                break
        if not plain:
            yield from _string_values(action)
            yield from _jsonpaths(action)
        if action.transitions.conditions:
            yield from _operators(action)
        required = _REQUIRED.get(action.type)
        if required is not None:
            yield from _missing(action, required)
        if action.type == "InvokeLambdaFunction":
            yield from _lambda_time_limit(action)
        if action.type == "GetParticipantInput":
            yield from _input_mode(action)
        if action.type in FIXED_CONDITIONS:
            yield from _fixed_conditions(action, FIXED_CONDITIONS[action.type])


def is_store_mode(action: Action) -> bool:
    return action.type == "GetParticipantInput" and action.params.get("StoreInput") == "True"


def _missing(action: Action, required: tuple[str, ...]) -> Iterator[Finding]:
    for name in required:
        if name not in action.params:
            yield error(
                "missing-parameter",
                action.identifier,
                f"{action.identifier}: {action.type} needs the parameter {name} "
                f"({ACTIONS[action.type].source.split(';')[0]})",
            )


def _non_strings(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every scalar that is not a string. Lists are walked, not
    flagged: Connect documents some (RecordedParticipants, Messages, Events)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _non_strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _non_strings(item, f"{path}[{index}]")
    elif not isinstance(value, str):
        yield path, value


def _string_values(action: Action) -> Iterator[Finding]:
    spec = ACTIONS.get(action.type)
    free_form = spec.free_form if spec is not None else frozenset()
    checked = {k: v for k, v in action.params.items() if k not in free_form}
    for path, value in _non_strings(checked, "Parameters"):
        shown = "True" if value is True else "False" if value is False else str(value)
        yield error(
            "non-string-parameter",
            action.identifier,
            f"{action.identifier}: {path} is the JSON {type(value).__name__} "
            f'{value!r}; Connect takes parameter values as strings (write "{shown}")',
        )


def _jsonpaths(action: Action) -> Iterator[Finding]:
    unknown = sorted(
        {
            namespace
            for text in strings_in(action.params)
            if "$" in text  # no JSONPath without one
            for namespace in namespaces(text)
            if namespace not in JSONPATH_NAMESPACES
        }
    )
    for namespace in unknown:
        yield error(
            "unknown-jsonpath",
            action.identifier,
            f"{action.identifier}: $.{namespace} is not a Connect attribute namespace "
            "(use $.Attributes.<key>, $.External.<key>, $.StoredCustomerInput, ...)",
        )


def _operators(action: Action) -> Iterator[Finding]:
    for transition in action.transitions.conditions:
        operator = transition.condition.operator
        if operator not in CONDITION_OPERATORS:
            yield error(
                "unknown-operator",
                action.identifier,
                f"{action.identifier}: condition operator {operator!r} is not one of "
                f"{', '.join(sorted(CONDITION_OPERATORS))}",
            )


def _lambda_time_limit(action: Action) -> Iterator[Finding]:
    low, high = LAMBDA_TIME_LIMIT_S
    raw = action.params.get("InvocationTimeLimitSeconds")
    if raw is None or not isinstance(raw, str):
        return  # absent: Connect's default; not a string: reported as non-string-parameter
    try:
        seconds = float(raw)
    except ValueError:
        seconds = None
    if seconds is None or not low <= seconds <= high:
        yield error(
            "invocation-time-limit",
            action.identifier,
            f"{action.identifier}: InvocationTimeLimitSeconds is {raw!r}; Connect waits "
            f"{low:g} to {high:g} seconds for a Lambda",
        )


def _input_mode(action: Action) -> Iterator[Finding]:
    conditions = action.transitions.conditions
    if is_store_mode(action):
        if conditions:
            yield error(
                "store-input-conditions",
                action.identifier,
                f'{action.identifier}: stores the caller\'s input (StoreInput "True") but '
                "has Conditions; branch on $.StoredCustomerInput with a Compare instead",
            )
        if not action.params.get("InputValidation"):
            yield error(
                "store-input-validation",
                action.identifier,
                f'{action.identifier}: StoreInput "True" needs InputValidation '
                '(CustomValidation {"MaximumLength": "..."} or PhoneNumberValidation)',
            )
        return
    if _LEX_PARAMETERS & action.params.keys():
        return  # a Lex bot answers with intent names, not keys
    for transition in conditions:
        condition = transition.condition
        operands = condition.operands
        if condition.operator != "Equals":
            yield error(
                "menu-operator",
                action.identifier,
                f"{action.identifier}: a menu compares the key pressed with Equals only, "
                f"not {condition.operator!r}",
            )
        if len(operands) != 1 or not isinstance(operands[0], str) or operands[0] not in MENU_KEYS:
            yield error(
                "menu-operand",
                action.identifier,
                f"{action.identifier}: menu condition {operands!r} is not exactly one key of "
                '0-9 * #; take several digits with Store customer input (StoreInput "True")',
            )


def _fixed_conditions(action: Action, expected: frozenset[str]) -> Iterator[Finding]:
    seen = [
        (t.condition.operator, tuple(str(o) for o in t.condition.operands))
        for t in action.transitions.conditions
    ]
    wanted = sorted(("Equals", (value,)) for value in expected)
    if sorted(seen) != wanted:
        names = " and ".join(f'Equals "{value}"' for value in sorted(expected))
        yield error(
            "required-conditions",
            action.identifier,
            f"{action.identifier}: {action.type} needs exactly two Conditions, {names}",
        )
