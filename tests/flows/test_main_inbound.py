"""Simulated calls through main_inbound.json: what the caller hears and where the call ends,
for each scenario of tests/flows/scenarios.py."""

from __future__ import annotations

import pytest

from models.order import OrderStatus
from tests.containers import environment_stores
from tests.flows import scenarios
from tests.flows.line import JANE, TARO, Line, order_number

VERSION = "main-inbound@2.0.0"


def test_known_japanese_caller_is_greeted_by_name_and_queued_by_tier(line: Line):
    call = scenarios.known_japanese_caller_asks_for_agent(line)
    call.expect.attribute_set("flowVersion", VERSION)
    call.expect.lambda_called("IdentifyCallerFunction").returning(customerFound="true")
    call.expect.prompt().containing("Taro さま")
    call.expect.lambda_called("CheckBusinessStatusFunction").with_parameters(
        language="ja", timeLimitSeconds="3"
    )
    call.expect.prompt().containing("オペレーターにおつなぎします")
    call.expect.ended_in_queue("Gold")
    call.expect.attribute("language", "ja")
    call.expect.never.prompt().containing("For English")
    assert call.result.attributes["flowVersion"] == VERSION


def test_known_english_caller_hears_english_in_an_english_voice(line: Line):
    call = scenarios.known_english_caller_asks_for_agent(line)
    call.expect.prompt().containing("Hello Jane")
    call.expect.lambda_called("CheckBusinessStatusFunction").with_parameters(language="en")
    call.expect.prompt().containing("Connecting you to an agent")
    call.expect.ended_in_queue("Platinum")
    call.expect.attribute("language", "en")
    assert not any("お" in text for text in call.result.prompts)


def test_standard_tier_goes_to_the_standard_queue(line: Line):
    scenarios.standard_tier_caller_asks_for_agent(line).expect.ended_in_queue("Standard")


def test_every_queued_call_gets_the_customer_queue_flow(line: Line):
    call = scenarios.known_japanese_caller_asks_for_agent(line)
    call.expect.action("set-customer-queue-flow")
    call.expect.action("transfer-to-queue")


def test_unknown_caller_presses_9_for_english(line: Line):
    call = scenarios.unknown_caller_presses_9_for_english(line)
    call.expect.prompt().containing("For English, press 9")
    call.expect.input("9")
    call.expect.prompt().exactly("Thank you for calling.")
    call.expect.ended_in_queue("Standard")
    call.expect.attribute("language", "en")


@pytest.mark.parametrize(
    "run",
    [scenarios.withheld_caller_keeps_japanese, scenarios.silent_unknown_caller],
    ids=["withheld", "silent"],
)
def test_unknown_caller_who_does_not_press_9_hears_japanese(line: Line, run):
    call = run(line)
    call.expect.prompt().exactly("お電話ありがとうございます。")
    call.expect.attribute("language", "ja")
    call.expect.never.prompt().containing("Thank you for calling")


@pytest.mark.parametrize(
    ("run", "queue"),
    [(scenarios.silent_known_caller, "Gold"), (scenarios.silent_unknown_caller, "Standard")],
    ids=["known", "unknown"],
)
def test_silent_caller_ends_in_a_queue_after_two_reprompts(line: Line, run, queue):
    call = run(line)
    call.expect.ended_in_queue(queue)
    menus = [e for e in call.result.path if e in ("main-menu-ja", "main-menu-en")]
    assert len(menus) == 3
    assert call.result.prompts.count("申し訳ございません。もう一度お願いいたします。") == 2


def test_invalid_keys_reprompt_then_agent(line: Line):
    call = scenarios.invalid_keys_then_agent(line)
    call.expect.input("7")
    call.expect.prompt().containing("もう一度お願いいたします")
    call.expect.input("8")
    call.expect.prompt().containing("もう一度お願いいたします")
    call.expect.input("#")
    call.expect.prompt().containing("オペレーターにおつなぎします")
    call.expect.ended_in_queue("Gold")


def test_chat_contact_skips_keypad_prompts_to_an_agent(line: Line):
    scenarios.chat_contact_without_keypad(line).expect.ended_in_queue("Gold")


# --- closed ------------------------------------------------------------------------------


def test_closed_emergency_plays_the_announcement_and_books_a_callback(line: Line):
    call = scenarios.closed_emergency_announcement_callback_booked(line)
    call.expect.lambda_called("CheckBusinessStatusFunction").returning(
        isOpen="false", closedReason="emergency"
    )
    call.expect.prompt().exactly("本日は臨時休業とさせていただきます。")
    call.expect.prompt().containing("折り返しのお電話をご希望の場合は、1を")
    call.expect.lambda_called("RequestCallbackFunction").returning(confirmed="true")
    call.expect.prompt().containing("ご予約を承りました")
    call.expect.prompt().matching(r"^<speak>.*03.*1234.*5678.*</speak>$")
    call.expect.prompt().containing("お電話ありがとうございました")
    call.expect.disconnected()
    call.expect.never.action("main-menu")
    call.expect.never.prompt().containing("受付を終了しております")
    assert environment_stores().callbacks.get(call.result.lambda_calls[-1].response["callbackId"])


