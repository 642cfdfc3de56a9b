"""The .NET SDK's "Credential profile [x] is not valid" for a profile of plain keys that no
credential type fits: not a role, SSO or web identity profile, so the file's own lines are read
(a key id without its secret, a misspelt key name)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from awsmedic.cli import main

DOTNET = (
    "Credential profile [corp] is not valid.  Please ensure the profile contains a valid"
    " combination of properties."
)


def _diagnose(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    main(["diagnose", "--offline", "--no-input", "--profile", "corp", "--format", "json", DOTNET])
    return dict(json.loads(capsys.readouterr().out))


def test_a_key_id_without_its_secret_is_the_file(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    (home / ".aws" / "credentials").write_text(
        "[corp]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_key = abc\n"
    )
    diagnosis = _diagnose(capsys)["diagnosis"]
    assert diagnosis["cause"] == "config-file-syntax"
    assert diagnosis["confidence"] == "confirmed"


def test_a_complete_key_profile_stays_unexplained(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    (home / ".aws" / "credentials").write_text(
        "[corp]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
    )
    output = _diagnose(capsys)
    assert output["diagnosis"]["cause"] == "unknown"
