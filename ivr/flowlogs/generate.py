"""A day of simulated calls and their flow logs, for demos, benchmarks and tests without an AWS
account: callers pressing keys at random (sometimes silent), the project's Lambda functions
answering one of a few realistic answers (sometimes failing), hours open most of the time.

Seeded: the same seed writes the same log. Lambda answers are canned (no store is touched), so
the log is what the flows do with those answers, not what the handlers would answer today.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ivr.engine import CallResult, Simulator
from ivr.flowlogs.writer import DEFAULT_START

MENU_KEYS = ("1", "1", "1", "2", "2", "0", "9", "3", None)
STORED_KEYS = ("1234567#", "4321#", "12345678#", None)
LAMBDA_FAILURE_SHARE = 0.03

# A few answers of each of this project's functions (functions/*: status plus the fields the
# flows in contact_flows/ compare), by the placeholder the flows name them with.
PROJECT_ANSWERS: dict[str, tuple[dict[str, str], ...]] = {
    "${IdentifyCallerFunctionArn}": (
        {
            "status": "ok",
            "customerFound": "true",
            "customerId": "C-1001",
            "tier": "gold",
            "preferredLanguage": "en",
            "firstName": "Aiko",
        },
        {
            "status": "ok",
            "customerFound": "true",
            "customerId": "C-1002",
            "tier": "platinum",
            "preferredLanguage": "ja",
            "firstName": "Ren",
        },
        {
            "status": "ok",
            "customerFound": "true",
            "customerId": "C-1003",
            "tier": "standard",
            "preferredLanguage": "ja",
            "firstName": "Yui",
        },
        {"status": "not_found", "customerFound": "false"},
    ),
    "${CheckBusinessStatusFunctionArn}": (
        {"status": "ok", "isOpen": "true", "announcement": ""},
        {"status": "ok", "isOpen": "true", "announcement": ""},
        {"status": "ok", "isOpen": "true", "announcement": ""},
        {
            "status": "ok",
            "isOpen": "false",
            "announcement": "",
            "nextOpenSsml": "<speak>Monday at 9</speak>",
        },
        {"status": "ok", "isOpen": "false", "announcement": "", "nextOpenSsml": ""},
        {"status": "ok", "isOpen": "false", "announcement": "Closed for the holiday."},
    ),
    "${OrderStatusFunctionArn}": (
        {
            "status": "ok",
            "orderFound": "true",
            "orderStatus": "shipped",
            "deliveryDateSsml": "<speak>tomorrow</speak>",
        },
        {"status": "ok", "orderFound": "true", "orderStatus": "processing", "deliveryDateSsml": ""},
        {"status": "ok", "orderFound": "true", "orderStatus": "delivered", "deliveryDateSsml": ""},
        {"status": "ok", "orderFound": "true", "orderStatus": "cancelled", "deliveryDateSsml": ""},
        {"status": "ok", "orderFound": "true", "orderStatus": "returned", "deliveryDateSsml": ""},
        {"status": "not_found", "orderFound": "false"},
        {"status": "invalid_input", "orderFound": "false"},
        {"status": "unavailable", "orderFound": "false"},
    ),
    "${VerifyPinFunctionArn}": (
        {"status": "ok", "verified": "true", "customerId": "C-1001"},
        {"status": "ok", "verified": "true", "customerId": "C-1002"},
        {"status": "ok", "verified": "false", "locked": "false", "attemptsLeft": "2"},
        {"status": "ok", "verified": "false", "locked": "false", "attemptsLeft": "0"},
        {"status": "ok", "verified": "false", "locked": "true"},
        {"status": "invalid_input", "verified": "false"},
    ),
    "${RequestCallbackFunctionArn}": (
        {"status": "ok", "confirmed": "true", "callbackNumber": "+81312345678"},
        {"status": "ok", "confirmed": "true", "callbackNumber": "+81312345678"},
        {"status": "invalid_input", "confirmed": "false", "reason": "number_not_allowed"},
        {"status": "unavailable", "confirmed": "false"},
    ),
}


@dataclass(frozen=True)
class GeneratedCall:
    contact_id: str
    start: datetime
    result: CallResult


class _RandomCaller:
    """Answers each input prompt at random (an InputSource)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def next_keys(self, identifier: str, store: bool) -> str | None:
        return self._rng.choice(STORED_KEYS if store else MENU_KEYS)


class _RandomAnswer:
    """A Lambda stand-in answering one of its canned answers, or failing now and then."""

    def __init__(self, answers: tuple[dict[str, str], ...], rng: random.Random) -> None:
        self._answers, self._rng = answers, rng

    def __call__(self, event: Any, context: Any) -> dict[str, str]:
        if self._rng.random() < LAMBDA_FAILURE_SHARE:
            raise RuntimeError("simulated failure")
        return dict(self._rng.choice(self._answers))


def a_day_of_calls(
    flow: str | Path,
    calls: int,
    *,
    seed: int = 0,
    answers: Mapping[str, tuple[dict[str, str], ...]] = PROJECT_ANSWERS,
    start: datetime = DEFAULT_START,
    closed_share: float = 0.1,
    at_capacity_share: float = 0.05,
) -> Iterator[GeneratedCall]:
    """`calls` simulated calls through `flow`, spread over a working day from `start`."""
    rng = random.Random(seed)
    simulator = Simulator(
        flow, lambdas={arn: _RandomAnswer(options, rng) for arn, options in answers.items()}
    )
    caller = _RandomCaller(rng)
    spacing_ms = max(1, 8 * 3600 * 1000 // max(1, calls))
    for number in range(calls):
        contact_id = f"{seed:08x}-{number // 65536:04x}-4000-8000-{number % 65536:012x}"
        result = simulator.call(
            input_source=caller,
            hours_open=rng.random() >= closed_share,
            queue_at_capacity=rng.random() < at_capacity_share,
            seed=number,
            contact_id=contact_id,
        )
        yield GeneratedCall(contact_id, start + timedelta(milliseconds=number * spacing_ms), result)
