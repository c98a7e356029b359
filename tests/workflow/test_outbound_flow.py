"""contact_flows/callback_outbound.json through `ivr simulate` and `ivr lint` (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivr import cli

ROOT = Path(__file__).resolve().parents[2]
FLOW = str(ROOT / "contact_flows" / "callback_outbound.json")


def simulate(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    answer = tmp_path / "reported.json"
    answer.write_text(json.dumps({"status": "ok", "reason": "", "reported": "true"}))
    code = cli.main(
        [
            "simulate",
            FLOW,
            "--attribute",
            "callbackId=cb-1",
            "--attribute",
            "callbackAttempt=2",
            "--lambda",
            f"${{ReportCallbackOutcomeFunctionArn}}={answer}",
            *args,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def test_pressing_1_reports_answered_then_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = simulate(tmp_path, capsys, "--attribute", "language=en", "--input", "1")
    assert out.index('"outcome": "answered"') < out.index("press 1") < out.index('"accepted"')
    assert '"callbackId": "cb-1"' in out and '"callbackAttempt": "2"' in out
    assert "declined" not in out


def test_silence_reports_declined_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = simulate(tmp_path, capsys, "--attribute", "language=ja", "--input", "timeout")
    assert "1を押してください" in out
    assert '"outcome": "declined"' in out and "accepted" not in out


def test_lint_finds_nothing_against_the_function_contracts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["lint", FLOW]) == 0, capsys.readouterr().out


@pytest.mark.parametrize(
    ("language", "purpose", "greeting"),
    [
        ("en", "order", "about your order"),
        ("en", "account", "about your account"),
        ("en", "general", "about your enquiry"),
        ("ja", "order", "ご注文について"),
        ("ja", "account", "アカウントについて"),
        ("ja", "general", "お問い合わせいただいた件について"),
        ("ja", "something-else", "お問い合わせいただいた件について"),  # unknown: general
        ("en", "", "about your enquiry"),  # a record from before purposes: general
    ],
)
def test_the_caller_is_greeted_by_the_callbacks_purpose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, purpose: str, greeting: str
) -> None:
    out = simulate(
        tmp_path,
        capsys,
        "--attribute",
        f"language={language}",
        "--attribute",
        f"purpose={purpose}",
        "--input",
        "1",
    )
    assert greeting in out
    assert '"outcome": "accepted"' in out
