"""What a function declares it reads from `Details.Parameters` (the block's
LambdaInvocationAttributes): the flow half of each function's contract, checked by `ivr lint`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

# Every function accepts the flow's Lambda time limit, so it can answer before Connect gives up.
TIME_LIMIT_PARAMETER = "timeLimitSeconds"


class ConnectParameters(BaseModel):
    """Base of a function's declared parameters.

    Fields are camelCase keys; a field without a default is a parameter the flow must pass.
    Unknown parameters are ignored, so a flow may pass extra context for the logs.
    """

    model_config = ConfigDict(
        extra="ignore", alias_generator=to_camel, populate_by_name=True, frozen=True
    )

    @classmethod
    def required(cls) -> frozenset[str]:
        return frozenset((f.alias or n) for n, f in cls.model_fields.items() if f.is_required())

    @classmethod
    def accepted(cls) -> frozenset[str]:
        names = frozenset((f.alias or n) for n, f in cls.model_fields.items())
        return names | {TIME_LIMIT_PARAMETER}


class NoParameters(ConnectParameters):
    """For functions that read everything from ContactData."""
