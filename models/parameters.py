"""What a function declares it reads from `Details.Parameters` (the block's
LambdaInvocationAttributes): the flow half of each function's contract, checked by `ivr lint`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic.alias_generators import to_camel

from models.text import is_storable

# Every function accepts the flow's Lambda time limit, so it can answer before Connect gives up.
TIME_LIMIT_PARAMETER = "timeLimitSeconds"


class ConnectParameters(BaseModel):
    """Base of a function's declared parameters.

    Fields are camelCase keys; a field without a default is a parameter the flow must pass.
    Unknown parameters are ignored, so a flow may pass extra context for the logs.
    """

    # defer_build: the validator and serializer are built on first use, not at import.
    # `ivr lint` imports every function's models only to read their fields (keys,
    # required, accepted); in Lambda functions/snapstart.py builds them during init.
    model_config = ConfigDict(
        extra="ignore",
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        defer_build=True,
    )

    @classmethod
    def required(cls) -> frozenset[str]:
        return frozenset((f.alias or n) for n, f in cls.model_fields.items() if f.is_required())

    @classmethod
    def accepted(cls) -> frozenset[str]:
        names = frozenset((f.alias or n) for n, f in cls.model_fields.items())
        return names | {TIME_LIMIT_PARAMETER}

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        # A declared parameter may become a store key or a log field: a NUL or a lone
        # surrogate (models/text.py) makes it an unusable parameter (invalid_input), not a
        # failure in the store. Undeclared parameters are ignored, so they are never checked.
        if isinstance(value, str) and not is_storable(value):
            raise ValueError("text with a NUL character or a lone surrogate")
        return value


class NoParameters(ConnectParameters):
    """For functions that read everything from ContactData."""
