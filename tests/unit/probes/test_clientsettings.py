"""config.client-settings: the settings botocore refuses as it creates a client, and where each
is set (audit 5 s17/s18: check said "Nothing is wrong" while every boto3 call failed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.unit.probes.helpers import probe

VARIABLES = (
    "AWS_RETRY_MODE",
    "AWS_MAX_ATTEMPTS",
    "AWS_DEFAULTS_MODE",
    "AWS_STS_REGIONAL_ENDPOINTS",
    "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
)


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_a_retry_mode_variable_botocore_does_not_know(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_RETRY_MODE", "fast")
    evidence = probe("config.client-settings")
    assert evidence.status is Status.PROBLEM
    assert evidence.findings == (
        "client-setting-invalid",
        "client-setting-env",
        "retry-mode-invalid-env",
    )
    assert "AWS_RETRY_MODE='fast' in the environment" in evidence.summary


def test_a_retry_mode_in_the_profile_names_its_line(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / ".aws" / "config").write_text(
        "[profile dev]\nregion = eu-west-1\nretry_mode = bogus\nmax_attempts = 5\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "dev")
    evidence = probe("config.client-settings")
    assert evidence.findings == ("client-setting-invalid", "retry-mode-invalid-file")
    assert "retry_mode = 'bogus' in ~/.aws/config line 3 [profile dev]" in evidence.summary
    # the variable wins over the profile's value, as in botocore's config chain
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    assert probe("config.client-settings").findings == ("client-settings-ok",)


@pytest.mark.parametrize(
    ("variable", "value", "finding"),
    [
        ("AWS_RETRY_MODE", "Standard", "retry-mode-invalid-env"),  # compared as written
        ("AWS_RETRY_MODE", "", "retry-mode-invalid-env"),
        ("AWS_MAX_ATTEMPTS", "0", "max-attempts-invalid-env"),
        ("AWS_DEFAULTS_MODE", "fast", "defaults-mode-invalid-env"),
        ("AWS_STS_REGIONAL_ENDPOINTS", "Regional", "sts-regional-endpoints-invalid-env"),
        ("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "", "s3-us-east-1-invalid-env"),
    ],
)
def test_values_botocore_refuses(
    home: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, finding: str
) -> None:
    monkeypatch.setenv(variable, value)
    assert finding in probe("config.client-settings").findings


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AWS_RETRY_MODE", "legacy"),
        ("AWS_MAX_ATTEMPTS", "1"),
        ("AWS_MAX_ATTEMPTS", "1.5"),  # int() refuses it first: config.number-settings' finding
        ("AWS_DEFAULTS_MODE", "Standard"),  # botocore lower-cases the mode
        ("AWS_DEFAULTS_MODE", "in-region"),
        ("AWS_STS_REGIONAL_ENDPOINTS", ""),  # empty is the default, regional
        ("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "legacy"),
    ],
)
def test_values_botocore_takes(
    home: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    assert probe("config.client-settings").findings == ("client-settings-ok",)
