"""Every environment variable the deployed functions read, by name, in one place.

Values are read when a handler, store or client is built (never at import), and an explicit
argument always beats the variable. Each variable is documented here and in README.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# Which store backend the functions use: "sql" (default) or "dynamodb".
STORE_BACKEND = "IVR_STORE_BACKEND"
# SQL store: sqlite:///path, mysql://user:pass@host:port/db, postgresql://user:pass@host:port/db.
# Unset: the embedded SQLite file .ivr/ivr.sqlite3 under the working directory.
DATABASE_URL = "IVR_DATABASE_URL"
# SQL store on RDS: a Secrets Manager secret (username, password, host, port, dbname, engine)
# read through Powertools Parameters; used when IVR_DATABASE_URL is unset.
DATABASE_SECRET_ARN = "IVR_DATABASE_SECRET_ARN"
# With IVR_DATABASE_SECRET_ARN: the host to connect to instead of the secret's own (the RDS
# Proxy endpoint; the secret names the database instance behind it).
DATABASE_PROXY_HOST = "IVR_DATABASE_PROXY_HOST"
# DynamoDB table names, one per record type; each one's default name and template.yaml
# resource are declared with it in functions/stores/registry.py.
CUSTOMERS_TABLE = "IVR_CUSTOMERS_TABLE"
BUSINESS_TABLE = "IVR_BUSINESS_TABLE"
CALLBACKS_TABLE = "IVR_CALLBACKS_TABLE"
PINS_TABLE = "IVR_PINS_TABLE"
PIN_ATTEMPTS_TABLE = "IVR_PIN_ATTEMPTS_TABLE"
VERIFICATIONS_TABLE = "IVR_VERIFICATIONS_TABLE"
ORDERS_TABLE = "IVR_ORDERS_TABLE"
# order_status: where orders live, "sql" (the relational store on RDS) or "dynamodb"; default
# IVR_STORE_BACKEND. Verifications always follow IVR_STORE_BACKEND, as verify_pin writes them.
ORDER_STORE_BACKEND = "IVR_ORDER_STORE_BACKEND"
# check_business_status: the IANA time zone opening hours are written in (default Asia/Tokyo),
# the country whose public holidays close the line (ISO 3166 alpha-2, default JP; any country
# the `holidays` package knows), and how long a container reuses the business settings it
# read (seconds, default 30: an emergency an admin sets is heard within that time).
TIME_ZONE = "IVR_TIME_ZONE"
HOLIDAY_COUNTRY = "IVR_HOLIDAY_COUNTRY"
BUSINESS_CACHE_SECONDS = "IVR_BUSINESS_CACHE_SECONDS"
# Simulator and tests only, never set in a deployed stack: an ISO 8601 instant with offset
# (2026-01-05T09:00:00+09:00) that check_business_status takes as "now" instead of the clock.
FIXED_NOW = "IVR_FIXED_NOW"
# Tests and local runs only, never set in a deployed stack: "test" makes new PIN hashes cheap
# (functions/pins.py TEST_COST) instead of "production" (the default), so suites that seed PINs
# do not spend their time in scrypt. Hashes of either cost verify under both.
PIN_HASH_COST = "IVR_PIN_HASH_COST"
# Region for national-format caller numbers and keyed numbers (ISO 3166 alpha-2).
DEFAULT_REGION = "IVR_DEFAULT_REGION"
# request_callback: where a callback may be booked (functions/callback_policy.py, issue 9 toll
# fraud). Countries: comma-separated ISO 3166 alpha-2 codes ("JP,US"), blank: the
# IVR_DEFAULT_REGION only. Number types: comma-separated phonenumbers types ("fixed_line,
# mobile", the default; also toll_free, voip, uan, pager, voicemail, fixed_line_or_mobile);
# premium_rate, shared_cost, personal_number and unknown are refused whatever is set.
CALLBACK_COUNTRIES = "IVR_CALLBACK_COUNTRIES"
CALLBACK_NUMBER_TYPES = "IVR_CALLBACK_NUMBER_TYPES"
# The callback workflow (issue 11, statemachines/callback.asl.json).
# start_callback_workflow: the state machine each booked callback starts.
CALLBACK_STATE_MACHINE_ARN = "IVR_CALLBACK_STATE_MACHINE_ARN"
# callback_schedule: attempts per callback (default 3), minutes between a missed attempt and
# the next (default 15; later still if the line is closed by then), and seconds an outbound
# call may ring before the flow reports it answered (default 60: the dialing step's heartbeat).
CALLBACK_MAX_ATTEMPTS = "IVR_CALLBACK_MAX_ATTEMPTS"
CALLBACK_RETRY_MINUTES = "IVR_CALLBACK_RETRY_MINUTES"
CALLBACK_ANSWER_SECONDS = "IVR_CALLBACK_ANSWER_SECONDS"
# place_callback: where StartOutboundVoiceContact places the call: the Connect instance id,
# the outbound flow's id (contact_flows/callback_outbound.json), the queue the caller joins,
# and the number the caller sees (E.164, claimed in the instance).
CONNECT_INSTANCE_ID = "IVR_CONNECT_INSTANCE_ID"
OUTBOUND_FLOW_ID = "IVR_OUTBOUND_FLOW_ID"
OUTBOUND_QUEUE_ID = "IVR_OUTBOUND_QUEUE_ID"
OUTBOUND_SOURCE_NUMBER = "IVR_OUTBOUND_SOURCE_NUMBER"
# The Lambda time limit the flow gives the function when it passes none (seconds, 1..8).
DEFAULT_TIME_LIMIT = "IVR_DEFAULT_TIME_LIMIT_SECONDS"
# Time kept back from the flow's time limit for the answer to travel back to Connect (ms).
DEADLINE_MARGIN_MS = "IVR_DEADLINE_MARGIN_MS"
# Tests only: "1" turns a backend whose server can't be reached from a skip into a failure.
REQUIRE_SERVICES = "IVR_REQUIRE_SERVICES"

DEFAULT_SQLITE_URL = "sqlite:///.ivr/ivr.sqlite3"
DEFAULT_TIME_ZONE = "Asia/Tokyo"
DEFAULT_HOLIDAY_COUNTRY = "JP"
DEFAULT_CALLBACK_NUMBER_TYPES = "fixed_line,mobile"


def env(name: str, default: str = "") -> str:
    """The variable's value, or `default` when it is unset or blank."""
    value = os.environ.get(name, "").strip()
    return value or default


@dataclass(frozen=True)
class RuntimeSettings:
    """What the handler runtime needs: read once per container from the environment."""

    default_time_limit_s: float = 3.0
    deadline_margin_ms: int = 300
    default_region: str = "JP"

    @classmethod
    def from_env(cls) -> RuntimeSettings:
        return cls(
            default_time_limit_s=float(env(DEFAULT_TIME_LIMIT, "3")),
            deadline_margin_ms=int(env(DEADLINE_MARGIN_MS, "300")),
            default_region=env(DEFAULT_REGION, "JP").upper(),
        )
