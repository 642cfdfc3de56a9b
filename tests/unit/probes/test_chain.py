from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.unit.probes.helpers import KEY, SECRET, TOKEN, probe

OTHER_KEY = "AKIAY34FZKBOKMUTVV7Q"


def write_credentials(home: Path, text: str) -> None:
    (home / ".aws" / "credentials").write_text(text)


def write_config(home: Path, text: str) -> None:
    (home / ".aws" / "config").write_text(text)


def test_nothing_configured(home: Path) -> None:
    evidence = probe("creds.chain")
    assert "no-credentials" in evidence.findings
    assert evidence.facts["profile"].value == "default"
    assert evidence.facts["credentials_file"].value == "~/.aws/credentials"


def test_profile_file_keys_win(home: Path) -> None:
    write_credentials(
        home, f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    evidence = probe("creds.chain")
    assert evidence.status is Status.OK
    assert "profile-credentials" in evidence.findings
    assert evidence.facts["credential_source"].value == "shared-credentials-file"
    assert evidence.facts["access_key_id"].value == "****************ALC4"
    assert evidence.facts["access_key_id"].location == "~/.aws/credentials [default]"


def test_env_keys_shadow_a_profile_selected_with_aws_profile(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_credentials(
        home, f"[dev]\naws_access_key_id = {OTHER_KEY}\naws_secret_access_key = {SECRET}\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "dev")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    evidence = probe("creds.chain")
    assert {"env-credentials", "env-shadows-profile"} <= set(evidence.findings)
    assert evidence.facts["profile"].source == "AWS_PROFILE"
    assert "shadowing shared-credentials-file" in evidence.summary


def test_profile_flag_drops_env_keys(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_credentials(
        home, f"[dev]\naws_access_key_id = {OTHER_KEY}\naws_secret_access_key = {SECRET}\n"
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    evidence = probe("creds.chain", profile="dev")
    assert "profile-credentials" in evidence.findings
    assert "env-shadows-profile" not in evidence.findings
    assert evidence.facts["access_key_id"].value.endswith("VV7Q")


def test_security_token_is_read_before_session_token(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SECURITY_TOKEN", TOKEN)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN[::-1])
    keys = probe("creds.keys")
    assert "stale-session-token" in keys.findings
    assert any("AWS_SECURITY_TOKEN" in d for d in keys.details)


def test_role_profile_is_followed_to_its_source_keys(home: Path) -> None:
    write_config(
        home,
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\n",
    )
    write_credentials(
        home, f"[base]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    evidence = probe("creds.chain", profile="admin")
    assert "role-profile" in evidence.findings
    assert evidence.facts["source_profile"].value == "base"
    assert evidence.facts["access_key_id"].location == "~/.aws/credentials [base]"
    assert any("assumes arn:aws:iam::123456789012:role/Admin" in d for d in evidence.details)


def test_missing_profile(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "nope")
    evidence = probe("creds.chain")
    assert "profile-not-found" in evidence.findings
    assert "could not be found" in evidence.summary


def test_a_provider_that_raises_aborts_the_chain(home: Path) -> None:
    write_credentials(home, f"[default]\naws_access_key_id = {KEY}\n")
    evidence = probe("creds.chain")
    assert "chain-aborted" in evidence.findings
    assert "PartialCredentialsError" in evidence.summary or any(
        "Partial" in d for d in evidence.details
    )


def test_an_unparseable_file_is_reported(home: Path) -> None:
    write_config(home, "\ufeff[default]\nregion = us-east-1\n")
    evidence = probe("creds.chain")
    assert "config-parse-error" in evidence.findings


def test_sso_profile_is_configured_not_loaded(home: Path) -> None:
    write_config(
        home,
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    )
    evidence = probe("creds.chain", profile="sso")
    assert "sso-profile" in evidence.findings
    assert evidence.facts["sso_session"].value == "corp"
