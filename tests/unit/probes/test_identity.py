"""sts.identity-regions and sts.intended-identity against moto (auth enforced) on 127.0.0.1.

Opt-in regions are answered by the gateway of tests/scenarios/gateway.py (moto has none).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.awsfixtures import Keys, MotoAws
from tests.scenarios.gateway import Gateway
from tests.scenarios.harness import china_user, section, write
from tests.unit.probes.helpers import probe, probe_on_paste

pytestmark = pytest.mark.moto


@pytest.fixture
def gateway(aws: MotoAws, moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    with Gateway(moto_server) as front:
        monkeypatch.setenv("AWS_ENDPOINT_URL", front.url)
        yield front


def test_working_keys(aws: MotoAws, home: Path) -> None:
    keys = aws.create_user("alice")
    aws.enforce()
    write(home, "credentials", section("default", keys))
    evidence = probe("sts.identity-regions")
    assert evidence.findings == ("works-in-failing-region",)
    assert evidence.status is Status.OK
    assert evidence.facts["arn"].value == "arn:aws:iam::123456789012:user/alice"
    assert keys.secret_access_key not in repr(evidence)


def test_deleted_key_is_refused_everywhere(aws: MotoAws, home: Path) -> None:
    keys = aws.create_user("bob")
    aws.delete_key("bob", keys)
    aws.enforce()
    write(home, "credentials", section("default", keys))
    evidence = probe("sts.identity-regions")
    assert evidence.findings == ("rejected-in-failing-region", "rejected-everywhere")
    assert "cn-north-1" not in evidence.summary and "us-gov" not in evidence.summary


def test_china_keys_are_never_sent_to_another_partition(
    aws: MotoAws, moto_server: str, home: Path
) -> None:
    """Keys of aws-cn are refused in aws; the probe does not try them in China (another operator)."""
    keys = china_user(moto_server, "wang")
    aws.enforce()
    write(home, "credentials", section("default", keys))
    evidence = probe("sts.identity-regions")
    assert evidence.findings == ("rejected-in-failing-region", "rejected-everywhere")
    assert "cn-north-1" not in evidence.summary + " ".join(evidence.details)


@pytest.mark.parametrize(
    ("enabled", "finding"), [(False, "region-not-enabled"), (True, "region-enabled")]
)
def test_a_refusal_only_in_an_opt_in_region(
    aws: MotoAws,
    gateway: Gateway,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    enabled: bool,
    finding: str,
) -> None:
    keys = aws.create_user("carol")
    temporary = aws.assume_role_keys()
    aws.enforce()
    if enabled:  # enabled, but the token comes from the global endpoint (version 1)
        gateway.rules.enabled_regions.add("il-central-1")
        gateway.rules.global_tokens.add(temporary.session_token or "")
    used = temporary if enabled else keys
    write(home, "credentials", section("default", used))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "il-central-1")
    evidence = probe("sts.identity-regions")
    assert {"rejected-in-failing-region", "region-only-rejection", finding} <= set(
        evidence.findings
    )
    assert evidence.facts["region"].value == "il-central-1"
    assert "accepted in us-east-1" in evidence.summary


def test_the_region_named_in_the_error_is_the_one_checked(
    aws: MotoAws, gateway: Gateway, home: Path
) -> None:
    keys = aws.create_user("dave")
    aws.enforce()
    write(home, "credentials", section("default", keys))
    text = "aws ec2 describe-instances --region af-south-1\nAn error occurred (AuthFailure)"
    evidence = probe_on_paste("sts.identity-regions", text)
    assert {"region-only-rejection", "region-not-enabled"} <= set(evidence.findings)


def test_session_credentials_of_a_user(aws: MotoAws, gateway: Gateway, home: Path) -> None:
    from tests.scenarios.gateway import session_token_credentials

    user = aws.create_user("erin")
    aws.enforce()
    session = session_token_credentials(gateway.rules, user)
    write(home, "credentials", section("default", session))
    evidence = probe("sts.identity-regions")
    assert {"works-in-failing-region", "session-credentials-of-user"} <= set(evidence.findings)


def test_roles_with_mfa_are_never_resolved(aws: MotoAws, home: Path) -> None:
    aws.enforce()
    write(
        home,
        "config",
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = sso\n"
        "mfa_serial = arn:aws:iam::123456789012:mfa/me\n"
        "[profile sso]\nsso_session = s\nsso_account_id = 123456789012\nsso_role_name = R\n"
        "[sso-session s]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n",
    )
    evidence = probe("sts.identity-regions", profile="admin")
    assert evidence.status is Status.SKIPPED
    assert evidence.findings == ("not-checked",)
    assert probe("sts.identity", profile="admin").status is Status.SKIPPED


def test_offline_skips(aws: MotoAws) -> None:
    assert probe("sts.identity-regions", offline=True).status is Status.SKIPPED
    assert probe("sts.intended-identity", offline=True).status is Status.SKIPPED


def _two_profiles(aws: MotoAws, home: Path) -> tuple[Keys, Keys]:
    good = aws.create_user("good")
    old = aws.create_user("old")
    aws.delete_key("old", old)
    aws.enforce()
    write(home, "credentials", section("old", old) + section("new", good))
    return good, old


def test_intended_profile_named_by_aws_profile(
    aws: MotoAws, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_profiles(aws, home)
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "old")
    monkeypatch.setenv("AWS_PROFILE", "new")
    evidence = probe("sts.intended-identity")
    assert evidence.findings == ("intended-works",)
    assert "profile 'new' (AWS_PROFILE)" in evidence.summary


def test_intended_keys_shadowed_by_env(
    aws: MotoAws, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, old = _two_profiles(aws, home)
    monkeypatch.setenv("AWS_PROFILE", "old")  # its keys are deleted too
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", good.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", good.secret_access_key)
    evidence = probe("sts.intended-identity")
    assert evidence.findings == ("intended-rejected",)
    assert old.secret_access_key not in evidence.summary


def test_nothing_intended(aws: MotoAws, home: Path) -> None:
    _two_profiles(aws, home)
    assert probe("sts.intended-identity").findings == ("no-intended-credentials",)
