"""What a function may answer Connect: a STRING_MAP it is guaranteed to accept.

Connect's STRING_MAP response type takes a flat JSON object of string values, under 32 KB of
UTF-8 (https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html).
`ConnectResponse` subclasses declare their keys as `str` fields; a field of another type, or a
key outside `[A-Za-z0-9_-]`, fails when the class is defined, and an oversized answer fails in
`to_string_map`: an invalid response is our error, caught by our tests, never Connect's Error
branch.
"""

from __future__ import annotations

import enum
import re
import typing
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

# STRING_MAP_LIMIT_BYTES stays importable from here, where the STRING_MAP rules are.
from models.connect_limits import STRING_MAP_LIMIT_BYTES as STRING_MAP_LIMIT_BYTES
from models.connect_limits import answer_too_large

_KEY = re.compile(r"[A-Za-z0-9_-]{1,128}")


class ResponseContractError(ValueError):
    """A response Connect would reject. Always a bug in the function that built it."""


class Status(StrEnum):
    """What happened, for the flow to branch on with a Compare on `$.External.status`."""

    OK = "ok"
    INVALID_INPUT = "invalid_input"
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"


class RuntimeReason(StrEnum):
    """The `reason` values the handler runtime answers for any function (functions/runtime.py),
    each a declared word: renaming an exception class changes none of them."""

    NONE = ""
    TIMEOUT = "timeout"
    INVALID_CONTACT_ID = "invalid_contact_id"
    MISSING_PARAMETER = "missing_parameter"
    INVALID_PARAMETER = "invalid_parameter"
    NOT_FOUND = "not_found"
    INTERNAL_ERROR = "internal_error"
    # Store failures (functions/errors.py: each StoreError class names its reason).
    STORE_ERROR = "store_error"
    STORE_UNAVAILABLE = "store_unavailable"
    ALREADY_EXISTS = "already_exists"
    CONFIGURATION_ERROR = "configuration_error"
    INVALID_RECORD = "invalid_record"


def flag(value: bool) -> str:
    """Booleans travel as "true" / "false": Compare matches strings exactly."""
    return "true" if value else "false"


def string_map(values: Mapping[str, Any]) -> dict[str, str]:
    """`values` checked against Connect's STRING_MAP rules, as a new plain dict."""
    result: dict[str, str] = {}
    for key, value in values.items():
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ResponseContractError(
                f"response key {key!r} is not 1-128 characters of [A-Za-z0-9_-]"
            )
        if not isinstance(value, str):
            raise ResponseContractError(
                f"response value of {key!r} is {type(value).__name__}, not str: "
                "convert it (flag() for booleans, str() for numbers)"
            )
        result[key] = value
    too_large = answer_too_large(result)
    if too_large is not None:
        raise ResponseContractError(too_large)
    return result


def _is_text_type(annotation: Any) -> bool:
    if annotation is str:
        return True
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return issubclass(annotation, str)
    if typing.get_origin(annotation) is typing.Literal:
        return all(isinstance(arg, str) for arg in typing.get_args(annotation))
    return False


class ConnectResponse(BaseModel):
    """Base of every function's answer. Fields are camelCase keys in `$.External`.

    Every field has a default so that the runtime can answer any failure with the same shape
    (`Model.failure(Status.UNAVAILABLE, "timeout")`), and the flow reads the same keys on every
    path.
    """

    # defer_build: the validator and serializer are built on first use, not at import.
    # `ivr lint` imports every function's models only to read their fields (keys,
    # required, accepted); in Lambda functions/snapstart.py builds them during init.
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        defer_build=True,
    )

    # Every `reason` this response may carry: the runtime's, plus what a subclass declares
    # (`reasons = ConnectResponse.reasons | frozenset(MyReason)`). A reason outside it fails
    # when the response is built, so a flow can only ever see a declared value.
    reasons: ClassVar[frozenset[str]] = frozenset(RuntimeReason)

    status: Status = Status.OK
    reason: str = ""

    def model_post_init(self, context: Any, /) -> None:
        # A hook, not a field_validator: importing pydantic's validator decorators costs
        # every function's cold start ~25 ms of imports (pydantic.fields, pydantic.types).
        if self.reason not in type(self).reasons:
            raise ResponseContractError(
                f"reason {self.reason!r} is not declared by {type(self).__name__}: add it to "
                "its `reasons`"
            )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for name, field in cls.model_fields.items():
            key = field.alias or name
            if not _KEY.fullmatch(key):
                raise TypeError(f"{cls.__name__}.{name}: key {key!r} is not [A-Za-z0-9_-]")
            if not _is_text_type(field.annotation):
                raise TypeError(
                    f"{cls.__name__}.{name} is {field.annotation!r}: STRING_MAP values are "
                    "strings, declare it str (or a str enum / Literal of strings)"
                )
            if field.is_required():
                raise TypeError(f"{cls.__name__}.{name} needs a default: failures omit it")

    @classmethod
    def keys(cls) -> frozenset[str]:
        """Every key this response can put in `$.External` (the flow contract)."""
        return frozenset((f.alias or n) for n, f in cls.model_fields.items())

    @classmethod
    def failure(cls, status: Status, reason: str) -> Self:
        return cls(status=status, reason=reason)

    def to_string_map(self) -> dict[str, str]:
        return string_map(self.model_dump(mode="json", by_alias=True))
