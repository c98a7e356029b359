"""The engine's public surface and its block table."""

from __future__ import annotations

import pkgutil

import ivr.engine
from ivr.engine.blocks import BLOCKS


def test_public_exports_are_what_we_mean():
    assert set(ivr.engine.__all__) == {
        "SUPPORTED_TYPES",
        "ActionEntered",
        "AttributeSet",
        "BranchTaken",
        "CallResult",
        "Ended",
        "Event",
        "InputReceived",
        "InputSource",
        "LambdaCalled",
        "Outcome",
        "PromptPlayed",
        "ScriptedInput",
        "Simulator",
        "simulate",
    }
    for name in ivr.engine.__all__:
        assert hasattr(ivr.engine, name)


def test_every_block_module_is_registered_under_its_type():
    modules = {
        m.name
        for m in pkgutil.iter_modules(ivr.engine.blocks.__path__)
        if not m.name.startswith("_") and m.name != "base"
    }
    registered = {block.run.__module__.rsplit(".", 1)[-1] for block in BLOCKS.values()}
    # Blocks made with proceed_after run a closure defined in base; check them by type name.
    for action_type, block in BLOCKS.items():
        assert block.type == action_type
    snake = {"".join("_" + c.lower() if c.isupper() else c for c in t).lstrip("_") for t in BLOCKS}
    assert modules <= snake | registered
