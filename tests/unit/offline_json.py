"""`awsmedic diagnose --offline --no-input --format json` run in-process, and what tests read
from its output: the leading cause and the steps' Markdown; and the text-only ranking
(`--no-probes`), as the recognition figures measure it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from awsmedic.cli import main


def diagnosed(capsys: pytest.CaptureFixture[str], text: str, *answers: str) -> dict[str, Any]:
    """The JSON output for `text`, with `--answer` for each of `answers` (`question=value`)."""
    given = [part for answer in answers for part in ("--answer", answer)]
    status = main(["diagnose", "--offline", "--no-input", "--format", "json", *given, text])
    output: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert status == 0
    return output


def leading(output: dict[str, Any]) -> str:
    """The cause concluded, or (a check left undone offline) the most likely candidate, whose
    steps are shown."""
    return str((output["diagnosis"] or output["candidates"][0])["cause"])


def step_text(output: dict[str, Any]) -> str:
    """Every step's Markdown, one after the other."""
    return "\n".join(step["text"] for step in output["steps"])


def text_only(capsys: pytest.CaptureFixture[str], text: str) -> list[str]:
    """The candidate causes for `text` with no probe run (`--no-probes`), best first."""
    status = main(["diagnose", "--no-probes", "--no-input", "--format", "json", text])
    output: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert status == 0
    return [str(candidate["cause"]) for candidate in output["candidates"]]
