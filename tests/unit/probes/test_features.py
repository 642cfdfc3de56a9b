"""config.sdk-features: settings of the profile that only recent SDKs read."""

from __future__ import annotations

from pathlib import Path

from tests.unit.probes.helpers import probe

SSO = (
    "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\n"
    "sso_role_name = Admin\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
    "sso_region = eu-west-1\n"
)


def test_an_sso_session_profile(home: Path) -> None:
    (home / ".aws" / "config").write_text(SSO)
    evidence = probe("config.sdk-features", profile="dev")
    assert {"profile-uses-sso-session", "sso-session-complete"} <= set(evidence.findings)
    assert evidence.facts["sso_session"].value == "corp"
    assert "AWS CLI 2.9.0" in evidence.summary


def test_an_sso_session_section_without_its_keys(home: Path) -> None:
    (home / ".aws" / "config").write_text(SSO.split("sso_start_url")[0])
    evidence = probe("config.sdk-features", profile="dev")
    assert "profile-uses-sso-session" in evidence.findings
    assert "sso-session-complete" not in evidence.findings


def test_a_role_whose_source_uses_aws_login(home: Path) -> None:
    (home / ".aws" / "config").write_text(
        "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = me\n"
        "[profile me]\nlogin_session = arn:aws:iam::123456789012:user/me\n"
    )
    evidence = probe("config.sdk-features", profile="ops")
    assert "profile-uses-login-session" in evidence.findings
    assert "profile 'me' uses login_session" in evidence.summary


def test_a_plain_profile(home: Path) -> None:
    (home / ".aws" / "credentials").write_text("[default]\naws_access_key_id = x\n")
    evidence = probe("config.sdk-features")
    assert "profile-uses-no-new-settings" in evidence.findings
    assert {"crt-installed-here", "crt-missing-here"} & set(evidence.findings)


def test_a_source_profile_loop_ends(home: Path) -> None:
    (home / ".aws" / "config").write_text(
        "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r\nsource_profile = a\n"
    )
    assert "profile-uses-no-new-settings" in probe("config.sdk-features", profile="a").findings
