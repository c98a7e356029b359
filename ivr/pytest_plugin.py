"""pytest plugin giving the `simulate_call` fixture.

Enable it with `pytest_plugins = ["ivr.pytest_plugin"]` in a conftest.py:

    def test_gold_caller(simulate_call):
        call = simulate_call("contact_flows/main_inbound.json", inputs=["1"])
        call.expect.ended_in_queue("Gold")
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ivr.testing import Call, run_call


@pytest.fixture
def simulate_call() -> Callable[..., Call]:
    """`run_call`: simulate a call and get it back ready for `call.expect...` checks."""
    return run_call


__all__ = ["simulate_call"]