def test_closed_outside_hours_says_when_it_opens_in_the_callers_language(line: Line):
    call = scenarios.closed_outside_hours_caller_hangs_up(line)
    call.expect.prompt().exactly("We are sorry, we are closed at the moment.")
    call.expect.prompt().exactly("We open again on")
    call.expect.prompt().matching(r'<speak><say-as interpret-as="date".*9 AM</speak>')
    call.expect.prompt().containing("press 1")
    call.expect.input(None)
    call.expect.prompt().exactly("Thank you for calling. Goodbye.")
    call.expect.disconnected()
    call.expect.never.lambda_called("RequestCallbackFunction")


def test_closed_without_a_next_opening_skips_it(line: Line):
    call = scenarios.closed_with_no_next_opening(line)
    call.expect.prompt().containing("受付を終了しております")
    call.expect.never.prompt().containing("次の受付開始は")
    call.expect.disconnected()


def test_closed_callback_that_fails_is_told_and_never_read_back(line: Line):
    call = scenarios.closed_callback_write_fails(line)
    call.expect.lambda_called("RequestCallbackFunction").returning(confirmed="false")
    call.expect.prompt().containing("承ることができませんでした")
    call.expect.disconnected()
    call.expect.unordered.never.prompt().containing("<speak>0")
    call.expect.unordered.never.prompt().containing("ご予約を承りました")


# --- 1: order status --------------------------------------------------------------------


@pytest.mark.parametrize("status", list(OrderStatus), ids=lambda s: s.value)
@pytest.mark.parametrize("customer", [TARO, JANE], ids=["ja", "en"])
def test_verified_caller_hears_their_order_read_back(line: Line, customer, status):
    call = scenarios.SCENARIOS[
        f"{status.value}_order_read_back_{'en' if customer == JANE else 'ja'}"
    ](line)
    number = order_number(customer, status).rstrip("#")
    call.expect.lambda_called("VerifyPinFunction").with_parameters(
        customerId=customer, timeLimitSeconds="3"
    ).returning(verified="true")
    call.expect.lambda_called("OrderStatusFunction").with_parameters(
        orderNumber=number, language="en" if customer == JANE else "ja"
    ).returning(orderFound="true", orderStatus=status.value)
    call.expect.prompt().containing(f'<say-as interpret-as="digits">{number}</say-as>')
    if status is OrderStatus.CANCELLED:
        call.expect.never.prompt().containing('interpret-as="date"')
    else:
        call.expect.prompt().containing('<say-as interpret-as="date"')
    call.expect.action("main-menu")
    call.expect.ended_in_queue()


def test_someone_elses_order_is_not_found_and_a_bad_number_is_invalid(line: Line):
    call = scenarios.order_of_another_customer_then_invalid_number(line)
    call.expect.lambda_called("OrderStatusFunction").returning(status="not_found")
    call.expect.prompt().containing("見つかりませんでした")
    call.expect.lambda_called("OrderStatusFunction").returning(status="invalid_input")
    call.expect.prompt().containing("正しくないようです")
    call.expect.prompt().containing("オペレーターにおつなぎします")
    call.expect.ended_in_queue("Gold")
    call.expect.never.prompt().containing("発送済み")


def test_order_not_found_then_another_try(line: Line):
    call = scenarios.order_not_found_then_found(line)
    call.expect.prompt().containing("見つかりませんでした")
    call.expect.prompt().containing("発送済みです")


def test_second_order_in_the_same_call_skips_the_pin(line: Line):
    call = scenarios.second_order_skips_the_pin(line)
    assert len([c for c in call.result.lambda_calls if c.function == "VerifyPinFunction"]) == 1
    assert len([c for c in call.result.lambda_calls if c.function == "OrderStatusFunction"]) == 2
    call.expect.unordered.prompt().containing("お届け済みです")


def test_silent_at_order_number_goes_to_an_agent(line: Line):
    call = scenarios.silent_at_order_number(line)
    call.expect.never.lambda_called("OrderStatusFunction")
    call.expect.ended_in_queue("Gold")


def test_pin_wrong_then_right(line: Line):
    call = scenarios.pin_wrong_then_right(line)
    call.expect.lambda_called("VerifyPinFunction").returning(verified="false", attemptsLeft="2")
    call.expect.prompt().exactly("暗証番号が正しくありません。")
    call.expect.prompt().exactly("もう一度お願いいたします。")
    call.expect.lambda_called("VerifyPinFunction").returning(verified="true")
    call.expect.prompt().containing("発送済みです")


