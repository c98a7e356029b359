"""One module per flow-language action Type, registered here in one table; the Types that
ivr/flow_language.py marks "record" (no offline effect) or "answer" (an outside service
answers) get a block made from their description (_outside.py).

A Type missing from BLOCKS is bound to `unsupported`, which stops the call with an error naming
the Type and the action: never a silent pass-through.
"""

from __future__ import annotations

from ivr.engine.blocks import (
    check_hours_of_operation,
    check_metric_data,
    compare,
    connect_participant_with_lex_bot,
    create_wisdom_session,
    dequeue_contact_and_transfer_to_queue,
    disconnect_participant,
    distribute_by_percentage,
    end_flow_execution,
    end_flow_module_execution,
    get_participant_input,
    invoke_flow_module,
    invoke_lambda_function,
    loop,
    message_participant,
    message_participant_iteratively,
    start_voice_id_stream,
    transfer_contact_to_agent,
    transfer_contact_to_queue,
    transfer_participant_to_third_party,
    transfer_to_flow,
    update_contact_attributes,
    update_contact_data,
    update_contact_event_hooks,
    update_contact_recording_behavior,
    update_contact_target_queue,
    update_contact_text_to_speech_voice,
    update_flow_attributes,
    update_flow_logging_behavior,
)
from ivr.engine.blocks._outside import answer_block, record_block
from ivr.engine.blocks.base import Block, unsupported
from ivr.flow_language import ACTIONS

BLOCKS: dict[str, Block] = {
    block.type: block
    for block in (
        message_participant.BLOCK,
        message_participant_iteratively.BLOCK,
        get_participant_input.BLOCK,
        connect_participant_with_lex_bot.BLOCK,
        invoke_lambda_function.BLOCK,
        compare.BLOCK,
        update_contact_attributes.BLOCK,
        update_flow_attributes.BLOCK,
        update_contact_target_queue.BLOCK,
        transfer_contact_to_queue.BLOCK,
        dequeue_contact_and_transfer_to_queue.BLOCK,
        transfer_contact_to_agent.BLOCK,
        check_hours_of_operation.BLOCK,
        check_metric_data.BLOCK,
        loop.BLOCK,
        distribute_by_percentage.BLOCK,
        update_contact_text_to_speech_voice.BLOCK,
        update_flow_logging_behavior.BLOCK,
        update_contact_recording_behavior.BLOCK,
        update_contact_recording_behavior.ANALYTICS_BLOCK,
        update_contact_event_hooks.BLOCK,
        update_contact_data.BLOCK,
        start_voice_id_stream.BLOCK,
        create_wisdom_session.BLOCK,
        transfer_to_flow.BLOCK,
        invoke_flow_module.BLOCK,
        end_flow_module_execution.BLOCK,
        end_flow_module_execution.RETURN_BLOCK,
        transfer_participant_to_third_party.BLOCK,
        end_flow_execution.BLOCK,
        disconnect_participant.BLOCK,
    )
}
for _spec in ACTIONS.values():
    if _spec.type not in BLOCKS and _spec.offline == "record":
        BLOCKS[_spec.type] = record_block(_spec)
    elif _spec.type not in BLOCKS and _spec.offline == "answer":
        BLOCKS[_spec.type] = answer_block(_spec)

__all__ = ["BLOCKS", "Block", "unsupported"]
