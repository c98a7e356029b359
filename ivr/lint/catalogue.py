"""What the linter knows about Connect's flow language: action types and the errors they can
take, condition operators, JSONPath namespaces, Identifier rules.

Sources: ../shared/reference/connect.md sections 2.2-2.4 and 7, and the action types seen in
public console exports (../shared/fixtures/public-flows/). The catalogue is generous on
purpose: a false error on a flow Connect accepts costs more than a missed one.
"""

from __future__ import annotations

from dataclasses import dataclass

NO_MATCHING_ERROR = "NoMatchingError"
NO_MATCHING_CONDITION = "NoMatchingCondition"


@dataclass(frozen=True)
class ActionKind:
    """What one action Type can do: the ErrorTypes Connect may take (None when the docs
    give no list, so nothing is assumed) and whether it plays something to the caller."""

    errors: frozenset[str] | None = None
    speaks: bool = False


def _kind(*errors: str, speaks: bool = False) -> ActionKind:
    return ActionKind(frozenset(errors), speaks)


# Types documented with their errors (connect.md 2.3). UpdateContactTextToSpeechVoice is
# listed without errors: older console exports carry only NextAction and Connect takes them.
ACTION_TYPES: dict[str, ActionKind] = {
    "MessageParticipant": _kind(NO_MATCHING_ERROR, speaks=True),
    "GetParticipantInput": _kind(
        NO_MATCHING_ERROR,
        NO_MATCHING_CONDITION,
        "InputTimeLimitExceeded",
        "InvalidPhoneNumber",
        speaks=True,
    ),
    "InvokeLambdaFunction": _kind(NO_MATCHING_ERROR),
    "Compare": _kind(NO_MATCHING_CONDITION),
    "UpdateContactAttributes": _kind(NO_MATCHING_ERROR),
    "UpdateContactTargetQueue": _kind(NO_MATCHING_ERROR),
    "TransferContactToQueue": _kind("QueueAtCapacity", NO_MATCHING_ERROR),
    "CheckHoursOfOperation": _kind(NO_MATCHING_ERROR),
    "CheckMetricData": _kind(NO_MATCHING_ERROR, NO_MATCHING_CONDITION),
    "UpdateContactRecordingBehavior": _kind(),
    "UpdateContactTextToSpeechVoice": _kind(),
    "UpdateFlowLoggingBehavior": _kind(),
    "UpdateFlowAttributes": _kind(),
    "UpdateContactEventHooks": _kind(NO_MATCHING_ERROR),
    "TransferToFlow": _kind(NO_MATCHING_ERROR),
    "InvokeFlowModule": _kind(NO_MATCHING_ERROR),
    "EndFlowExecution": _kind(),
    "EndFlowModuleExecution": _kind(),
    "DisconnectParticipant": _kind(),
    "TransferParticipantToThirdParty": _kind(
        "CallFailed", "ConnectionTimeLimitExceeded", NO_MATCHING_ERROR
    ),
    "Loop": _kind(),
    "DistributeByPercentage": _kind(NO_MATCHING_CONDITION),
    "ConnectParticipantWithLexBot": _kind(NO_MATCHING_CONDITION, NO_MATCHING_ERROR, speaks=True),
    "MessageParticipantIteratively": ActionKind(speaks=True),
    # Documented without an error list, or seen in public exports only.
    "Wait": ActionKind(),
    "GetMetricData": ActionKind(),
    "UpdateContactCallbackNumber": ActionKind(),
    "CreateCallbackContact": ActionKind(),
    "UpdatePreviousContactParticipantState": ActionKind(),
    "UpdateContactRoutingBehavior": ActionKind(),
    "UpdateContactMediaStreamingBehavior": ActionKind(),
    "UpdateContactRecordingAndAnalyticsBehavior": ActionKind(),
    "TagContact": ActionKind(),
    "UnTagContact": ActionKind(),
    "CreateTask": ActionKind(),
    "UpdateContactData": ActionKind(),
    "ShowView": ActionKind(),
    "StartVoiceIdStream": ActionKind(),
    "CreateWisdomSession": ActionKind(),
    "DequeueContactAndTransferToQueue": ActionKind(),
    "TransferContactToAgent": ActionKind(),
    "CreateCustomerProfile": ActionKind(),
    "GetCustomerProfile": ActionKind(),
    "UpdateCustomerProfile": ActionKind(),
    "AssociateContactToCustomerProfile": ActionKind(),
    "GetCustomerProfileObject": ActionKind(),
    "GetCalculatedAttributesForCustomerProfile": ActionKind(),
    "CreateCase": ActionKind(),
    "GetCase": ActionKind(),
    "UpdateCase": ActionKind(),
    "SendMessage": ActionKind(),
    "StartOutboundChatContact": ActionKind(),
    "ResumeContact": ActionKind(),
    "ReturnFromFlowModule": ActionKind(),
    "CompleteOutboundCall": ActionKind(),
    "UpdateContactChannelBehavior": ActionKind(),
}

# Actions after which the contact has left the flow (or the module) for good.
TERMINAL_TYPES = frozenset(
    {"DisconnectParticipant", "EndFlowExecution", "EndFlowModuleExecution", "TransferToFlow"}
)

CONDITION_OPERATORS = frozenset(
    {
        "Equals",
        "TextStartsWith",
        "TextEndsWith",
        "TextContains",
        "NumberGreaterThan",
        "NumberGreaterOrEqualTo",
        "NumberLessThan",
        "NumberLessOrEqualTo",
    }
)

# Types whose result is fixed: the Conditions must be exactly these Equals operands.
FIXED_CONDITIONS: dict[str, frozenset[str]] = {
    "CheckHoursOfOperation": frozenset({"True", "False"}),
    "Loop": frozenset({"ContinueLooping", "DoneLooping"}),
}

MENU_KEYS = frozenset("0123456789*#")

# First segment of `$.<Namespace>...` (connect.md 2.4 and the admin guide's attribute list,
# taken generously).
JSONPATH_NAMESPACES = frozenset(
    {
        "Attributes",
        "External",
        "StoredCustomerInput",
        "CustomerEndpoint",
        "SystemEndpoint",
        "ContactId",
        "InitialContactId",
        "PreviousContactId",
        "RelatedContactId",
        "Channel",
        "InstanceARN",
        "InitiationMethod",
        "InitiationTimestamp",
        "LanguageCode",
        "CustomerId",
        "Name",
        "Description",
        "References",
        "Queue",
        "TextToSpeechVoiceId",
        "AwsRegion",
        "Metrics",
        "Lex",
        "MediaStreams",
        "Media",
        "Agent",
        "FlowAttributes",
        "Case",
        "Customer",
        "SegmentAttributes",
        "Wisdom",
        "Tags",
        "Views",
        "Capabilities",
        "AdditionalEmailRecipients",
        "ContactDetails",
        "Campaign",
        "Modules",
        "DataTables",
        "LoopCounter",
        "Evaluation",
        "Task",
        "Email",
        "Chat",
        "Voice",
        "QueueInfo",
        "CustomerCallbackNumber",
        "DisconnectReason",
    }
)

MAX_IDENTIFIER_CHARS = 50
IDENTIFIER_FORBIDDEN = frozenset("%:()\\/=$,;[]{}")
# Names an Identifier may not take: Connect keys actions in a JavaScript object.
JS_RESERVED_NAMES = frozenset(
    {
        "__proto__",
        "__defineGetter__",
        "__defineSetter__",
        "__lookupGetter__",
        "__lookupSetter__",
        "constructor",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "toString",
        "valueOf",
        "prototype",
    }
)

LAMBDA_TIME_LIMIT_S = (1, 8)
