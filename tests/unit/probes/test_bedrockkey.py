"""bedrock.api-key: Amazon Bedrock API keys read from AWS_BEARER_TOKEN_BEDROCK, never shown.

The keys are built as AWS builds them (aws/aws-bedrock-token-generator-python for short-term
keys; IAM's service-specific credential, "<user>-at-<account>:<secret>", for long-term ones)
around AWS's documented example key id and secret.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from awsmedic.model import Status
from awsmedic.probes.bedrockkey import read_key
from tests.unit.probes.helpers import probe, probe_on_paste

EXAMPLE_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE" + "Ab1Cd2Ef3Gh4" * 20
ISSUED = datetime(2026, 12, 4, 10, 10, 10, tzinfo=UTC)
REFUSED = 'Forbidden: {"Message":"Authentication failed: Please make sure your API Key is valid."}'


def short_term_key(
    region: str = "us-west-2", expires: int = 43200, token: str = "", key_id: str = EXAMPLE_KEY_ID
) -> str:
    query = (
        "Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        f"&X-Amz-Credential={key_id}%2F20261204%2F{region}%2Fbedrock%2Faws4_request"
        f"&X-Amz-Date=20261204T101010Z&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host"
        + (f"&X-Amz-Security-Token={token.replace('/', '%2F')}" if token else "")
        + "&X-Amz-Signature="
        + "ab12" * 16
    )
    url = f"bedrock.amazonaws.com/?{query}&Version=1"
    return "bedrock-api-key-" + base64.b64encode(url.encode()).decode()


def long_term_key(user: str = "BedrockAPIKey-ab1c", account: str = "123456789012") -> str:
    return "ABSK" + base64.b64encode(f"{user}-at-{account}:{EXAMPLE_SECRET}".encode()).decode()


def at(hours: float) -> datetime:
    from datetime import timedelta

    return ISSUED + timedelta(hours=hours)


def everything_shown(evidence: object) -> str:
    return " ".join(
        [
            evidence.summary,  # type: ignore[attr-defined]
            *evidence.details,  # type: ignore[attr-defined]
            *(f.describe() for f in evidence.facts.values()),  # type: ignore[attr-defined]
            repr(evidence),
        ]
    )


def test_no_key_in_the_environment_is_said_and_is_no_problem() -> None:
    evidence = probe("bedrock.api-key")
    assert evidence.status is Status.OK
    assert evidence.findings == ("bedrock-key-unset",)


def test_a_fresh_short_term_key_in_its_region_is_read_not_judged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = short_term_key()
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", key)
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    evidence = probe("bedrock.api-key", clock=lambda: at(2))
    assert evidence.status is Status.OK
    assert evidence.findings == ("bedrock-key-short-term",)
    assert evidence.facts["bedrock_key_region"].value == "us-west-2"
    assert evidence.facts["bedrock_key_expiry"].value == "2026-12-04 22:10 UTC"
    shown = everything_shown(evidence)
    assert key[16:40] not in shown
    assert EXAMPLE_KEY_ID not in shown
    assert "****************MPLE" in shown  # the signing key id, masked


def test_a_short_term_key_past_its_time_is_expired_by_this_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", short_term_key(expires=3600))
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    evidence = probe("bedrock.api-key", clock=lambda: at(3.5))
    assert evidence.status is Status.PROBLEM
    assert "bedrock-key-expired" in evidence.findings
    assert "expired 2 hours ago" in evidence.summary
    # one second before its end it still works
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", short_term_key(expires=3600))
    assert "bedrock-key-expired" not in probe("bedrock.api-key", clock=lambda: at(0.999)).findings


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("AWS_REGION", "eu-central-1", "env, AWS_REGION"),
        ("AWS_DEFAULT_REGION", "eu-central-1", "env, AWS_DEFAULT_REGION"),
    ],
)
def test_a_short_term_key_used_in_another_region(
    monkeypatch: pytest.MonkeyPatch, setting: str, value: str, said: str
) -> None:
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", short_term_key(region="us-west-2"))
    monkeypatch.setenv(setting, value)
    evidence = probe("bedrock.api-key", clock=lambda: at(1))
    assert "bedrock-key-region-mismatch" in evidence.findings
    assert evidence.facts["region"].value == "eu-central-1"
    assert said in evidence.summary and "us-west-2" in evidence.summary


def test_the_region_the_error_names_wins_over_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The refused request's host says where it went: a tool's own Region setting is not in
    the environment at all."""
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", short_term_key(region="us-west-2"))
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    paste = f"POST https://bedrock-runtime.ap-southeast-2.amazonaws.com/model/x/converse\n{REFUSED}"
    evidence = probe_on_paste("bedrock.api-key", paste, clock=lambda: at(1))
    assert "bedrock-key-region-mismatch" in evidence.findings
    assert evidence.facts["region"].value == "ap-southeast-2"


def test_a_short_term_key_signed_with_temporary_credentials_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", short_term_key(token=SESSION_TOKEN))
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    evidence = probe("bedrock.api-key", clock=lambda: at(1))
    assert "bedrock-key-from-session" in evidence.findings
    assert SESSION_TOKEN[:30] not in everything_shown(evidence)
    # the session token inside the key is known to the scrubber
    assert any(secret.reveal() == SESSION_TOKEN for secret in evidence.secrets)


def test_a_long_term_key_names_its_user_and_never_its_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = long_term_key(user="ci-bedrock")
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", key)
    evidence = probe("bedrock.api-key")
    assert evidence.findings == ("bedrock-key-long-term",)
    assert evidence.facts["bedrock_key_user"].value == "ci-bedrock"
    assert "123456789012" in evidence.summary
    shown = everything_shown(evidence)
    assert EXAMPLE_SECRET[:10] not in shown and key[4:30] not in shown


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("sk-ant-api03-AbCdEf0123456789", "another provider's API key"),
        (EXAMPLE_KEY_ID, "an AWS access key id"),
        ("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "JSON Web Token"),
        (f"BedrockAPIKey-ab1c-at-123456789012:{EXAMPLE_SECRET}", "decoded"),
        ("<authenticated>", "does not start with ABSK"),
        (f'"{long_term_key()}"', "with surrounding quotes"),
        (long_term_key() + "\r", "with trailing whitespace"),
        (long_term_key()[:30], "cut or changed"),
        (short_term_key()[:60], "cut or changed"),
        (short_term_key(expires=int("9" * 40)), "cut or changed"),
    ],
)
def test_values_that_are_no_bedrock_key(
    monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", value)
    evidence = probe("bedrock.api-key")
    assert evidence.status is Status.PROBLEM
    assert evidence.findings == ("bedrock-key-malformed",)
    assert said in " ".join(evidence.details)
    shown = everything_shown(evidence)
    assert EXAMPLE_SECRET not in shown and value.strip().strip('"') not in shown


def test_a_value_of_any_size_is_read_at_once() -> None:
    assert read_key("ABSK" + "A" * 10_000_000).problems == (
        "is far longer than any Bedrock API key",
    )