def test_pin_locked_after_three_wrong_goes_to_an_agent(line: Line):
    call = scenarios.pin_locked_after_three_wrong(line)
    call.expect.lambda_called("VerifyPinFunction").returning(attemptsLeft="2")
    call.expect.lambda_called("VerifyPinFunction").returning(attemptsLeft="1")
    call.expect.lambda_called("VerifyPinFunction").returning(locked="true")
    call.expect.prompt().containing("一時的に停止しております")
    call.expect.prompt().containing("オペレーターにおつなぎします")
    call.expect.ended_in_queue("Gold")
    call.expect.attribute("pinResult", "locked")
    call.expect.never.lambda_called("OrderStatusFunction")


def test_pin_too_short_is_asked_again_without_counting(line: Line):
    call = scenarios.pin_too_short_then_right(line)
    call.expect.lambda_called("VerifyPinFunction").returning(status="invalid_input")
    call.expect.prompt().containing("確認できませんでした")
    call.expect.lambda_called("VerifyPinFunction").returning(verified="true", attemptsLeft="3")


def test_pin_tries_are_bounded_per_call_even_without_a_lockout(line: Line):
    call = scenarios.pin_wrong_three_times_without_lockout(line)
    assert len(call.result.lambda_calls) == 5  # identify, status, three PIN checks
    call.expect.attribute("pinResult", "failed")
    call.expect.ended_in_queue("Gold")


def test_silent_at_pin_goes_to_an_agent_without_a_pin_check(line: Line):
    call = scenarios.silent_at_pin(line)
    call.expect.never.lambda_called("VerifyPinFunction")
    call.expect.attribute("pinResult", "no_input")
    call.expect.ended_in_queue("Gold")


def test_unknown_caller_verifies_with_a_customer_number(line: Line):
    call = scenarios.unknown_caller_verifies_with_customer_number(line)
    call.expect.prompt().containing("お客様番号8桁")
    call.expect.lambda_called("VerifyPinFunction").with_parameters(customerId="").returning(
        verified="true", customerId=TARO
    )
    call.expect.prompt().containing("準備中です")
    call.expect.attribute("customerId", TARO)
    call.expect.ended_in_queue("Standard")


def test_unknown_caller_silent_at_customer_number(line: Line):
    call = scenarios.unknown_caller_silent_at_customer_number(line)
    call.expect.never.lambda_called("VerifyPinFunction")
    call.expect.ended_in_queue("Standard")


def test_pin_flow_logging_is_off_while_the_pin_is_handled(line: Line):
    call = scenarios.pin_wrong_then_right(line)
    path = call.result.path
    assert path.index("logging-off") < path.index("ask-pin") < path.index("logging-on")


# --- 2: callback ------------------------------------------------------------------------


def test_callback_to_own_number_is_read_back_and_ends_the_call(line: Line):
    call = scenarios.callback_to_own_number(line)
    call.expect.lambda_called("RequestCallbackFunction").with_parameters(
        language="ja", timeLimitSeconds="3"
    ).returning(confirmed="true")
    call.expect.prompt().matching(r"^<speak>.*03.*1234.*5678.*</speak>$")
    call.expect.disconnected()
    call.expect.attribute("callbackResult", "confirmed")


def test_callback_to_a_keyed_number(line: Line):
    call = scenarios.callback_to_keyed_number(line)
    call.expect.lambda_called("RequestCallbackFunction").with_parameters(
        callbackNumber="011819012345678", language="en"
    ).returning(confirmed="true")
    call.expect.prompt().matching(r"090.*1234.*5678")
    call.expect.disconnected()


# --- 2: callback numbers the policy refuses (issue 9, toll fraud) --------------------------


def test_a_premium_rate_number_is_refused_then_a_mobile_booked(line: Line):
    call = scenarios.callback_premium_rate_refused_then_mobile_booked(line)
    call.expect.lambda_called("RequestCallbackFunction").with_parameters(
        callbackNumber="0990123456"
    ).returning(status="invalid_input", reason="number_not_allowed", confirmed="false")
    call.expect.prompt().exactly(
        "申し訳ございません。その電話番号には折り返しのお電話をおかけできません。"
    )
    call.expect.action("ask-callback-number-ja")
    call.expect.lambda_called("RequestCallbackFunction").returning(confirmed="true")
    call.expect.attribute("callbackResult", "confirmed")
    call.expect.disconnected()
    booked = call.result.lambda_calls[-1].response["callbackId"]
    assert environment_stores().callbacks.get(booked).phone_e164 == "+819012345678"


