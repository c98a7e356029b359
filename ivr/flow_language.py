"""Amazon Connect's Flow language, described once: every action Type of AWS's reference with
its parameters, the branches it can take, where it runs and how the simulator runs it offline;
the condition operators; JSONPath namespaces; Identifier rules. Lint, the engine, render and
the contract check read this module; none of them restates it.

Sources (cited per entry as `source`):
- REF: the Flow language reference, https://docs.aws.amazon.com/connect/latest/APIReference/
  flow-language-actions.html and its four chapters (participant-actions.html,
  contact-actions.html, flow-control-actions.html, interactions.html), one page per Type
  (`REF:<page>` below names it without the .html).
- connect.md: ../shared/reference/connect.md, sections 2.2-2.4.
- EXPORT: seen in real exports Connect accepted (tests/fixtures/field/SOURCES.md,
  ../shared/fixtures/public-flows/). Where an export and the reference disagree, the entry
  accepts what Connect accepts and says so.

How the simulator runs an action (`offline`):
- "engine": a block of its own in ivr/engine/blocks (prompts, input, Lambdas, queues, ...).
- "record": nothing to do offline (media streaming, recording, tags, routing, callbacks...):
  the transcript records what Connect would do and the call takes the success branch.
- "answer": the outcome depends on a service outside the flow (views, cases, Customer
  Profiles, Voice ID, outbound-call status, Wait): the call's `answers` option (a scenario's
  `answers`, `ivr simulate --answer KEY=VALUE`) gives it, keyed by the action's Identifier or
  else its Type. An answer `error:<ErrorType>` takes that error branch; any other answer is
  the action's result, tested against its Conditions (or, without Conditions, NextAction).
  Without an answer the action takes `default_answer`, and when that is None its success
  branch: the first Condition's operand when it branches on a result, else NextAction.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from models.connect_limits import MAX_TIME_LIMIT_S, MIN_TIME_LIMIT_S, STRING_MAP_LIMIT_BYTES

__all__ = [
    "ACTIONS",
    "CONDITION_OPERATORS",
    "FIXED_CONDITIONS",
    "IDENTIFIER_FORBIDDEN",
    "JSONPATH_NAMESPACES",
    "JS_RESERVED_NAMES",
    "LAMBDA_ANSWER_LIMIT_BYTES",
    "LAMBDA_TIME_LIMIT_S",
    "LEGACY_EXPORT_HINT",
    "MAX_IDENTIFIER_CHARS",
    "MENU_KEYS",
    "NO_MATCHING_CONDITION",
    "NO_MATCHING_ERROR",
    "ActionSpec",
    "Operator",
    "is_legacy_export",
    "spec",
]

NO_MATCHING_ERROR = "NoMatchingError"
NO_MATCHING_CONDITION = "NoMatchingCondition"

Group = Literal["participant", "contact", "flow control", "interaction"]
Offline = Literal["engine", "record", "answer"]

# Flow types, as the reference's Restrictions name them.
INBOUND, TRANSFER, CUSTOMER_QUEUE, HOLD, WHISPER, MODULE = (
    "inbound",
    "transfer",
    "customer queue",
    "hold",
    "whisper",
    "module",
)
VOICE, CHAT, TASK, EMAIL = "VOICE", "CHAT", "TASK", "EMAIL"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action Type of the Flow language.

    `errors`: the ErrorTypes Connect may take (None when the reference gives no list, so
    nothing is assumed). `result`: the action answers a value its Conditions test.
    `no_conditions`: the branch Connect follows for a result when the action has no
    Conditions ("next": NextAction; NoMatchingCondition for Lex). `free_form`: parameters
    whose value Connect takes as any JSON (booleans and numbers inside are allowed).
    `flow_types`/`channels`: where the reference allows it (None: everywhere / not stated).
    """

    type: str
    group: Group
    ui: str
    source: str
    parameters: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    errors: frozenset[str] | None = None
    result: bool = False
    no_conditions: str = "next"
    speaks: bool = False
    terminal: bool = False
    free_form: frozenset[str] = frozenset()
    flow_types: frozenset[str] | None = None
    channels: frozenset[str] | None = None
    offline: Offline = "engine"
    default_answer: str | None = None
    would: str = ""  # what Connect does, for the transcript of a "record" or "answer" action
    # After it, $.External may hold another Lambda's answer (connect.md 2.4: $.External is the
    # last Lambda's answer; a module or the flow transferred to may invoke their own).
    replaces_external: bool = False


