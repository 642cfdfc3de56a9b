from __future__ import annotations

import pytest

from awsmedic.model import Status
from tests.unit.probes.helpers import KEY, SECRET, TOKEN, probe


def test_clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    evidence = probe("creds.env")
    assert evidence.status is Status.OK
    assert "AWS_EC2_METADATA_DISABLED" in evidence.summary


def test_values_are_checked_but_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY + "\r")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", f'"{SECRET}"')
    evidence = probe("creds.env")
    assert evidence.status is Status.PROBLEM
    assert "env-credential-stray-characters" in evidence.findings
    text = " ".join(evidence.details)
    assert "AWS_ACCESS_KEY_ID has trailing whitespace" in text
    assert "AWS_SECRET_ACCESS_KEY has surrounding quotes" in text
    assert KEY not in text and SECRET not in text and SECRET not in repr(evidence)


def test_security_token_shadowing_and_profile_conflict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECURITY_TOKEN", TOKEN)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN[::-1])
    monkeypatch.setenv("AWS_PROFILE", "dev")
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "prod")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    findings = set(probe("creds.env").findings)
    assert {
        "security-token-shadows-session-token",
        "env-profile-conflict",
        "aws-region-only",
    } <= findings


def test_partial_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    assert "env-secret-without-key-id" in probe("creds.env").findings
