"""identify_caller's answer: who is calling, as `$.External.*` keys the flow branches on."""

from __future__ import annotations

from models.response import ConnectResponse


class IdentifyCallerResponse(ConnectResponse):
    """`callerIdStatus` is valid | invalid | withheld; `customerFound` is "true" | "false".

    The caller fields are filled whenever the number could be read, even when the customer
    lookup failed (`status=unavailable`), so the flow can still offer a callback to it.
    """

    caller_id_status: str = ""
    caller_e164: str = ""
    caller_country: str = ""
    caller_line_type: str = ""
    customer_found: str = "false"
    customer_id: str = ""
    first_name: str = ""
    preferred_language: str = ""
    tier: str = ""