def _a(
    type_: str,
    group: Group,
    ui: str,
    source: str,
    *,
    parameters: tuple[str, ...] = (),
    required: tuple[str, ...] = (),
    errors: tuple[str, ...] | None = None,
    result: bool = False,
    no_conditions: str = "next",
    speaks: bool = False,
    terminal: bool = False,
    free_form: tuple[str, ...] = (),
    flow_types: tuple[str, ...] | None = None,
    channels: tuple[str, ...] | None = None,
    offline: Offline = "engine",
    default_answer: str | None = None,
    would: str = "",
    replaces_external: bool = False,
) -> ActionSpec:
    return ActionSpec(
        type_,
        group,
        ui,
        source,
        parameters,
        required,
        None if errors is None else frozenset(errors),
        result,
        no_conditions,
        speaks,
        terminal,
        frozenset(free_form),
        None if flow_types is None else frozenset(flow_types),
        None if channels is None else frozenset(channels),
        offline,
        default_answer,
        would,
        replaces_external,
    )


_PROMPT = ("Text", "SSML", "PromptId", "Media")
_PROFILE = ("ProfileRequestData", "ProfileResponseData")
_E = NO_MATCHING_ERROR
_C = NO_MATCHING_CONDITION

_SPECS: tuple[ActionSpec, ...] = (
    # --- Participant actions (REF:participant-actions) ---
    _a(
        "MessageParticipant",
        "participant",
        "Play prompt",
        "REF:participant-actions-messageparticipant; connect.md 2.3",
        parameters=_PROMPT,
        errors=(_E,),
        speaks=True,
    ),
    _a(
        "GetParticipantInput",
        "participant",
        "Get customer input / Store customer input",
        "REF:participant-actions-getparticipantinput; connect.md 2.3 (InputTimeLimitExceeded: "
        "EXPORT, every console export)",
        parameters=(
            *_PROMPT,
            "InputTimeLimitSeconds",
            "StoreInput",
            "InputValidation",
            "InputEncryption",
            "DTMFConfiguration",
            "LexV2Bot",
            "LexSessionAttributes",
        ),
        errors=(_E, _C, "InputTimeLimitExceeded", "InvalidPhoneNumber"),
        result=True,
        speaks=True,
        flow_types=(INBOUND, TRANSFER, CUSTOMER_QUEUE, MODULE),
    ),
    _a(
        "ConnectParticipantWithLexBot",
        "participant",
        "Get customer input (Lex)",
        "REF:participant-actions-connectparticipantwithlexbot: the result is the intent; an "
        "intent no Condition names takes NoMatchingCondition, so without Conditions every "
        "intent does (the console writes its error target as NextAction)",
        parameters=(*_PROMPT, "LexV2Bot", "LexBot", "LexSessionAttributes", "LexTimeoutSeconds"),
        errors=(_E, _C, "InputTimeLimitExceeded"),
        result=True,
        no_conditions=NO_MATCHING_CONDITION,
        speaks=True,
        free_form=("LexInitilizationData", "LexTimeoutSeconds"),
    ),
    _a(
        "MessageParticipantIteratively",
        "participant",
        "Loop prompts",
        "REF:participant-actions-messageparticipantiteratively: repeats the messages until "
        "interrupted (Condition MessagesInterrupted); with no way out it plays until the "
        "contact leaves the queue or hold",
        parameters=("Messages", "InterruptFrequencySeconds"),
        required=("Messages",),
        result=True,
        speaks=True,
        flow_types=(CUSTOMER_QUEUE, HOLD),
    ),
    _a(
        "DisconnectParticipant",
        "participant",
        "Disconnect / hang up",
        "REF:participant-actions-disconnectparticipant",
        terminal=True,
    ),
    _a(
        "TransferParticipantToThirdParty",
        "participant",
        "Transfer to phone number",
        "REF:participant-actions-transferparticipanttothirdparty; connect.md 2.3",
        parameters=(
            "ThirdPartyPhoneNumber",
            "ThirdPartyConnectionTimeLimitSeconds",
            "ContinueFlowExecution",
            "ThirdPartyDTMFDigits",
            "CallerId",
        ),
        required=("ThirdPartyPhoneNumber",),
        errors=("CallFailed", "ConnectionTimeLimitExceeded", _E),
        channels=(VOICE,),
    ),
    _a(
        "ShowView",
        "participant",
        "Show view",
        "REF:participant-actions-showview: the result is the view action the person took; "
        "ViewData is any JSON (EXPORT: booleans inside it)",
        parameters=("ViewResource", "InvocationTimeLimitSeconds", "ViewData"),
        required=("ViewResource",),
        errors=(_E, _C, "TimeLimitExceeded"),
        result=True,
        free_form=("ViewData", "ViewResource"),
        offline="answer",
        would="shows a view",
    ),
    # --- Contact actions (REF:contact-actions) ---
    _a(
        "UpdateContactAttributes",
        "contact",
        "Set contact attributes",
        "REF:contact-actions-updatecontactattributes",
        parameters=("Attributes", "TargetContact"),
        errors=(_E,),
    ),
    _a(
        "UpdateContactTargetQueue",
        "contact",
        "Set working queue",
        "REF:contact-actions-updatecontacttargetqueue",
        parameters=("QueueId", "AgentId"),
        errors=(_E,),
        flow_types=(INBOUND, TRANSFER, MODULE),
    ),
    _a(
        "TransferContactToQueue",
        "contact",
        "Transfer to queue",
        "REF:contact-actions-transfercontacttoqueue",
        errors=("QueueAtCapacity", _E),
        flow_types=(INBOUND, TRANSFER),
    ),
    _a(
        "DequeueContactAndTransferToQueue",
        "contact",
        "Transfer to queue (customer queue flow)",
        "REF:contact-actions-dequeuecontactandtransfertoqueue",
        parameters=("QueueId", "AgentId"),
        errors=("QueueAtCapacity", _E),
        flow_types=(CUSTOMER_QUEUE,),
    ),
    _a(
        "TransferContactToAgent",
        "contact",
        "Transfer to agent (beta)",
        "REF:contact-actions-transfercontacttoagent",
        errors=(_E,),
        flow_types=(TRANSFER,),
    ),
    _a(
        "UpdateContactCallbackNumber",
        "contact",
        "Set callback number",
        "REF:contact-actions-updatecontactcallbacknumber",
        parameters=("CallbackNumber",),
        required=("CallbackNumber",),
        errors=("InvalidCallbackNumber", "CallbackNumberNotDialable"),
        offline="record",
        would="sets the callback number",
    ),
    _a(
        "UpdateContactEventHooks",
        "contact",
        "Set customer queue / hold / whisper / event flow",
        "REF:contact-actions-updatecontacteventhooks",
        parameters=("EventHooks",),
        errors=(_E,),
        free_form=("EventHooksConfiguration",),
    ),
    _a(
        "UpdateContactMediaStreamingBehavior",
        "contact",
        "Start / stop media streaming",
        "REF:contact-actions-updatecontactmediastreamingbehavior",
        parameters=("MediaStreamingState", "MediaStreamType", "Participants"),
        required=("MediaStreamingState",),
        errors=(_E,),
        channels=(VOICE,),
        offline="record",
        would="turns live media streaming",
    ),
    _a(
        "UpdateContactMediaProcessing",
        "contact",
        "Set media processing",
        "REF:contact-actions-updatecontactmediaprocessing",
        errors=(_E,),
        free_form=("ChatProcessor",),
        offline="record",
        would="sets media processing",
    ),
    _a(
        "UpdateContactRecordingBehavior",
        "contact",
        "Set recording and analytics behavior",
        "REF:contact-actions-updatecontactrecordingbehavior (no errors listed)",
        parameters=("RecordingBehavior", "AnalyticsBehavior"),
    ),
    _a(
        "UpdateContactRecordingAndAnalyticsBehavior",
        "contact",
        "Set recording, analytics and processing behavior",
        "REF:contact-actions-updatecontactrecordingandanalyticsbehavior",
        free_form=("VoiceBehavior", "ChatBehavior", "EmailBehavior"),
    ),
    _a(
        "UpdateContactRoutingBehavior",
        "contact",
        "Change routing priority / age",
        "REF:contact-actions-updatecontactroutingbehavior (no results, no errors; inbound "
        "flows only); the console's Set routing criteria block may write its RoutingCriteria "
        "here too (any JSON: ProficiencyLevel is a number), so it is accepted",
        parameters=("QueuePriority", "QueueTimeAdjustmentSeconds", "RoutingCriteria"),
        errors=(),
        free_form=("RoutingCriteria",),
        flow_types=(INBOUND,),
        offline="record",
        would="changes the routing priority",
    ),
    _a(
        "UpdateContactTextToSpeechVoice",
        "contact",
        "Set voice",
        "REF:contact-actions-updatecontacttexttospeechvoice; older exports carry only "
        "NextAction (EXPORT), so no error list is assumed",
        parameters=("TextToSpeechVoice", "TextToSpeechEngine", "TextToSpeechStyle"),
    ),
    _a(
        "UpdatePreviousContactParticipantState",
        "contact",
        "Hold customer or agent",
        "REF:contact-actions-updatepreviouscontactparticipantstate",
        parameters=("PreviousContactParticipantState",),
        required=("PreviousContactParticipantState",),
        errors=(_E,),
        offline="record",
        would="changes who is on hold",
    ),
    _a(
        "UpdateContactData",
        "contact",
        "Set contact data / Set Voice ID",
        "REF:contact-actions-updatecontactdata",
        errors=(_E,),
        free_form=("VoiceIdConfiguration", "Segment", "Customer", "RoutingCriteria"),
    ),
    _a(
        "TagContact",
        "contact",
        "Tag contact",
        "REF:contact-actions-tagcontact",
        parameters=("Tags",),
        required=("Tags",),
        errors=(_E,),
        offline="record",
        would="tags the contact",
    ),
    _a(
        "UnTagContact",
        "contact",
        "Untag contact",
        "REF:contact-actions-untagcontact",
        parameters=("TagKeys",),
        required=("TagKeys",),
        errors=(_E,),
        offline="record",
        would="removes contact tags",
    ),
    _a(
        "CreateTask",
        "contact",
        "Create task",
        "REF:createtask",
        errors=(_E,),
        free_form=("References", "Attributes"),
        offline="record",
        would="creates a task",
    ),
    _a(
        "CreateWisdomSession",
        "contact",
        "Amazon Q in Connect",
        "REF:createwisdomsession",
        parameters=("WisdomAssistantArn",),
        errors=(_E,),
    ),
    _a(
        "CreateCase",
        "contact",
        "Cases (create)",
        "REF:createcase",
        errors=(_E,),
        free_form=("CaseRequestFields", "LinkContactToCase"),
        offline="answer",
        would="creates a case",
    ),
    _a(
        "GetCase",
        "contact",
        "Cases (get)",
        "REF:getcase",
        errors=(_E, "MultipleFound", "NoneFound"),
        free_form=("CaseRequestFields", "GetLastUpdatedCase", "LinkContactToCase"),
        offline="answer",
        would="looks a case up",
    ),
    _a(
        "UpdateCase",
        "contact",
        "Cases (update)",
        "REF:updatecase",
        errors=(_E,),
        free_form=("CaseRequestFields",),
        offline="answer",
        would="updates a case",
    ),
    _a(
        "InvokeFlowModule",
        "contact",
        "Invoke module",
        "REF:flow-language-actions-invoke-flow-module",
        parameters=("FlowModuleId",),
        required=("FlowModuleId",),
        errors=(_E,),
        replaces_external=True,
        free_form=("InvocationTimeLimitSeconds",),
    ),
    _a(
        "EndFlowModuleExecution",
        "contact",
        "Return (module)",
        "REF:endflowmoduleexecution",
        terminal=True,
        flow_types=(MODULE,),
    ),
    _a(
        "StartOutboundChatContact",
        "contact",
        "Send message (outbound chat)",
        "REF:contact-actions-startoutboundchatcontact",
        errors=(_E,),
        offline="record",
        would="starts an outbound chat",
    ),
    _a(
        "ResumeContact",
        "contact",
        "Resume contact",
        "REF:contact-actions (ResumeContact)",
        errors=(_E,),
        offline="record",
        would="resumes the contact",
    ),
    _a(
        "CompleteOutboundCall",
        "contact",
        "Call phone number (outbound campaign)",
        "REF:contact-actions-completeoutboundcall",
        errors=(_E,),
        offline="record",
        would="places the outbound call",
    ),
    # --- Flow control actions (REF:flow-control-actions) ---
    _a(
        "Compare",
        "flow control",
        "Check contact attributes",
        "REF:flow-control-actions-compare",
        parameters=("ComparisonValue",),
        required=("ComparisonValue",),
        errors=(_C,),
        result=True,
    ),
    _a(
        "CheckHoursOfOperation",
        "flow control",
        "Check hours of operation",
        "REF:flow-control-actions-checkhoursofoperation: exactly Equals True and Equals False",
        parameters=("HoursOfOperationId",),
        errors=(_E,),
        result=True,
        flow_types=(INBOUND, TRANSFER, CUSTOMER_QUEUE, MODULE),
    ),
    _a(
        "CheckMetricData",
        "flow control",
        "Check queue status / Check staffing",
        "REF:flow-control-actions-checkmetricdata",
        parameters=("MetricType", "QueueId", "AgentId"),
        required=("MetricType",),
        errors=(_E, _C),
        result=True,
    ),
    _a(
        "GetMetricData",
        "flow control",
        "Get queue metrics",
        "REF:flow-control-actions-getmetricdata: loads $.Metrics, no result",
        parameters=("QueueId", "AgentId"),
        errors=(_E,),
        offline="answer",
        would="loads queue metrics",
    ),
    _a(
        "CheckOutboundCallStatus",
        "flow control",
        "Check call progress",
        "REF:flow-control-actions-checkoutboundcallstatus: result CallAnswered, "
        "VoicemailBeep, VoicemailNoBeep, NotDetected",
        errors=(_E, _C),
        result=True,
        offline="answer",
        default_answer="CallAnswered",
        would="checks the outbound call's progress",
    ),
    _a(
        "CheckVoiceId",
        "flow control",
        "Check Voice ID",
        "REF:flow-control-actions-checkvoiceid: result is the authentication, fraud or "
        "enrollment status",
        parameters=("CheckVoiceIdOption",),
        errors=(_E, _C),
        result=True,
        offline="answer",
        would="checks Voice ID",
    ),
    _a(
        "StartVoiceIdStream",
        "flow control",
        "Set Voice ID",
        "REF:flow-control-actions-startvoiceidstream",
        errors=(_E,),
    ),
    _a(
        "DistributeByPercentage",
        "flow control",
        "Distribute by percentage",
        "REF:flow-control-actions-distributebypercentage",
        errors=(_C,),
        result=True,
    ),
    _a(
        "Loop",
        "flow control",
        "Loop",
        "REF:flow-control-actions-loop: exactly Equals ContinueLooping and Equals DoneLooping",
        parameters=("LoopCount",),
        required=("LoopCount",),
        errors=(),
        result=True,
    ),
    _a(
        "EndFlowExecution",
        "flow control",
        "End flow / Resume",
        "REF:flow-control-actions-endflowexecution",
        terminal=True,
        flow_types=(WHISPER, CUSTOMER_QUEUE, HOLD, MODULE),
    ),
    _a(
        "TransferToFlow",
        "flow control",
        "Transfer to flow",
        "REF:flow-control-actions-transfertoflow",
        parameters=("ContactFlowId",),
        required=("ContactFlowId",),
        errors=(_E,),
        terminal=True,
        replaces_external=True,
        flow_types=(INBOUND, TRANSFER),
    ),
    _a(
        "UpdateFlowAttributes",
        "flow control",
        "Set flow attributes",
        "REF:flow-control-actions-updateflowattributes",
        parameters=("FlowAttributes",),
    ),
    _a(
        "UpdateFlowLoggingBehavior",
        "flow control",
        "Set logging behavior",
        "REF:flow-control-actions-updateflowloggingbehavior",
        parameters=("FlowLoggingBehavior",),
        required=("FlowLoggingBehavior",),
    ),
    _a(
        "UpdateRoutingCriteria",
        "flow control",
        "Set routing criteria",
        "REF:flow-control-actions-updateroutingcriteria (ProficiencyLevel is a float)",
        parameters=("RoutingCriteria",),
        required=("RoutingCriteria",),
        errors=(_E,),
        free_form=("RoutingCriteria",),
        offline="record",
        would="sets routing criteria",
    ),
    _a(
        "UpdateContactRoutingCriteria",
        "flow control",
        "Set routing criteria (as the console exports it)",
        "EXPORT: amazon-connect/voicemail-express-amazon-connect vmx3-contactflows.yaml writes "
        "the Set routing criteria block as UpdateContactRoutingCriteria where the reference "
        "says UpdateRoutingCriteria; Connect accepts it, so both are taken",
        parameters=("RoutingCriteria",),
        required=("RoutingCriteria",),
        errors=(_E,),
        free_form=("RoutingCriteria",),
        offline="record",
        would="sets routing criteria",
    ),
    _a(
        "Wait",
        "flow control",
        "Wait",
        "REF:flow-control-actions-wait; EXPORT: TimeLimitSeconds and Events "
        "[CustomerReturned] with Conditions CustomerReturned / WaitCompleted",
        parameters=("TimeoutSeconds", "TimeLimitSeconds", "Events"),
        errors=(_E, _C),
        result=True,
        channels=(CHAT, TASK, EMAIL),
        offline="answer",
        default_answer="WaitCompleted",
        would="waits",
    ),
    # --- Interactions (REF:interactions) ---
    _a(
        "InvokeLambdaFunction",
        "interaction",
        "Invoke AWS Lambda function",
        "REF:interactions-invokelambdafunction; time limit 1-8 s, STRING_MAP under 32 KB",
        parameters=(
            "LambdaFunctionARN",
            "InvocationTimeLimitSeconds",
            "LambdaInvocationAttributes",
            "ResponseValidation",
            "InvocationType",
        ),
        required=("LambdaFunctionARN",),
        errors=(_E,),
        replaces_external=True,
    ),
    _a(
        "CreateCallbackContact",
        "interaction",
        "Transfer to queue (callback)",
        "REF:interactions-createcallbackcontact",
        parameters=(
            "InitialCallDelaySeconds",
            "MaximumConnectionAttempts",
            "RetryDelaySeconds",
            "QueueId",
            "AgentId",
        ),
        errors=(_E,),
        offline="record",
        would="queues a callback",
    ),
    _a(
        "CreateCustomerProfile",
        "interaction",
        "Customer profiles (create)",
        "REF:interactions-createcustomerprofile",
        parameters=_PROFILE,
        errors=(_E,),
        free_form=_PROFILE,
        offline="answer",
        would="creates a customer profile",
    ),
    _a(
        "GetCustomerProfile",
        "interaction",
        "Customer profiles (get)",
        "REF:interactions-getcustomerprofile",
        parameters=_PROFILE,
        errors=(_E, "MultipleFoundError", "NoneFoundError"),
        free_form=_PROFILE,
        offline="answer",
        would="looks a customer profile up",
    ),
    _a(
        "UpdateCustomerProfile",
        "interaction",
        "Customer profiles (update)",
        "REF:interactions-updatecustomerprofile",
        parameters=_PROFILE,
        errors=(_E,),
        free_form=_PROFILE,
        offline="answer",
        would="updates a customer profile",
    ),
    _a(
        "AssociateContactToCustomerProfile",
        "interaction",
        "Customer profiles (associate contact)",
        "REF:interactions-associatecontacttocustomerprofile",
        parameters=_PROFILE,
        errors=(_E,),
        free_form=_PROFILE,
        offline="answer",
        would="associates the contact with a customer profile",
    ),
    _a(
        "GetCustomerProfileObject",
        "interaction",
        "Customer profiles (get object)",
        "REF:interactions-getcustomerprofileobject",
        parameters=_PROFILE,
        errors=(_E, "NoneFoundError"),
        free_form=_PROFILE,
        offline="answer",
        would="reads a customer profile object",
    ),
    _a(
        "GetCalculatedAttributesForCustomerProfile",
        "interaction",
        "Customer profiles (calculated attributes)",
        "REF:interactions-getcalculatedattributesforcustomerprofile",
        parameters=_PROFILE,
        errors=(_E,),
        free_form=_PROFILE,
        offline="answer",
        would="reads calculated profile attributes",
    ),
)

