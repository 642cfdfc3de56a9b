"""creds.expiry: expiry from AWS_CREDENTIAL_EXPIRATION, the CLI cache, and the error text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from awsmedic.model import Status
from awsmedic.probes.expiry import role_cache_key, sso_cache_key
from tests.unit.probes.helpers import KEY, SECRET, TOKEN, probe

TEMP_KEY = "ASIAY34FZKBOKMUTVV7A"
ROLE = "arn:aws:iam::123456789012:role/deploy"


def iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def cache_entry(home: Path, name: str, key: str, expires: timedelta, role: str = "deploy") -> Path:
    """A file shaped like the AWS CLI writes it after AssumeRole."""
    folder = home / ".aws" / "cli" / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(
        json.dumps(
            {
                "Credentials": {
                    "AccessKeyId": key,
                    "SecretAccessKey": SECRET,
                    "SessionToken": TOKEN,
                    "Expiration": iso(expires).replace("Z", "+00:00"),
                },
                "AssumedRoleUser": {
                    "AssumedRoleId": "AROAEXAMPLE:botocore-session-1",
                    "Arn": f"arn:aws:sts::123456789012:assumed-role/{role}/botocore-session-1",
                },
                "ResponseMetadata": {"HTTPStatusCode": 200},
            }
        )
    )
    return path


def env_keys(monkeypatch: pytest.MonkeyPatch, key: str = TEMP_KEY) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)


def test_env_expiration_in_the_past(monkeypatch: pytest.MonkeyPatch) -> None:
    env_keys(monkeypatch)
    monkeypatch.setenv("AWS_CREDENTIAL_EXPIRATION", iso(-timedelta(minutes=62)))
    evidence = probe("creds.expiry")
    assert evidence.findings == ("credentials-expired",)
    assert evidence.status is Status.PROBLEM
    assert "62 minutes ago" in evidence.summary and "AWS_CREDENTIAL_EXPIRATION" in evidence.summary


def test_env_expiration_in_the_future(monkeypatch: pytest.MonkeyPatch) -> None:
    env_keys(monkeypatch)
    monkeypatch.setenv("AWS_CREDENTIAL_EXPIRATION", iso(timedelta(minutes=30)))
    assert probe("creds.expiry").findings == ("credentials-not-expired",)


def test_keys_copied_out_of_the_cli_cache(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_entry(home, "other", "ASIAY34FZKBOKMUTVV7B", timedelta(hours=1))
    path = cache_entry(home, "abc", TEMP_KEY, -timedelta(hours=2))
    env_keys(monkeypatch)
    evidence = probe("creds.expiry")
    assert evidence.findings == ("credentials-expired",)
    assert "~/.aws/cli/cache/abc.json" in evidence.summary and "2 hours ago" in evidence.summary
    assert path.exists()  # read-only
    assert SECRET not in repr(evidence) and TOKEN not in evidence.summary
    assert {s.reveal() for s in evidence.secrets} >= {SECRET, TOKEN}


def test_role_profile_reports_its_cached_session(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / ".aws" / "config").write_text(
        f"[profile deploy]\nrole_arn = {ROLE}\nsource_profile = base\nduration_seconds = 900\n"
    )
    (home / ".aws" / "credentials").write_text(
        f"[base]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    key = role_cache_key({"role_arn": ROLE, "duration_seconds": "900"})
    assert key is not None
    cache_entry(home, key, TEMP_KEY, -timedelta(minutes=5))
    monkeypatch.setenv("AWS_PROFILE", "deploy")
    evidence = probe("creds.expiry")
    assert evidence.findings == ("renewing-provider", "session-cache-expired")
    assert evidence.facts["role_arn"].value == ROLE
    assert evidence.facts["source_profile"].value == "base"


def test_role_session_found_by_role_name(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / ".aws" / "config").write_text(
        f"[profile deploy]\nrole_arn = {ROLE}\ncredential_source = Environment\n"
    )
    cache_entry(home, "written-by-another-tool", TEMP_KEY, timedelta(minutes=40))
    monkeypatch.setenv("AWS_PROFILE", "deploy")
    assert probe("creds.expiry").findings == ("renewing-provider", "session-cache-valid")


def test_cache_keys_are_the_ones_botocore_computes() -> None:
    from botocore.credentials import AssumeRoleCredentialFetcher, SSOCredentialFetcher

    extra = {
        "RoleSessionName": "me",
        "ExternalId": "x",
        "SerialNumber": "arn:mfa",
        "DurationSeconds": 900,
    }
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=None, source_credentials=None, role_arn=ROLE, extra_args=extra
    )
    config = {
        "role_arn": ROLE,
        "role_session_name": "me",
        "external_id": "x",
        "mfa_serial": "arn:mfa",
        "duration_seconds": "900",
    }
    assert role_cache_key(config) == fetcher._create_cache_key()
    plain = AssumeRoleCredentialFetcher(client_creator=None, source_credentials=None, role_arn=ROLE)
    assert role_cache_key({"role_arn": ROLE}) == plain._create_cache_key()
    sso = SSOCredentialFetcher(
        "https://start", "eu-west-1", "Admin", "111122223333", None, sso_session_name="corp"
    )
    assert (
        sso_cache_key(
            {"sso_role_name": "Admin", "sso_account_id": "111122223333", "sso_session": "corp"}
        )
        == sso._create_cache_key()
    )


def test_web_identity_token_expiry_from_the_text() -> None:
    evidence = probe(
        "creds.expiry",
        "An error occurred (ExpiredTokenException) when calling the AssumeRoleWithWebIdentity "
        "operation: Token expired: current date/time 1700003600 must be before the expiration "
        "date/time 1700000000",
    )
    assert evidence.findings == ("web-identity-token-expired",)
    assert "2023-11-14 22:13:20Z" in evidence.summary


def test_long_term_keys_and_unknown_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    env_keys(monkeypatch, KEY)
    assert probe("creds.expiry").findings == ("long-term-keys",)
    env_keys(monkeypatch, TEMP_KEY)
    assert probe("creds.expiry").findings == ("expiry-unknown",)


def test_a_broken_cache_is_ignored(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = home / ".aws" / "cli" / "cache"
    folder.mkdir(parents=True)
    (folder / "prompt_history.json").write_text("[1, 2]")
    (folder / "bad.json").write_bytes(b"\xff\xfe{")
    env_keys(monkeypatch)
    assert probe("creds.expiry").findings == ("expiry-unknown",)
