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
    assert "shadowing the keys in ~/.aws/credentials [dev]" in evidence.summary


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


# -- the whole chain (issue 3) -------------------------------------------------------------------


def test_env_keys_shadow_the_default_profile(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_credentials(
        home, f"[default]\naws_access_key_id = {OTHER_KEY}\naws_secret_access_key = {SECRET}\n"
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    evidence = probe("creds.chain")
    assert "env-shadows-default-profile" in evidence.findings
    assert "env-shadows-profile" not in evidence.findings
    assert "shadowing the keys in ~/.aws/credentials [default]" in evidence.summary
    assert evidence.status is Status.PROBLEM


def test_same_keys_in_env_and_default_profile_are_no_shadowing(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_credentials(
        home, f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    assert "env-shadows-default-profile" not in probe("creds.chain").findings


def test_profile_flag_drops_env_keys_and_says_so(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_credentials(
        home, f"[dev]\naws_access_key_id = {OTHER_KEY}\naws_secret_access_key = {SECRET}\n"
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    evidence = probe("creds.chain", profile="dev")
    assert "profile-flag-drops-env-keys" in evidence.findings
    assert any("ignore the AWS_ACCESS_KEY_ID" in d for d in evidence.details)


def test_conflicting_profile_variables(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_credentials(
        home,
        f"[old]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
        f"[new]\naws_access_key_id = {OTHER_KEY}\naws_secret_access_key = {SECRET}\n",
    )
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "old")
    monkeypatch.setenv("AWS_PROFILE", "new")
    evidence = probe("creds.chain")
    assert "profile-vars-conflict" in evidence.findings
    assert evidence.facts["profile"].value == "old"  # botocore reads AWS_DEFAULT_PROFILE first
    assert any("AWS CLI v2 and most other SDKs use 'new'" in d for d in evidence.details)


def test_security_token_wins_over_session_token_in_the_chain(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ASIAY34FZKBOKMUTVV7A")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SECURITY_TOKEN", TOKEN[::-1])
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    evidence = probe("creds.chain")
    assert "env-token-shadows-other-token" in evidence.findings
    assert any("AWS_SESSION_TOKEN is also set but not sent" in d for d in evidence.details)
    for value in (TOKEN, TOKEN[::-1], SECRET):
        assert value not in evidence.summary + "".join(evidence.details)


def test_leftover_token_line_in_the_profile(home: Path) -> None:
    write_credentials(
        home,
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
        f"aws_session_token = {TOKEN}\n",
    )
    evidence = probe("creds.chain")
    assert "profile-has-session-token" in evidence.findings
    assert any("aws_session_token" in d for d in evidence.details)


def test_an_empty_security_token_key_in_a_file_still_wins(home: Path) -> None:
    # botocore takes the first token key *present* in a section, even when it is empty.
    write_credentials(
        home,
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
        f"aws_security_token =\naws_session_token = {TOKEN}\n",
    )
    evidence = probe("creds.chain")
    assert "profile-has-session-token" not in evidence.findings
    keys = probe("creds.keys")
    assert "stale-session-token" not in keys.findings


def test_role_chain_is_followed_through_two_hops(home: Path) -> None:
    write_config(
        home,
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = mid\n"
        "[profile mid]\nrole_arn = arn:aws:iam::123456789012:role/Mid\nsource_profile = base\n",
    )
    write_credentials(
        home, f"[base]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    evidence = probe("creds.chain", profile="admin")
    assert {"role-profile", "role-source-keys"} <= set(evidence.findings)
    assert evidence.facts["source_profile"].value == "base"
    assert evidence.facts["access_key_id"].location == "~/.aws/credentials [base]"
    assert sum("assumes" in d for d in evidence.details) == 2


def test_role_source_profile_that_does_not_exist(home: Path) -> None:
    write_config(
        home,
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = gone\n",
    )
    evidence = probe("creds.chain", profile="admin")
    assert {"role-source-not-static", "role-source-broken"} <= set(evidence.findings)
    assert any('"gone"' in d and "does not exist" in d for d in evidence.details)


def test_role_source_from_sso_is_not_static(home: Path) -> None:
    write_config(
        home,
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = sso\n"
        "mfa_serial = arn:aws:iam::123456789012:mfa/me\n"
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
    )
    evidence = probe("creds.chain", profile="admin")
    assert {"role-source-not-static", "role-needs-mfa"} <= set(evidence.findings)
    assert "role-source-broken" not in evidence.findings
    assert any("come from sso" in d for d in evidence.details)


def test_role_with_environment_credential_source(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(
        home,
        "[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/Ci\n"
        "credential_source = Environment\n",
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    evidence = probe("creds.chain", profile="ci")
    assert "role-source-keys" in evidence.findings
    assert evidence.facts["access_key_id"].source == "env"


def test_the_pasted_command_names_another_profile(home: Path) -> None:
    write_credentials(
        home, f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    text = "$ aws s3 ls --profile prod\nAn error occurred (InvalidAccessKeyId) when calling X"
    evidence = probe("creds.chain", text)
    assert "paste-names-other-profile" in evidence.findings
    assert any("--profile prod" in d for d in evidence.details)
