"""A function's contract with the flows that call it: the parameters it reads and the answer
it gives, as two models.

A handler declares both in its signature (functions/runtime.py):

    @connect_handler
    def handler(call: Invocation[VerifyPinParameters]) -> VerifyPinResponse: ...

and carries them as `handler.contract`, a `HandlerContract`: what the runtime validates and
answers with, and what `ivr lint` checks flows against (keys read after the call, parameters
passed, reasons compared). Here, in models/, so lint reads it without importing the runtime.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from models.parameters import ConnectParameters
from models.response import ConnectResponse

P = TypeVar("P", bound=ConnectParameters)
R = TypeVar("R", bound=ConnectResponse)


@dataclass(frozen=True)
class HandlerContract(Generic[P, R]):
    parameters: type[P]
    response: type[R]

    def __post_init__(self) -> None:
        parameters, response = self.parameters, self.response
        if not (isinstance(parameters, type) and issubclass(parameters, ConnectParameters)):
            raise TypeError(
                f"parameters must be a ConnectParameters model, got {self.parameters!r} "
                "(NoParameters when the function reads none)"
            )
        if not (isinstance(response, type) and issubclass(response, ConnectResponse)):
            raise TypeError(f"response must be a ConnectResponse model, got {self.response!r}")

    @property
    def response_keys(self) -> frozenset[str]:
        """Every `$.External` key the function can answer."""
        return self.response.keys()

    @property
    def reasons(self) -> frozenset[str]:
        """Every `reason` the function can answer."""
        return self.response.reasons
