"""Two small handlers whose declared contracts the lint tests check flows against.

The fixture project's template.yaml names them as `lint_fixture_functions.<name>`, imported
from the template's folder as Lambda would (CodeUri `.`).
"""

from __future__ import annotations

from functions.runtime import ConnectParameters, Invocation, NoParameters, connect_handler
from models.response import ConnectResponse


class IdentifyResponse(ConnectResponse):
    tier: str = ""


class AccountParameters(ConnectParameters):
    account_number: str
    language: str = "en"


class AccountResponse(ConnectResponse):
    customer_name: str = ""
    balance: str = ""


@connect_handler
def identify(call: Invocation[NoParameters]) -> IdentifyResponse:
    return IdentifyResponse(tier="gold")


@connect_handler
def lookup_account(call: Invocation[AccountParameters]) -> AccountResponse:
    return AccountResponse(customer_name="Ada", balance="12.50")
