"""sso.token: an IAM Identity Center profile's settings and the token cache botocore reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.unit.probes.helpers import probe

START = "https://my-org.awsapps.com/start"
SESSION = (
    "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
    f"[sso-session corp]\nsso_start_url = {START}\nsso_region = eu-west-1\n"
)
LEGACY = (
    f"[profile dev]\nsso_start_url = {START}\nsso_region = eu-west-1\n"
    "sso_account_id = 123456789012\nsso_role_name = Admin\n"
)
ACCESS_TOKEN = "aoaAAAAAGZ" + "x" * 300


def config(home: Path, text: str) -> None:
    (home / ".aws" / "config").write_text(text)


def cache(home: Path, key: str, token: dict[str, object]) -> Path:
    """Write the token where botocore's own SSOTokenLoader looks for it."""
    from botocore.utils import JSONFileCache, SSOTokenLoader

    directory = home / ".aws" / "sso" / "cache"
    SSOTokenLoader(cache=JSONFileCache(str(directory))).save_token(
        START, token, session_name=key if key != START else None
    )
    return next(directory.iterdir())


def when(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_not_sso(home: Path) -> None:
    assert probe("sso.token").findings == ("not-sso-profile",)


def test_never_signed_in(home: Path) -> None:
    config(home, SESSION)
    evidence = probe("sso.token", profile="dev")
    assert evidence.findings == ("sso-token-missing",)
    assert "not signed in with `aws sso login`" in evidence.summary
    assert evidence.facts["sso_session"].value == "corp"


def test_a_valid_token_is_described_never_shown(home: Path) -> None:
    config(home, SESSION)
    path = cache(home, "corp", {"accessToken": ACCESS_TOKEN, "expiresAt": when(4)})
    evidence = probe("sso.token", profile="dev")
    assert evidence.status is Status.OK
    assert evidence.findings == ("sso-token-valid",)
    assert f"~/.aws/sso/cache/{path.name}" in evidence.summary
    assert ACCESS_TOKEN not in evidence.summary
    assert ACCESS_TOKEN in {s.reveal() for s in evidence.secrets}


def test_legacy_tokens_cannot_be_refreshed(home: Path) -> None:
    config(home, LEGACY)
    cache(home, START, {"accessToken": ACCESS_TOKEN, "expiresAt": "2020-01-01T00:00:00UTC"})
    evidence = probe("sso.token", profile="dev")
    assert {"sso-token-expired", "sso-legacy-profile"} <= set(evidence.findings)
    assert "cannot refresh" in evidence.summary


@pytest.mark.parametrize(
    ("extra", "finding"),
    [
        ({}, "sso-token-expired"),
        (
            {
                "refreshToken": "r",
                "clientId": "c",
                "clientSecret": "s",
                "registrationExpiresAt": "2001-01-01T00:00:00Z",
            },
            "sso-registration-expired",
        ),
        (
            {
                "refreshToken": "r",
                "clientId": "c",
                "clientSecret": "s",
                "registrationExpiresAt": "2099-01-01T00:00:00Z",
            },
            "sso-token-expired-refreshable",
        ),
    ],
)
def test_expired_session_tokens(home: Path, extra: dict[str, str], finding: str) -> None:
    config(home, SESSION)
    cache(home, "corp", {"accessToken": ACCESS_TOKEN, "expiresAt": when(-2), **extra})
    evidence = probe("sso.token", profile="dev")
    assert evidence.findings == (finding,)
    assert "expired 2 h" in evidence.summary


@pytest.mark.parametrize(
    ("text", "finding", "says"),
    [
        (
            "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = A\n",
            "sso-session-missing",
            "names no [sso-session corp] section",
        ),
        (
            "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = A\n"
            f"[corp]\nsso_start_url = {START}\nsso_region = eu-west-1\n",
            "sso-session-header-without-prefix",
            "write [sso-session corp]",
        ),
        (
            f"[profile dev]\nsso_start_url = {START}\nsso_account_id = 123456789012\n",
            "sso-config-incomplete",
            "lacks sso_role_name, sso_region",
        ),
        (
            SESSION.replace(
                "sso_role_name = Admin", "sso_role_name = Admin\nsso_region = us-east-1"
            ),
            "sso-config-inconsistent",
            "sso_region differs",
        ),
        (SESSION.replace("123456789012", "1234"), "sso-account-id-malformed", "not 12 digits"),
    ],
)
def test_misconfigured_profiles(home: Path, text: str, finding: str, says: str) -> None:
    config(home, text)
    evidence = probe("sso.token", profile="dev")
    assert finding in evidence.findings
    assert says in evidence.summary


def test_a_role_on_top_of_an_sso_profile(home: Path) -> None:
    config(
        home,
        SESSION
        + "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = dev\n",
    )
    evidence = probe("sso.token", profile="deploy")
    assert evidence.findings == ("sso-token-missing",)
    assert "SSO profile 'dev'" in evidence.summary
    # `aws sso login --profile deploy` fails: the sign-in goes through the profile with the SSO
    # settings, and the steps name it
    assert evidence.facts["sso_profile"].value == "dev"
    assert evidence.facts["profile"].value == "deploy"


def test_a_profile_with_only_a_start_url_lacks_its_account_and_role(home: Path) -> None:
    config(home, f"[profile analytics]\nsso_start_url = {START}\nsso_region = us-east-1\n")
    evidence = probe("sso.token", profile="analytics")
    assert "sso-config-incomplete" in evidence.findings
    assert "lacks sso_account_id, sso_role_name" in evidence.summary