# Types not in the reference that the earlier catalogue accepted from public exports: kept so a
# flow lint passed yesterday does not fail today (a false error costs more than a missed one).
_OBSERVED: tuple[ActionSpec, ...] = (
    _a(
        "SendMessage",
        "contact",
        "SendMessage",
        "EXPORT (earlier catalogue; not in the reference)",
        offline="record",
        would="sends a message",
    ),
    _a(
        "UpdateContactChannelBehavior",
        "contact",
        "UpdateContactChannelBehavior",
        "EXPORT (earlier catalogue; not in the reference)",
        offline="record",
        would="changes channel behavior",
    ),
    _a(
        "ReturnFromFlowModule",
        "contact",
        "Return (module, older name)",
        "EXPORT (earlier catalogue; not in the reference): ends the module like "
        "EndFlowModuleExecution",
        terminal=True,
        flow_types=(MODULE,),
    ),
)

ACTIONS: dict[str, ActionSpec] = {s.type: s for s in (*_SPECS, *_OBSERVED)}


def spec(action_type: str) -> ActionSpec | None:
    return ACTIONS.get(action_type)


# --- Conditions (connect.md 2.2; REF:flow-language-actions) ---


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _numeric(test: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    # Numeric operators are false when either side is not a number, so a caller who typed
    # nothing (or "Timeout") never lands in a numeric branch by accident.
    def compare(value: str, operand: str) -> bool:
        left, right = _number(value), _number(operand)
        return left is not None and right is not None and test(left, right)

    return compare


@dataclass(frozen=True, slots=True)
class Operator:
    symbol: str  # how a diagram labels it
    test: Callable[[str, str], bool]  # (the action's result, the Condition's operand)


CONDITION_OPERATORS: dict[str, Operator] = {
    "Equals": Operator("=", lambda value, operand: value == operand),
    "TextStartsWith": Operator("starts with", lambda value, operand: value.startswith(operand)),
    "TextEndsWith": Operator("ends with", lambda value, operand: value.endswith(operand)),
    "TextContains": Operator("contains", lambda value, operand: operand in value),
    "NumberGreaterThan": Operator(">", _numeric(lambda a, b: a > b)),
    "NumberGreaterOrEqualTo": Operator(">=", _numeric(lambda a, b: a >= b)),
    "NumberLessThan": Operator("<", _numeric(lambda a, b: a < b)),
    "NumberLessOrEqualTo": Operator("<=", _numeric(lambda a, b: a <= b)),
}

# Types whose result is fixed: the Conditions must be exactly these Equals operands.
FIXED_CONDITIONS: dict[str, frozenset[str]] = {
    "CheckHoursOfOperation": frozenset({"True", "False"}),
    "Loop": frozenset({"ContinueLooping", "DoneLooping"}),
}

MENU_KEYS = frozenset("0123456789*#")

# --- Limits ---
LAMBDA_TIME_LIMIT_S = (MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S)  # InvocationTimeLimitSeconds
LAMBDA_ANSWER_LIMIT_BYTES = STRING_MAP_LIMIT_BYTES  # a STRING_MAP answer is under this
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

# First segment of `$.<Namespace>...` (connect.md 2.4 and the admin guide's attribute list,
# taken generously). CustomerCallBackPhoneNumber: EXPORT (aws-samples/amazon-connect-rules-
# engine RulesEngineQueue passes it to a Lambda).
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
        "CustomerCallBackPhoneNumber",
        "DisconnectReason",
    }
)

# --- The legacy console export (connect.md 2.1) ---
LEGACY_EXPORT_HINT = (
    "a legacy console export; export the flow with the Flow language, e.g. "
    "describe-contact-flow's Content"
)


def is_legacy_export(document: object) -> bool:
    """The pre-2020 console export: top-level `modules` (with `version`/`start`), no Actions."""
    return (
        isinstance(document, dict)
        and isinstance(document.get("modules"), list)
        and "Actions" not in document
    )