def test_numbers_refused_twice_end_with_an_agent_and_nothing_booked(line: Line):
    call = scenarios.callback_refused_twice_then_an_agent(line)
    call.expect.lambda_called("RequestCallbackFunction").returning(reason="number_not_allowed")
    call.expect.lambda_called("RequestCallbackFunction").returning(reason="number_not_allowed")
    call.expect.never.prompt().containing("ご予約を承りました")
    call.expect.attribute("callbackResult", "refused")
    call.expect.ended_in_queue("Gold")
    callbacks = [c for c in call.result.lambda_calls if c.function == "RequestCallbackFunction"]
    assert [c.response["callbackId"] for c in callbacks] == ["", ""]


def test_a_caller_abroad_cannot_book_their_own_number(line: Line):
    call = scenarios.english_caller_abroad_refused_own_number_then_silence(line)
    call.expect.lambda_called("RequestCallbackFunction").returning(
        reason="number_not_allowed", confirmed="false"
    )
    call.expect.prompt().exactly("We are sorry, we can't call that number back.")
    call.expect.prompt().containing("Please enter the number to call")
    call.expect.attribute("callbackResult", "no_input")
    call.expect.ended_in_queue("Platinum")


def test_a_refused_callback_on_a_closed_line_says_goodbye(line: Line):
    call = scenarios.closed_callback_refused_twice(line)
    call.expect.prompt().containing("折り返しのお電話をおかけできません")
    call.expect.attribute("callbackResult", "refused")
    call.expect.disconnected()


def test_unusable_callback_number_is_asked_once_more_then_an_agent(line: Line):
    call = scenarios.callback_keyed_number_unusable_then_silence(line)
    call.expect.lambda_called("RequestCallbackFunction").returning(status="invalid_input")
    call.expect.prompt().containing("その電話番号にはおかけできません")
    call.expect.action("choose-callback-number")
    call.expect.prompt().containing("承っておりません")
    call.expect.ended_in_queue("Gold")


def test_callback_write_failure_while_open_goes_to_an_agent(line: Line):
    call = scenarios.callback_write_fails_while_open(line)
    call.expect.prompt().containing("承ることができませんでした")
    call.expect.ended_in_queue("Gold")


# --- queue at capacity -----------------------------------------------------------------


def test_queue_at_capacity_offers_a_callback(line: Line):
    call = scenarios.queue_at_capacity_callback_booked(line)
    call.expect.prompt().containing("混み合っております")
    call.expect.lambda_called("RequestCallbackFunction").returning(confirmed="true")
    call.expect.disconnected()


def test_queue_at_capacity_without_callback_says_goodbye(line: Line):
    call = scenarios.queue_at_capacity_caller_hangs_up(line)
    call.expect.prompt().exactly("Please call again later.")
    call.expect.prompt().exactly("Thank you for calling. Goodbye.")
    call.expect.disconnected()


# --- failing Lambdas --------------------------------------------------------------------


def test_identify_caller_failing_treats_the_caller_as_unknown(line: Line):
    call = scenarios.identify_caller_fails(line)
    call.expect.lambda_called("IdentifyCallerFunction").failing()
    call.expect.prompt().containing("For English, press 9")
    call.expect.ended_in_queue("Standard")


def test_business_status_failing_takes_the_call_as_open(line: Line):
    call = scenarios.business_status_fails(line)
    call.expect.lambda_called("CheckBusinessStatusFunction").failing()
    call.expect.action("main-menu")
    call.expect.ended_in_queue("Gold")


@pytest.mark.parametrize(
    ("run", "function", "apology"),
    [
        (scenarios.verify_pin_fails, "VerifyPinFunction", "暗証番号を確認できません"),
        (scenarios.order_status_fails, "OrderStatusFunction", "お調べできません"),
        (scenarios.order_store_unavailable, "OrderStatusFunction", "お調べできません"),
        (scenarios.pin_store_unavailable, "VerifyPinFunction", "暗証番号を確認できません"),
        (scenarios.request_callback_fails, "RequestCallbackFunction", "承ることができません"),
    ],
    ids=["verify_pin", "order_status", "order_store", "pin_store", "request_callback"],
)
def test_failing_lambda_apologizes_and_hands_over_to_an_agent(line: Line, run, function, apology):
    call = run(line)
    call.expect.lambda_called(function)
    call.expect.prompt().containing(apology)
    call.expect.prompt().containing("オペレーターにおつなぎします")
    call.expect.ended_in_queue("Gold")


def test_missing_modules_end_in_an_agent_or_a_polite_goodbye(line: Line):
    scenarios.modules_missing(line)
    for call in line.calls:
        assert call.result.ok, call.report()
        last = call.result.prompts[-1]
        assert "おつなぎします" in last or "おかけ直しください" in last, call.report()
