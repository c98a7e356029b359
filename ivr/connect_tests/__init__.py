"""Amazon Connect's Testing language offline: import test cases and run them in the engine,
and export our scenarios as test cases that run in the cloud.

    case = load_case("tests/connect_tests/cases/menu.json")
    result = CaseRunner("contact_flows/main_inbound.json", resources={...}).run(case)
    result.status, result.summary, result.observations

    document = export_scenario("contact_flows/main_inbound.json", scenario)  # CreateTestCase body
"""

from __future__ import annotations

from ivr.connect_tests.document import (
    LEGACY_VERSION,
    TESTING_LANGUAGE_VERSION,
    ConnectTestCase,
    load_case,
    parse_case,
)
from ivr.connect_tests.export import export_content, export_scenario
from ivr.connect_tests.matching import SIMILARITY_THRESHOLD
from ivr.connect_tests.results import FAILED, PASSED, CaseResult, LogEntry, ObservationResult
from ivr.connect_tests.runner import CaseRunner, run_case

__all__ = [
    "FAILED",
    "LEGACY_VERSION",
    "PASSED",
    "SIMILARITY_THRESHOLD",
    "TESTING_LANGUAGE_VERSION",
    "CaseResult",
    "CaseRunner",
    "ConnectTestCase",
    "LogEntry",
    "ObservationResult",
    "export_content",
    "export_scenario",
    "load_case",
    "parse_case",
    "run_case",
]
