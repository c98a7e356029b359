"""Every way a caller can go through main_inbound.json, as a function of a seeded `Line`.

Tests run a scenario and check what the caller heard and where the call ended;
test_coverage.py checks that together they enter every action and take every branch of
main_inbound. A scenario only drives the call: the checks live in the tests. Each run of a
scenario on a fresh line is kept in RUNS, so the coverage tests read the calls the tests already
made instead of making them again (they run the scenarios no test ran, or all of them when run
on their own).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from ivr.testing import Call
from models.order import OrderStatus
from tests.flows.line import (
    CLOSED_NOW,
    HANAKO,
    JANE,
    MAIN,
    OPEN_NOW,
    TARO,
    UNKNOWN_PHONE,
    Line,
    arn,
    crashing_handler,
    customer_number,
    order_number,
    phone,
    pin,
)

Scenario = Callable[[Line], Call]
# name -> the calls of that scenario's last complete run on a fresh line, in this test session.
RUNS: dict[str, list[Call]] = {}
NO_SUCH_ORDER = "1234567897#"  # a valid check digit, no order
BAD_CHECK_DIGIT = "1234567890#"
SCENARIOS: dict[str, Scenario] = {}

CALLBACK_UNAVAILABLE = {
    "status": "unavailable",
    "reason": "store_unavailable",
    "confirmed": "false",
}
# What check_business_status answers when nothing opens within 60 days.
CLOSED_NO_NEXT_OPENING = {
    "status": "ok",
    "isOpen": "false",
    "closedReason": "outside_hours",
    "announcement": "",
    "nextOpenSsml": "",
}


def scenario(function: Scenario) -> Scenario:
    """Register `function` as a scenario; its runs on a fresh line are recorded in RUNS."""

    @functools.wraps(function)
    def recorded(line: Line) -> Call:
        fresh = not line.calls  # a line a test already called on is not the scenario alone
        call = function(line)
        if fresh:
            RUNS[function.__name__] = list(line.calls)
        return call

    SCENARIOS[function.__name__] = recorded
    return recorded


# --- who calls, in which language ------------------------------------------------------------


@scenario
def known_japanese_caller_asks_for_agent(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=["0"])


@scenario
def known_english_caller_asks_for_agent(line: Line) -> Call:
    return line.call(caller=phone(JANE), inputs=["0"])


@scenario
def standard_tier_caller_asks_for_agent(line: Line) -> Call:
    return line.call(caller=phone(HANAKO), inputs=["0"])


@scenario
def unknown_caller_presses_9_for_english(line: Line) -> Call:
    return line.call(caller=UNKNOWN_PHONE, inputs=["9", "0"])


@scenario
def unknown_caller_presses_another_key_at_language_prompt(line: Line) -> Call:
    return line.call(caller=UNKNOWN_PHONE, inputs=["5", "0"])


@scenario
def withheld_caller_keeps_japanese(line: Line) -> Call:
    return line.call(caller=None, inputs=["timeout", "0"])


@scenario
def silent_known_caller(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=[])


@scenario
def silent_unknown_caller(line: Line) -> Call:
    return line.call(caller=UNKNOWN_PHONE, inputs=[])


@scenario
def invalid_keys_then_agent(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=["7", "8", "#"])


@scenario
def chat_contact_without_keypad(line: Line) -> Call:
    return line.call(caller=phone(TARO), channel="CHAT")


# --- closed ------------------------------------------------------------------------------


@scenario
def closed_emergency_announcement_callback_booked(line: Line) -> Call:
    line.close_for_emergency(ja="本日は臨時休業とさせていただきます。", en="We are closed today.")
    return line.call(caller=phone(TARO), inputs=["1", "1"])


@scenario
def closed_outside_hours_caller_hangs_up(line: Line) -> Call:
    line.set_clock(CLOSED_NOW)
    return line.call(caller=phone(JANE), inputs=["timeout"])


@scenario
def closed_callback_write_fails(line: Line) -> Call:
    line.set_clock(CLOSED_NOW)
    return line.call(
        caller=phone(TARO),
        inputs=["1", "1"],
        lambdas={arn("RequestCallbackFunction"): CALLBACK_UNAVAILABLE},
    )


@scenario
def closed_with_no_next_opening(line: Line) -> Call:
    return line.call(
        caller=phone(TARO),
        inputs=["timeout"],
        lambdas={arn("CheckBusinessStatusFunction"): CLOSED_NO_NEXT_OPENING},
    )


@scenario
def closed_chat_contact(line: Line) -> Call:
    line.set_clock(CLOSED_NOW)
    return line.call(caller=phone(TARO), channel="CHAT")


# --- 1: order status --------------------------------------------------------------------


def _order(customer: str, status: OrderStatus) -> Scenario:
    def run(line: Line) -> Call:
        keys = ["1", pin(customer), order_number(customer, status), "0"]
        return line.call(caller=phone(customer), inputs=keys)

    run.__name__ = f"{status.value}_order_read_back_{'en' if customer == JANE else 'ja'}"
    return scenario(run)


for _customer in (TARO, JANE):
    for _status in OrderStatus:
        _order(_customer, _status)


@scenario
def order_of_another_customer_then_invalid_number(line: Line) -> Call:
    keys = ["1", pin(TARO), order_number(HANAKO, OrderStatus.SHIPPED), BAD_CHECK_DIGIT]
    return line.call(caller=phone(TARO), inputs=keys)


@scenario
def order_not_found_then_found(line: Line) -> Call:
    keys = ["1", pin(TARO), NO_SUCH_ORDER, order_number(TARO, OrderStatus.SHIPPED), "0"]
    return line.call(caller=phone(TARO), inputs=keys)


@scenario
def second_order_skips_the_pin(line: Line) -> Call:
    first = order_number(TARO, OrderStatus.SHIPPED)
    second = order_number(TARO, OrderStatus.DELIVERED)
    return line.call(caller=phone(TARO), inputs=["1", pin(TARO), first, "1", second, "0"])


@scenario
def order_status_unknown_state(line: Line) -> Call:
    # A state the store may gain later: read out as the function names it, in either language.
    answer = {"status": "ok", "orderFound": "true", "orderStatus": "returned"}
    lambdas = {arn("OrderStatusFunction"): answer}
    keys = ["1", pin(JANE), order_number(JANE, OrderStatus.SHIPPED), "0"]
    line.call(caller=phone(JANE), inputs=keys, lambdas=lambdas)
    keys = ["1", pin(TARO), order_number(TARO, OrderStatus.SHIPPED), "0"]
    return line.call(caller=phone(TARO), inputs=keys, lambdas=lambdas)


@scenario
def order_store_unavailable(line: Line) -> Call:
    answer = {"status": "unavailable", "reason": "store_unavailable", "orderFound": "false"}
    return line.call(
        caller=phone(TARO),
        inputs=["1", pin(TARO), order_number(TARO, OrderStatus.SHIPPED)],
        lambdas={arn("OrderStatusFunction"): answer},
    )


@scenario
def silent_at_order_number(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=["1", pin(TARO), "timeout"])


@scenario
def pin_wrong_then_right(line: Line) -> Call:
    keys = ["1", "9999#", pin(TARO), order_number(TARO, OrderStatus.SHIPPED), "0"]
    return line.call(caller=phone(TARO), inputs=keys)


@scenario
def pin_locked_after_three_wrong(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=["1", "9999#", "9998#", "9997#"])


@scenario
def pin_too_short_then_right(line: Line) -> Call:
    keys = ["1", "12#", pin(TARO), order_number(TARO, OrderStatus.SHIPPED), "0"]
    return line.call(caller=phone(TARO), inputs=keys)


@scenario
def pin_wrong_three_times_without_lockout(line: Line) -> Call:
    wrong = {"status": "ok", "verified": "false", "attemptsLeft": "2", "locked": "false"}
    return line.call(
        caller=phone(TARO),
        inputs=["1", "1111#", "2222#", "3333#"],
        lambdas={arn("VerifyPinFunction"): wrong},
    )


@scenario
def pin_no_attempts_left_without_lock(line: Line) -> Call:
    spent = {"status": "ok", "verified": "false", "attemptsLeft": "0", "locked": "false"}
    return line.call(
        caller=phone(TARO), inputs=["1", "1111#"], lambdas={arn("VerifyPinFunction"): spent}
    )


@scenario
def pin_store_unavailable(line: Line) -> Call:
    down = {"status": "unavailable", "reason": "store_unavailable", "verified": "false"}
    return line.call(
        caller=phone(TARO), inputs=["1", "1234#"], lambdas={arn("VerifyPinFunction"): down}
    )


@scenario
def silent_at_pin(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=["1", "timeout"])


@scenario
def unknown_caller_verifies_with_customer_number(line: Line) -> Call:
    keys = [
        "timeout",
        "1",
        customer_number(TARO),
        pin(TARO),
        order_number(TARO, OrderStatus.PROCESSING),
        "0",
    ]
    return line.call(caller=UNKNOWN_PHONE, inputs=keys)


@scenario
def unknown_caller_silent_at_customer_number(line: Line) -> Call:
    return line.call(caller=UNKNOWN_PHONE, inputs=["timeout", "1", "timeout"])


# --- 2: callback ------------------------------------------------------------------------


@scenario
def callback_to_own_number(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=["2", "1"])


@scenario
def callback_to_keyed_number(line: Line) -> Call:
    # Jane calls from the US: a Japanese number (the default policy's only country) is keyed
    # with the US international prefix 011.
    return line.call(caller=phone(JANE), inputs=["2", "2", "011819012345678#"])


@scenario
def callback_keyed_number_unusable_then_silence(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=["2", "2", "12#", "timeout"])


# The callback policy (issue 9, toll fraud): numbers the issue booked callbacks to.
PREMIUM_RATE_JP = "0990123456#"
PREMIUM_RATE_US = "01019005550123#"
INTERNATIONAL_GB = "010442079460000#"


@scenario
def callback_premium_rate_refused_then_mobile_booked(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=["2", "2", PREMIUM_RATE_JP, "09012345678#"])


@scenario
def callback_refused_twice_then_an_agent(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=["2", "2", PREMIUM_RATE_US, INTERNATIONAL_GB])


@scenario
def english_caller_abroad_refused_own_number_then_silence(line: Line) -> Call:
    return line.call(caller=phone(JANE), inputs=["2", "1", "timeout"])


@scenario
def closed_callback_refused_twice(line: Line) -> Call:
    line.set_clock(CLOSED_NOW)
    return line.call(caller=phone(TARO), inputs=["1", "2", PREMIUM_RATE_JP, INTERNATIONAL_GB])


@scenario
def callback_silent_at_keyed_number(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=["2", "2", "timeout"])


@scenario
def callback_write_fails_while_open(line: Line) -> Call:
    return line.call(
        caller=phone(TARO),
        inputs=["2", "1"],
        lambdas={arn("RequestCallbackFunction"): CALLBACK_UNAVAILABLE},
    )


# --- the queue ---------------------------------------------------------------------------


@scenario
def queue_at_capacity_callback_booked(line: Line) -> Call:
    return line.call(caller=phone(TARO), inputs=["0", "1", "1"], queue_at_capacity=True)


@scenario
def queue_at_capacity_caller_hangs_up(line: Line) -> Call:
    return line.call(caller=phone(JANE), inputs=["0", "timeout"], queue_at_capacity=True)


@scenario
def queue_at_capacity_chat_contact(line: Line) -> Call:
    return line.call(caller=phone(TARO), channel="CHAT", queue_at_capacity=True)


# --- failures -----------------------------------------------------------------------------


@scenario
def identify_caller_fails(line: Line) -> Call:
    return line.call(
        caller=phone(TARO),
        inputs=["timeout", "0"],
        lambdas={arn("IdentifyCallerFunction"): crashing_handler},
    )


@scenario
def business_status_fails(line: Line) -> Call:
    return line.call(
        caller=phone(TARO),
        inputs=["0"],
        lambdas={arn("CheckBusinessStatusFunction"): crashing_handler},
    )


@scenario
def verify_pin_fails(line: Line) -> Call:
    return line.call(
        caller=phone(TARO),
        inputs=["1", pin(TARO)],
        lambdas={arn("VerifyPinFunction"): crashing_handler},
    )


@scenario
def order_status_fails(line: Line) -> Call:
    return line.call(
        caller=phone(TARO),
        inputs=["1", pin(TARO), order_number(TARO, OrderStatus.SHIPPED)],
        lambdas={arn("OrderStatusFunction"): crashing_handler},
    )


@scenario
def request_callback_fails(line: Line) -> Call:
    return line.call(
        caller=phone(TARO),
        inputs=["2", "2", "0312345678#"],
        lambdas={arn("RequestCallbackFunction"): crashing_handler},
    )


def main_without_modules(folder: Path) -> Path:
    """main_inbound.json alone in `folder`: its modules can't be found (InvokeFlowModule
    fails, as it would if they were not published)."""
    copy = folder / MAIN.name
    copy.write_bytes(MAIN.read_bytes())
    return copy


@scenario
def modules_missing(line: Line) -> Call:
    flow = main_without_modules(line.folder)
    line.call(flow=flow, caller=phone(TARO), inputs=["1"])
    line.call(flow=flow, caller=phone(TARO), inputs=["0", "1"], queue_at_capacity=True)
    line.set_clock(CLOSED_NOW)
    line.call(flow=flow, caller=phone(TARO), inputs=["1"])
    line.set_clock(OPEN_NOW)
    return line.call(flow=flow, caller=phone(TARO), inputs=["2"])


# --- the same paths in English -------------------------------------------------------------


@scenario
def english_caller_stumbles_through_pin_and_order(line: Line) -> Call:
    keys = [
        "7",  # no such option
        "timeout",
        "1",
        "9999#",  # wrong PIN
        "12#",  # too short to be a PIN
        pin(JANE),
        NO_SUCH_ORDER,
        BAD_CHECK_DIGIT,
    ]
    return line.call(caller=phone(JANE), inputs=keys)


@scenario
def english_caller_locked_out(line: Line) -> Call:
    return line.call(caller=phone(JANE), inputs=["1", "9999#", "9998#", "9997#"])


@scenario
def english_unknown_caller_keys_customer_number(line: Line) -> Call:
    keys = ["9", "1", customer_number(JANE), pin(JANE), order_number(JANE, OrderStatus.SHIPPED)]
    return line.call(caller=UNKNOWN_PHONE, inputs=[*keys, "0"])


@scenario
def english_lambdas_fail(line: Line) -> Call:
    line.call(
        caller=phone(JANE),
        inputs=["1", pin(JANE)],
        lambdas={arn("VerifyPinFunction"): crashing_handler},
    )
    line.call(
        caller=phone(JANE),
        inputs=["1", pin(JANE), order_number(JANE, OrderStatus.SHIPPED)],
        lambdas={arn("OrderStatusFunction"): crashing_handler},
    )
    return line.call(
        caller=phone(JANE),
        inputs=["2", "1"],
        lambdas={arn("RequestCallbackFunction"): CALLBACK_UNAVAILABLE},
    )


@scenario
def english_callback_choices(line: Line) -> Call:
    line.call(caller=phone(JANE), inputs=["2", "5", "timeout"])
    return line.call(caller=phone(JANE), inputs=["2", "2", "12#", "1"])


@scenario
def english_closed_choices(line: Line) -> Call:
    line.set_clock(CLOSED_NOW)
    line.call(caller=phone(JANE), inputs=["1", "1"])
    line.call(caller=phone(JANE), inputs=["5"])
    return line.call(caller=phone(TARO), inputs=["5"])


@scenario
def english_queue_at_capacity_choices(line: Line) -> Call:
    line.call(caller=phone(JANE), inputs=["0", "1", "1"], queue_at_capacity=True)
    line.call(caller=phone(JANE), inputs=["0", "5"], queue_at_capacity=True)
    line.call(caller=phone(TARO), inputs=["0", "5"], queue_at_capacity=True)
    return line.call(caller=phone(TARO), inputs=["0", "timeout"], queue_at_capacity=True)


@scenario
def english_modules_missing(line: Line) -> Call:
    flow = main_without_modules(line.folder)
    line.call(flow=flow, caller=phone(JANE), inputs=["1"])
    line.set_clock(CLOSED_NOW)
    return line.call(flow=flow, caller=phone(JANE), inputs=["1"])


@scenario
def callback_fails_then_queue_full_offers_it_again(line: Line) -> Call:
    # The callback module runs twice in one call: it stamps its version once.
    return line.call(
        caller=phone(TARO),
        inputs=["2", "1", "1", "1"],
        queue_at_capacity=True,
        lambdas={arn("RequestCallbackFunction"): CALLBACK_UNAVAILABLE},
    )


@scenario
def chat_contacts_in_every_language_and_state(line: Line) -> Call:
    line.call(caller=UNKNOWN_PHONE, channel="CHAT")
    line.call(caller=phone(JANE), channel="CHAT", queue_at_capacity=True)
    line.set_clock(CLOSED_NOW)
    return line.call(caller=phone(JANE), channel="CHAT")
