"""iam.simulate against moto with the policy simulator added (tests/iamsimulator.py): the
caller's own policies decide, and the probe says which statement did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.awsfixtures import Keys, MotoAws
from tests.iamsimulator import iam_simulator  # noqa: F401 (a fixture)
from tests.unit.probes.helpers import probe_on_paste

pytestmark = [pytest.mark.moto, pytest.mark.usefixtures("iam_simulator")]

GET_OBJECT = (
    "$ aws s3 cp s3://reports-bucket/2026/q1.csv .\n"
    "fatal error: An error occurred (AccessDenied) when calling the GetObject operation: Access Denied"
)
SIMULATE_SELF = {
    "Effect": "Allow",
    "Action": ["iam:SimulatePrincipalPolicy", "iam:GetRole"],
    "Resource": "*",
}


def policy(*statements: dict[str, object]) -> dict[str, object]:
    return {"Version": "2012-10-17", "Statement": [SIMULATE_SELF, *statements]}


def use(home: Path, keys: Keys) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )


def run(aws: MotoAws, home: Path, user_policy: dict[str, object], text: str = GET_OBJECT):
    keys = aws.create_user("analyst", user_policy)
    use(home, keys)
    aws.enforce()
    evidence = probe_on_paste("iam.simulate", text)
    shown = evidence.summary + "\n".join(evidence.details)
    assert keys.secret_access_key not in shown and keys.access_key_id not in shown
    return evidence


#: Anyone may assume the test roles: the simulator, not the trust policy, is under test.
TRUST_ANYONE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
}


def role_profile(
    aws: MotoAws, home: Path, name: str, statement: dict[str, object], **role: str
) -> str:
    """The ARN of a role `name` with an inline policy of `statement`, and a profile `name` that assumes
    it from a user `base`'s keys (a role session, as SSO and role profiles give)."""
    iam = aws._client("iam")
    created = iam.create_role(
        RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST_ANYONE), **role
    )["Role"]
    iam.put_role_policy(
        RoleName=name, PolicyName="inline", PolicyDocument=json.dumps(policy(statement))
    )
    base = aws.create_user(
        "base",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
        },
    )
    (home / ".aws" / "credentials").write_text(
        f"[base]\naws_access_key_id = {base.access_key_id}\n"
        f"aws_secret_access_key = {base.secret_access_key}\n"
    )
    (home / ".aws" / "config").write_text(
        f"[profile {name}]\nrole_arn = {created['Arn']}\nsource_profile = base\n"
    )
    return str(created["Arn"])


def test_no_statement_allows_it(aws: MotoAws, home: Path) -> None:
    other = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"}
    evidence = run(aws, home, policy(other))
    assert evidence.findings == ("sim-implicit-deny",)
    assert "s3:GetObject on arn:aws:s3:::reports-bucket/2026/q1.csv" in evidence.details[0]
    assert evidence.facts["policy_kind"].value == "identity-based policy"


def test_a_deny_statement_decides_and_is_named(aws: MotoAws, home: Path) -> None:
    allow = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
    deny = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports-bucket/*"}
    evidence = run(aws, home, policy(allow, deny))
    assert evidence.findings == ("sim-explicit-deny",)
    assert "statement in p (an inline policy of the user)" in evidence.summary


def test_allowed_points_beyond_the_identity_policies(aws: MotoAws, home: Path) -> None:
    allow = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::reports-bucket/*",
    }
    evidence = run(aws, home, policy(allow))
    assert evidence.findings == ("sim-allowed",)
    assert "does not see" in evidence.summary


def test_a_condition_it_could_not_evaluate_is_said(aws: MotoAws, home: Path) -> None:
    allow = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    }
    evidence = run(aws, home, policy(allow))
    assert "sim-context-missing" in evidence.findings
    assert any("aws:SourceIp" in line for line in evidence.details)


def test_without_a_resource_in_the_error_it_says_so(aws: MotoAws, home: Path) -> None:
    text = (
        "operation error IAM: ListUsers, https response error StatusCode: 403, RequestID: 1,"
        " api error AccessDenied: Access Denied"
    )
    evidence = run(aws, home, policy(), text)
    assert evidence.findings == ("sim-implicit-deny-unscoped",)


def test_an_identity_that_may_not_simulate(aws: MotoAws, home: Path) -> None:
    read = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:List*", "Resource": "*"}],
    }
    evidence = run(aws, home, read)
    assert evidence.findings == ("sim-refused",)
    assert "iam:SimulatePrincipalPolicy" in evidence.summary


def test_a_role_session_is_simulated_as_its_role_even_with_a_path(aws: MotoAws, home: Path) -> None:
    deny = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
    role = role_profile(aws, home, "reader", deny, Path="/aws-reserved/sso.amazonaws.com/")
    aws.enforce()
    evidence = probe_on_paste("iam.simulate", GET_OBJECT, profile="reader")
    assert evidence.findings == ("sim-explicit-deny",), evidence.summary
    assert role in evidence.details[0]


def test_root_cannot_be_simulated() -> None:
    from awsmedic.probes.simulate import source_arn

    assert source_arn("arn:aws:iam::123456789012:root") == ""
    assert (
        source_arn("arn:aws:sts::123456789012:assumed-role/R/s")
        == "arn:aws:iam::123456789012:role/R"
    )


def test_s3_resources_from_the_paste() -> None:
    from awsmedic.probes.simulate import s3_resource

    assert s3_resource("s3://bkt/k/x.csv", "s3:GetObject") == "arn:aws:s3:::bkt/k/x.csv"
    assert s3_resource("s3://bkt/k/", "s3:ListBucket") == "arn:aws:s3:::bkt"
    assert s3_resource("s3://bkt", "s3:GetObject") == "arn:aws:s3:::bkt"
    assert s3_resource("no url here", "s3:GetObject") == ""


def test_offline_it_does_not_run(home: Path) -> None:
    evidence = probe_on_paste("iam.simulate", GET_OBJECT, offline=True)
    assert evidence.status is Status.SKIPPED


def test_a_permissions_boundary_that_does_not_allow_it(aws: MotoAws, home: Path) -> None:
    iam = aws._client("iam")
    boundary = iam.create_policy(
        PolicyName="boundary",
        PolicyDocument=json.dumps(
            policy({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"})
        ),
    )["Policy"]["Arn"]
    allow = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    role_profile(aws, home, "bounded", allow, PermissionsBoundary=boundary)
    aws.enforce()
    evidence = probe_on_paste("iam.simulate", GET_OBJECT, profile="bounded")
    assert evidence.findings == ("sim-boundary-deny",), evidence.summary
    assert evidence.facts["policy_kind"].value == "permissions boundary"
