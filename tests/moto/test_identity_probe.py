"""identity.compare against moto: who the error names, who this profile is, who else is here.

Also checks that no probe ever prompts for an MFA code (botocore would, through getpass).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.awsfixtures import Keys, MotoAws
from tests.unit.probes.helpers import probe

pytestmark = pytest.mark.moto

ACCOUNT = "123456789012"


def _denied(user: str, resource: str = "*") -> str:
    return (
        "An error occurred (AccessDenied) when calling the ListUsers operation: User: "
        f"arn:aws:iam::{ACCOUNT}:user/{user} is not authorized to perform: iam:ListUsers on "
        f"resource: {resource}"
    )


def _section(name: str, keys: Keys) -> str:
    return (
        f"[{name}]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )


def _locked_role(aws: MotoAws, name: str, trusted: str) -> str:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": trusted}, "Action": "sts:AssumeRole"}
        ],
    }
    role = aws._client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    return str(role["Role"]["Arn"])


ASSUME_ANY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
}


def test_the_error_names_this_profile_and_nobody_else_is_configured(
    aws: MotoAws, home: Path
) -> None:
    keys = aws.create_user("bob")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("default", keys))
    evidence = probe("identity.compare", _denied("bob"))
    assert set(evidence.findings) == {"principal-is-caller", "no-other-identity"}
    assert evidence.facts["arn"].value == f"arn:aws:iam::{ACCOUNT}:user/bob"
    assert evidence.facts["account_id"].value == ACCOUNT
    assert evidence.facts["principal"].value.endswith(":user/bob")
    assert evidence.status is Status.OK


def test_the_error_names_another_identity(aws: MotoAws, home: Path) -> None:
    keys = aws.create_user("bob")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("default", keys))
    evidence = probe("identity.compare", _denied("mallory"))
    assert "principal-not-caller" in evidence.findings
    assert evidence.status is Status.PROBLEM
    assert "user/mallory" in evidence.summary and "user/bob" in evidence.summary


def test_aws_profile_and_aws_default_profile_disagree(
    aws: MotoAws, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dev, admin = aws.create_user("dev"), aws.create_user("admin")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("dev", dev) + _section("admin", admin))
    monkeypatch.setenv("AWS_PROFILE", "admin")
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "dev")
    evidence = probe("identity.compare", _denied("dev"))
    assert {"profile-selectors-disagree", "principal-is-caller"} <= set(evidence.findings)
    assert "AWS CLI v2 uses 'admin'" in evidence.summary and "use 'dev'" in evidence.summary
    assert dev.access_key_id not in " ".join(evidence.details)
    assert any(s.reveal() == admin.access_key_id for s in evidence.secrets)


def test_another_profile_belongs_to_the_account_of_the_resource(aws: MotoAws, home: Path) -> None:
    keys = aws.create_user("bob")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("default", keys))
    (home / ".aws" / "config").write_text(
        "[profile prod]\nrole_arn = arn:aws:iam::210987654321:role/Deploy\nsource_profile = default\n"
    )
    table = "arn:aws:dynamodb:us-east-1:210987654321:table/orders"
    evidence = probe("identity.compare", _denied("bob", table))
    assert "other-profile-in-resource-account" in evidence.findings
    assert "'prod'" in evidence.summary
    assert "no-other-identity" not in evidence.findings


def test_a_role_profile_whose_role_refuses_its_source(
    aws: MotoAws, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = aws.create_user("alice", policy=ASSUME_ANY)
    role = _locked_role(aws, "locked", f"arn:aws:iam::{ACCOUNT}:user/bob")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("base", alice))
    (home / ".aws" / "config").write_text(
        f"[profile app]\nrole_arn = {role}\nsource_profile = base\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "app")
    evidence = probe("identity.compare", _denied("alice"))
    assert {"source-identity-ok", "caller-rejected", "principal-is-caller"} <= set(
        evidence.findings
    )
    assert any("AccessDenied" in line for line in evidence.details)


def test_a_role_that_needs_mfa_is_never_assumed_and_never_prompts(
    aws: MotoAws, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = aws.create_user("alice", policy=ASSUME_ANY)
    role = _locked_role(aws, "guarded", f"arn:aws:iam::{ACCOUNT}:user/alice")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("base", alice))
    (home / ".aws" / "config").write_text(
        f"[profile app]\nrole_arn = {role}\nsource_profile = base\n"
        f"mfa_serial = arn:aws:iam::{ACCOUNT}:mfa/alice\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "app")
    evidence = probe("identity.compare", _denied("alice"))
    assert "source-identity-ok" in evidence.findings
    assert "caller-rejected" not in evidence.findings
    assert any("would ask for an MFA code" in line for line in evidence.details)
    # sts.identity lets botocore assume the role: the MFA prompt must fail, not read a terminal.
    identity = probe("sts.identity")
    assert identity.status is not Status.OK
    assert "MFA code" in identity.summary  # skipped or refused, never prompted


def test_offline_skips(aws: MotoAws) -> None:
    assert probe("identity.compare", _denied("bob"), offline=True).status is Status.SKIPPED
