"""Reading stored rows into models: a row outside the model's bounds still answers the call.

Admins and other tools write the tables directly (SQL, the DynamoDB console), and neither
SQLite nor DynamoDB enforces the model's bounds, so a row can hold what the model refuses: a
101-character first name, tier "diamond", a number where a string belongs. Such a row is
read field by field:

* a field with a default takes it (unknown tier -> standard, unknown language -> ja, an
  unreadable delivery date -> none);
* a field the store names in `blank` (free text an answer can do without: the names) becomes
  "" -- not truncated: a value outside its bounds is not trusted in part, and a hundred
  characters of a corrupt name read out to the caller are worse than no name;
* any other field (a key, an owner, a status without a default) leaves nothing to answer
  from: `InvalidRecord`, which handlers answer as `unavailable` with what they know already.

Every such row is one warning naming the record type, the fields and the kind of problem
(pydantic's error type, e.g. `string_too_long`, `enum`), never a value, and one count of the
metric `stored_row_invalid`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel, ValidationError

from functions import observability
from functions.errors import InvalidRecord

__all__ = ["STORED_ROW_INVALID", "read_model"]

M = TypeVar("M", bound=BaseModel)

STORED_ROW_INVALID = "stored_row_invalid"
# Stands in for a blanked field while the rest of the row is validated (it meets any
# min_length of 1); the model then gets "" in its place.
_PLACEHOLDER = "x"


def read_model(
    model: type[M], values: Mapping[str, Any], *, backend: str, blank: Collection[str] = ()
) -> M:
    """`values` read from a store as a `model`, repaired as the module docstring says."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        problems = _problems(exc)
    fields = model.model_fields
    # Keys the model doesn't have are dropped, not fatal: other tools add attributes.
    problems = {name: kind for name, kind in problems.items() if not name or name in fields}
    unusable = sorted(
        name for name in problems if name not in blank and (not name or fields[name].is_required())
    )
    report(model.__name__, problems, backend, refused=bool(unusable))
    if unusable:
        raise InvalidRecord(_message(model.__name__, {n: problems[n] for n in unusable}))
    blanked = [name for name in problems if name in blank]
    kept = {name: value for name, value in values.items() if name in fields}
    for name in problems:
        kept.pop(name, None)
    kept.update(dict.fromkeys(blanked, _PLACEHOLDER))
    try:
        repaired = model.model_validate(kept)
    except ValidationError as exc:  # a model-level rule the repair broke: nothing to answer
        raise InvalidRecord(_message(model.__name__, _problems(exc))) from None
    return repaired.model_copy(update=dict.fromkeys(blanked, ""))


def report(record: str, problems: Mapping[str, str], backend: str, *, refused: bool) -> None:
    """Log (field names and kinds only) and count one stored row outside its bounds."""
    observability.logger().warning(
        "stored row outside its model's bounds",
        extra={
            "record": record,
            "store_backend": backend,
            "invalid_fields": dict(problems),
            "repair": "refused" if refused else "defaulted",
        },
    )
    observability.metrics().add_metric(name=STORED_ROW_INVALID, unit=MetricUnit.Count, value=1)


def _problems(exc: ValidationError) -> dict[str, str]:
    """{field: error kinds} of a validation error; "" for an error on the whole row.

    Built from `loc` and `type` only: pydantic's `input` and `ctx` carry the stored value.
    """
    problems: dict[str, set[str]] = {}
    for error in exc.errors(include_url=False, include_context=False, include_input=False):
        loc = error.get("loc", ())
        name = str(loc[0]) if loc else ""
        problems.setdefault(name, set()).add(str(error.get("type", "invalid")))
    return {name: "+".join(sorted(kinds)) for name, kinds in problems.items()}


def _message(record: str, problems: Mapping[str, str]) -> str:
    listed = ", ".join(f"{name or '(row)'} ({kind})" for name, kind in problems.items())
    return f"a stored {record} has no usable {listed}: correct the row"
