"""`diagnose --format json` with no single cause: `steps` are the best guess's (candidates[0]),
the steps the text and Markdown outputs show under "Steps for the most likely"."""

from __future__ import annotations

import pytest

from awsmedic.cli import main
from tests.unit.offline_json import diagnosed, step_text

# A question left open (--no-input): SES's SMTP refusal asks which password was used
OPEN_QUESTION = "535 Authentication Credentials Invalid"


def test_the_best_guess_brings_its_steps(capsys: pytest.CaptureFixture[str]) -> None:
    output = diagnosed(capsys, OPEN_QUESTION)
    assert output["diagnosis"] is None
    assert output["candidates"][0]["cause"] == "secret-mismatch"
    steps = step_text(output)
    assert "Create SMTP credentials" in steps
    # the same steps the Markdown output shows for the most likely cause
    status = main(["diagnose", "--offline", "--no-input", "--format", "markdown", OPEN_QUESTION])
    markdown = capsys.readouterr().out
    assert status == 0
    assert "Steps for the most likely" in markdown and "Create SMTP credentials" in markdown


def test_a_diagnosis_keeps_its_own_steps(capsys: pytest.CaptureFixture[str]) -> None:
    output = diagnosed(capsys, OPEN_QUESTION, "ses-smtp-password=no")
    assert output["diagnosis"]["cause"] == "secret-mismatch"
    assert "Create SMTP credentials" in step_text(output)
