"""`PinStore` on DynamoDB: credentials in PinsTable, attempt counters in PinAttemptsTable.

    PinsTable         customer_id (S, key), customer_number (S, GSI `by-number`), pin_hash (S)
    PinAttemptsTable  subject (S, key), failures (N), window_start (N), expires_at (N, TTL),
                      claims (L of S: the tokens counted in this window, oldest first)

Two tables so that the TTL which clears old counters can never touch a credential.

A PIN check is claimed with conditional UpdateItems, each atomic on the item, each carrying
a token of its own (a uuid4, the same for every request of one claim):

    continue   ADD failures 1, append the token to claims
                   if 1 <= failures < max, the window is open, and the token is not in claims
    open       SET failures 1, window_start now, claims [token]
                   if (no item, an empty one, or an expired window) and the token is not in claims

When neither condition holds the customer may be locked: a strongly consistent read then
decides (locked, or the item changed between the two writes and the claim is tried again).
However many checks run at once, DynamoDB evaluates each condition against the item as the
previous write left it, so no more than `max_failures` are ever granted per window.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html

The token is what makes a retried request harmless. botocore resends a request whose response
did not arrive in time (read_timeout, functions/stores/dynamodb/client.py), although DynamoDB
may have applied it; resending a bare `ADD failures 1` counted one check twice (issue 10).
https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html
With the token the resent write fails its condition, and the read that follows finds the token
in `claims`: the claim was granted by the first request. Its count is the one that request
wrote: `claims` lists the tokens of this window in the order they were counted, so the failures
after ours are the tokens after ours. Other interleavings:

- another claim counted between our write and the resend: it appended its token after ours,
  so ours still reports the count it made, and the limit still holds (one write each);
- the counter reset (a correct PIN on another call) or its window expired and another claim
  reopened it in between: our token went with it, so the resend is counted again, once, in the
  new window, which is where the check it grants is made;
- every attempt times out: the claim may have been counted but is reported unavailable, so no
  PIN is compared: the lockout errs towards refusing, never towards an extra check.

`claims` holds at most `max_failures` tokens: continue appends only below the limit and open
replaces the list. Items written before tokens existed have no `claims`; both writes accept them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from functions.config import PIN_ATTEMPTS_TABLE, PINS_TABLE
from functions.errors import InvalidRecord, StoreUnavailable
from functions.pins import AttemptWindow, LockoutPolicy
from functions.stores import rows
from functions.stores.dynamodb.client import new_dynamodb_client
from functions.stores.dynamodb.table import DynamoTable, string_values
from functions.stores.pins import AttemptClaim, PinRecord, PinStore

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

NUMBER_INDEX = "by-number"
_RECORD_FIELDS = ("customer_id", "customer_number", "pin_hash")
# Rounds of continue/open/read before giving up: two suffice unless the item keeps changing.
_CLAIM_ROUNDS = 3


@dataclass(frozen=True)
class _Counter:
    """A stored counter: its window and the tokens of the claims it counted, oldest first."""

    window: AttemptWindow
    claims: tuple[str, ...]

    def claimed_by(self, token: str) -> AttemptWindow | None:
        """The window as the claim with `token` left it, or None when it did not count here.

        Every claim after ours appended one token and added one failure, so ours made the
        count that stood before them.
        """
        if token not in self.claims:
            return None
        after = len(self.claims) - 1 - self.claims.index(token)
        return AttemptWindow(self.window.failures - after, self.window.window_start)


class DynamoPinStore(PinStore):
    def __init__(
        self,
        table_name: str,
        attempts_table: str,
        client: DynamoDBClient | None = None,
        *,
        client_factory: Callable[[], DynamoDBClient] = new_dynamodb_client,
    ) -> None:
        # One vendor for both tables: errors name both variables, the client is shared.
        self.table = DynamoTable(
            table_name,
            f"{PINS_TABLE} and {PIN_ATTEMPTS_TABLE}",
            client,
            client_factory=client_factory,
        )
        super().__init__(self.table)
        self.attempts_table = attempts_table

    def _get(self, customer_id: str) -> PinRecord | None:
        answer = self.table.client.get_item(
            TableName=self.table.name, Key={"customer_id": {"S": customer_id}}
        )
        item = answer.get("Item")
        return self._record(item) if item else None

    def _find_by_number(self, customer_number: str) -> PinRecord | None:
        answer = self.table.client.query(
            TableName=self.table.name,
            IndexName=NUMBER_INDEX,
            KeyConditionExpression="customer_number = :number",
            ExpressionAttributeValues={":number": {"S": customer_number}},
            Limit=1,
        )
        items = answer.get("Items", [])
        return self._record(items[0]) if items else None

    def _record(self, item: dict[str, Any]) -> PinRecord:
        """A credential item, read as far as it can be (functions/stores/rows.py).

        Without a string id or number it is `InvalidRecord`; without a string hash it is a
        credential no PIN matches ("" never verifies, and costs a check like any other).
        """
        values = string_values(item, _RECORD_FIELDS)
        problems = {
            name: "missing" if name not in values else "string_type"
            for name in _RECORD_FIELDS
            if not isinstance(values.get(name), str)
        }
        if problems:
            refused = sorted(problems.keys() & {"customer_id", "customer_number"})
            rows.report("PinRecord", problems, self.backend, refused=bool(refused))
            if refused:
                raise InvalidRecord(
                    f"a stored PinRecord has no usable {', '.join(refused)}: correct the item"
                )
        return PinRecord(
            customer_id=values["customer_id"],
            customer_number=values["customer_number"],
            pin_hash=values["pin_hash"] if "pin_hash" not in problems else "",
        )

    def _put(self, record: PinRecord) -> None:
        self.table.client.put_item(
            TableName=self.table.name,
            Item={
                "customer_id": {"S": record.customer_id},
                "customer_number": {"S": record.customer_number},
                "pin_hash": {"S": record.pin_hash},
            },
        )

    def _replace_hash(self, record: PinRecord, new_hash: str) -> None:
        # Names `customer_id` and `pin_hash` only, returns nothing: all that verify_pin's role
        # may do to PinsTable (template.yaml, dynamodb:Attributes and dynamodb:ReturnValues).
        # The condition keeps a credential changed or removed meanwhile as it is.
        try:
            self.table.client.update_item(
                TableName=self.table.name,
                Key={"customer_id": {"S": record.customer_id}},
                UpdateExpression="SET pin_hash = :new",
                ConditionExpression="attribute_exists(customer_id) AND pin_hash = :old",
                ExpressionAttributeValues={
                    ":new": {"S": new_hash},
                    ":old": {"S": record.pin_hash},
                },
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    def _claim_attempt(self, subject: str, now: int, policy: LockoutPolicy) -> AttemptClaim:
        # One token for every request of this claim, botocore's resends included (they send the
        # same parameters): whichever of them was applied, the others find it in `claims`.
        token = uuid.uuid4().hex
        for _ in range(_CLAIM_ROUNDS):
            claimed = self._continue_window(subject, token, now, policy) or self._open_window(
                subject, token, now, policy
            )
            if claimed is not None:
                return AttemptClaim(granted=True, window=claimed)
            current = self._read_counter(subject)
            if current is None:
                continue
            mine = current.claimed_by(token)
            if mine is not None:
                # A write of ours was applied but its response lost; botocore's resend then
                # failed its condition. The first write granted the claim.
                return AttemptClaim(granted=True, window=mine)
            if policy.is_locked(current.window, now):
                return AttemptClaim(granted=False, window=current.window)
        raise StoreUnavailable(
            f"the attempt counter kept changing during {_CLAIM_ROUNDS} rounds; try again"
        )

    def _continue_window(
        self, subject: str, token: str, now: int, policy: LockoutPolicy
    ) -> AttemptWindow | None:
        if policy.max_failures < 2:
            return None  # every window holds one check: only _open_window can grant it
        return self._conditional_update(
            subject,
            update=(
                "ADD failures :one SET claims = list_append(if_not_exists(claims, :none), :mine)"
            ),
            # contains() on a missing `claims` (an item from before tokens) is false.
            condition=(
                "failures BETWEEN :one AND :below_max AND window_start > :expired_before "
                "AND NOT contains(claims, :token)"
            ),
            values={
                ":one": _n(1),
                ":below_max": _n(policy.max_failures - 1),
                ":expired_before": _n(policy.expired_before(now)),
                ":none": {"L": []},
                ":mine": {"L": [{"S": token}]},
                ":token": {"S": token},
            },
        )

    def _open_window(
        self, subject: str, token: str, now: int, policy: LockoutPolicy
    ) -> AttemptWindow | None:
        opened = AttemptWindow(failures=1, window_start=now)
        return self._conditional_update(
            subject,
            update=(
                "SET failures = :one, window_start = :now, expires_at = :expires_at, claims = :mine"
            ),
            # The token test only matters if the window could count as expired again at the
            # same `now` (window_s <= 0); it keeps "no write of a claim applies twice" true
            # without that argument.
            condition=(
                "(attribute_not_exists(subject) OR failures = :zero "
                "OR window_start <= :expired_before) AND NOT contains(claims, :token)"
            ),
            values={
                ":one": _n(1),
                ":zero": _n(0),
                ":now": _n(now),
                ":expires_at": _n(policy.expires_at(opened)),
                ":expired_before": _n(policy.expired_before(now)),
                ":mine": {"L": [{"S": token}]},
                ":token": {"S": token},
            },
        )

    def _conditional_update(
        self, subject: str, *, update: str, condition: str, values: dict[str, Any]
    ) -> AttemptWindow | None:
        """The item after the update, or None when its condition was false."""
        try:
            answer = self.table.client.update_item(
                TableName=self.attempts_table,
                Key={"subject": {"S": subject}},
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return None
            raise
        return _window(answer["Attributes"])

    def _read_counter(self, subject: str) -> _Counter | None:
        answer = self.table.client.get_item(
            TableName=self.attempts_table, Key={"subject": {"S": subject}}, ConsistentRead=True
        )
        item = answer.get("Item")
        if not item:
            return None
        claims = tuple(value["S"] for value in item.get("claims", {}).get("L", []))
        return _Counter(window=_window(item), claims=claims)

    def _attempt_window(self, subject: str) -> AttemptWindow | None:
        counter = self._read_counter(subject)
        return None if counter is None else counter.window

    def _reset_attempts(self, subject: str) -> None:
        self.table.client.delete_item(
            TableName=self.attempts_table, Key={"subject": {"S": subject}}
        )


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _window(item: dict[str, Any]) -> AttemptWindow:
    return AttemptWindow(
        failures=int(item.get("failures", {}).get("N", "0")),
        window_start=int(item.get("window_start", {}).get("N", "0")),
    )
